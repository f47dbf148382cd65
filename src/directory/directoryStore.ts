import { randomBytes } from 'node:crypto';
import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { isConflict, isNotFound, openTable, type TableStorage, transactionBatches } from '../storage/tables';
import { ADVISOR_MODELS, UNIT_KINDS, type Assignment, type ContactPoint, type Directory, type Process, type Role, type Unit } from './model';

export interface DirectorySnapshot {
  version: string;
  importedAt: string;
  /** Where the import came from (a folder or workbook path), for the record. */
  source: string;
  directory: Directory;
}

export interface ReplaceOptions {
  /**
   * The version the caller based its decision on (null: the store was empty).
   * When given and the store has moved on, nothing is written and replace throws
   * DirectoryConflictError.
   */
  expectedVersion?: string | null;
}

export interface DirectoryStore {
  /** The whole current directory, or null when never imported. */
  current(): Promise<DirectorySnapshot | null>;
  /** Cheap: lets running instances notice a new import. */
  currentVersion(): Promise<string | null>;
  replace(directory: Directory, source: string, options?: ReplaceOptions): Promise<DirectorySnapshot>;
}

/** Another import replaced the directory first; this one changed nothing. */
export class DirectoryConflictError extends Error {
  constructor(readonly currentVersion: string | null) {
    super(`The directory was replaced by another import (now version ${currentVersion ?? 'none'}); nothing was changed.`);
    this.name = 'DirectoryConflictError';
  }
}

/**
 * Layout in one table:
 *  - `meta`/`current`: the pointer naming the current version, with its row counts.
 *  - `v<version>-<file>`: one partition per version and file, one row per record,
 *    row keys in file order.
 * A version's rows are all written before the pointer moves to it, so readers never
 * see half an import; the displaced version is deleted afterwards.
 */
const POINTER_PARTITION = 'meta';
const POINTER_ROW = 'current';

/** A transaction's payload may be 4 MiB; kept well under (the 100-operation limit is transactionBatches'). */
const MAX_BATCH_CHARS = 2_000_000;
/** Parallel transactions: enough to hide latency without flooding the account. */
const WRITE_CONCURRENCY = 8;
/** How often current() starts over when an import deleted the version it was reading. */
const READ_ATTEMPTS = 3;

type Properties = Record<string, string>;

interface Codec<T> {
  toProperties(record: T): Properties;
  fromProperties(entity: Record<string, unknown>): T;
}

const codecs: { [K in keyof Directory]: Codec<Directory[K][number]> } = {
  units: {
    toProperties: (unit: Unit) => ({
      code: unit.code,
      ...optional('parent', unit.parent),
      kind: unit.kind,
      nameNb: unit.nameNb,
      nameEn: unit.nameEn,
      aliases: JSON.stringify(unit.aliases),
    }),
    fromProperties: (entity): Unit => ({
      code: text(entity, 'code'),
      parent: optionalText(entity, 'parent'),
      kind: oneOf(entity, 'kind', UNIT_KINDS),
      nameNb: text(entity, 'nameNb'),
      nameEn: text(entity, 'nameEn'),
      aliases: list(entity, 'aliases'),
    }),
  },
  processes: {
    toProperties: (process: Process) => ({
      code: process.code,
      nameNb: process.nameNb,
      nameEn: process.nameEn,
      advisorModel: process.advisorModel,
      descriptionNb: process.descriptionNb,
      descriptionEn: process.descriptionEn,
      aliases: JSON.stringify(process.aliases),
    }),
    fromProperties: (entity): Process => ({
      code: text(entity, 'code'),
      nameNb: text(entity, 'nameNb'),
      nameEn: text(entity, 'nameEn'),
      advisorModel: oneOf(entity, 'advisorModel', ADVISOR_MODELS),
      descriptionNb: addedText(entity, 'descriptionNb'),
      descriptionEn: addedText(entity, 'descriptionEn'),
      aliases: list(entity, 'aliases'),
    }),
  },
  roles: {
    toProperties: (role: Role) => ({
      code: role.code,
      nameNb: role.nameNb,
      nameEn: role.nameEn,
      nameNn: role.nameNn,
      descriptionNb: role.descriptionNb,
      descriptionEn: role.descriptionEn,
      aliases: JSON.stringify(role.aliases),
    }),
    fromProperties: (entity): Role => ({
      code: text(entity, 'code'),
      nameNb: text(entity, 'nameNb'),
      nameEn: text(entity, 'nameEn'),
      nameNn: addedText(entity, 'nameNn'),
      descriptionNb: addedText(entity, 'descriptionNb'),
      descriptionEn: text(entity, 'descriptionEn'),
      aliases: list(entity, 'aliases'),
    }),
  },
  people: {
    toProperties: (assignment: Assignment) => ({
      role: assignment.role,
      ...optional('process', assignment.process),
      unit: assignment.unit,
      name: assignment.name,
      email: assignment.email,
      ...optional('phone', assignment.phone),
      ...optional('note', assignment.note),
    }),
    fromProperties: (entity): Assignment => ({
      role: text(entity, 'role'),
      process: optionalText(entity, 'process'),
      unit: text(entity, 'unit'),
      name: text(entity, 'name'),
      email: text(entity, 'email'),
      phone: optionalText(entity, 'phone'),
      note: optionalText(entity, 'note'),
    }),
  },
  contactPoints: {
    toProperties: (contactPoint: ContactPoint) => ({
      code: contactPoint.code,
      nameNb: contactPoint.nameNb,
      nameEn: contactPoint.nameEn,
      ...optional('email', contactPoint.email),
      ...optional('url', contactPoint.url),
      handles: contactPoint.handles,
    }),
    fromProperties: (entity): ContactPoint => ({
      code: text(entity, 'code'),
      nameNb: text(entity, 'nameNb'),
      nameEn: text(entity, 'nameEn'),
      email: optionalText(entity, 'email'),
      url: optionalText(entity, 'url'),
      handles: text(entity, 'handles'),
    }),
  },
};

const FILES = Object.keys(codecs) as (keyof Directory)[];

type RowCounts = Record<keyof Directory, number>;

interface Pointer {
  version: string;
  importedAt: string;
  source: string;
  counts: RowCounts;
  etag: string;
}

export class TableDirectoryStore implements DirectoryStore {
  private constructor(private readonly table: TableClient) {}

  static async open(storage: TableStorage, tableName = 'directory'): Promise<TableDirectoryStore> {
    return new TableDirectoryStore(await openTable(storage, tableName));
  }

  async currentVersion(): Promise<string | null> {
    return (await this.readPointer())?.version ?? null;
  }

  async current(): Promise<DirectorySnapshot | null> {
    let pointer = await this.readPointer();
    for (let attempt = 1; pointer !== null; attempt += 1) {
      const directory = await this.readVersion(pointer);
      if (directory !== null) {
        return { version: pointer.version, importedAt: pointer.importedAt, source: pointer.source, directory };
      }
      // Rows went missing while reading: a newer import has moved the pointer and is deleting this version.
      const newer = await this.readPointer();
      if (newer?.version === pointer.version || attempt >= READ_ATTEMPTS) {
        throw new Error(`Directory version ${pointer.version} is incomplete in storage.`);
      }
      pointer = newer;
    }
    return null;
  }

  async replace(directory: Directory, source: string, options: ReplaceOptions = {}): Promise<DirectorySnapshot> {
    const previous = await this.readPointer();
    if (options.expectedVersion !== undefined && options.expectedVersion !== (previous?.version ?? null)) {
      throw new DirectoryConflictError(previous?.version ?? null);
    }

    const version = newVersion();
    const importedAt = new Date().toISOString();
    const counts = Object.fromEntries(FILES.map((file) => [file, directory[file].length])) as RowCounts;
    const pointer = {
      partitionKey: POINTER_PARTITION,
      rowKey: POINTER_ROW,
      version,
      importedAt,
      source,
      counts: JSON.stringify(counts),
    };
    try {
      await this.writeVersion(version, directory);
      // The flip: only succeeds if nobody else moved the pointer since we read it.
      if (previous === null) await this.table.createEntity(pointer);
      else await this.table.updateEntity(pointer, 'Replace', { etag: previous.etag });
    } catch (error) {
      await this.deleteVersionQuietly(version);
      if (isConflict(error)) throw new DirectoryConflictError(await this.currentVersion());
      throw error;
    }
    if (previous !== null) await this.deleteVersionQuietly(previous.version);
    return { version, importedAt, source, directory };
  }

  private async readPointer(): Promise<Pointer | null> {
    try {
      const entity = await this.table.getEntity<Record<string, unknown>>(POINTER_PARTITION, POINTER_ROW);
      const counts = JSON.parse(text(entity, 'counts')) as RowCounts;
      return {
        version: text(entity, 'version'),
        importedAt: text(entity, 'importedAt'),
        source: text(entity, 'source'),
        counts,
        etag: entity.etag,
      };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  /** The version's directory, or null when its rows are not all there. */
  private async readVersion(pointer: Pointer): Promise<Directory | null> {
    const files = await Promise.all(
      FILES.map(async (file) => {
        const entities = await this.listPartition(partitionKey(pointer.version, file));
        entities.sort((a, b) => a.rowKey.localeCompare(b.rowKey));
        return [file, entities] as const;
      }),
    );
    if (files.some(([file, entities]) => entities.length !== pointer.counts[file])) return null;
    const entitiesByFile = new Map(files);
    const decode = <K extends keyof Directory>(file: K): Directory[K][number][] => (entitiesByFile.get(file) ?? []).map((entity) => codecs[file].fromProperties(entity));
    return {
      units: decode('units'),
      processes: decode('processes'),
      roles: decode('roles'),
      people: decode('people'),
      contactPoints: decode('contactPoints'),
    };
  }

  private async listPartition(partition: string, select?: string[]): Promise<(Record<string, unknown> & { rowKey: string })[]> {
    const entities: (Record<string, unknown> & { rowKey: string })[] = [];
    const query = this.table.listEntities<Record<string, unknown>>({
      queryOptions: { filter: odata`PartitionKey eq ${partition}`, select },
    });
    for await (const entity of query) entities.push({ ...entity, rowKey: entity.rowKey ?? '' });
    return entities;
  }

  private async writeVersion(version: string, directory: Directory): Promise<void> {
    const encode = <K extends keyof Directory>(file: K, records: Directory[K][number][]): TransactionAction[] =>
      records.map((record, index) => ['create', { partitionKey: partitionKey(version, file), rowKey: rowKey(index), ...codecs[file].toProperties(record) }]);
    // Each file's actions share a partition, so they batch separately.
    const batches = [
      encode('units', directory.units),
      encode('processes', directory.processes),
      encode('roles', directory.roles),
      encode('people', directory.people),
      encode('contactPoints', directory.contactPoints),
    ].flatMap((actions) => transactionBatches(actions, MAX_BATCH_CHARS));
    await runLimited(
      batches.map((batch) => () => this.table.submitTransaction(batch)),
      WRITE_CONCURRENCY,
    );
  }

  /** Best effort: a leftover version is harmless because only the pointer's version is ever read. */
  private async deleteVersionQuietly(version: string): Promise<void> {
    try {
      const batches: TransactionAction[][] = [];
      for (const file of FILES) {
        const partition = partitionKey(version, file);
        const keys = await this.listPartition(partition, ['RowKey']);
        const actions = keys.map((key): TransactionAction => ['delete', { partitionKey: partition, rowKey: key.rowKey }]);
        batches.push(...transactionBatches(actions, MAX_BATCH_CHARS));
      }
      await runLimited(
        batches.map((batch) => () => this.table.submitTransaction(batch)),
        WRITE_CONCURRENCY,
      );
    } catch {
      // Left for a later clean-up; never read.
    }
  }
}

function partitionKey(version: string, file: keyof Directory): string {
  return `v${version}-${file}`;
}

/** Zero-padded so the service's own row order is file order. */
function rowKey(index: number): string {
  return String(index).padStart(7, '0');
}

/** Sortable by time, unique across concurrent imports. */
function newVersion(): string {
  return `${new Date().toISOString().replace(/[-:.]/g, '')}-${randomBytes(4).toString('hex')}`;
}

/** Runs the tasks with at most `limit` in flight; after a failure starts no more, and rejects with the first error. */
async function runLimited(tasks: (() => Promise<unknown>)[], limit: number): Promise<void> {
  let next = 0;
  const errors: unknown[] = [];
  const worker = async () => {
    while (next < tasks.length && errors.length === 0) {
      const task = tasks[next++];
      try {
        await task?.();
      } catch (error) {
        errors.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  if (errors.length > 0) throw errors[0];
}

function optional(key: string, value: string | null): Properties {
  return value === null ? {} : { [key]: value };
}

function text(entity: Record<string, unknown>, key: string): string {
  const value = entity[key];
  if (typeof value !== 'string') throw new Error(`Stored directory entity lacks text property ${key}.`);
  return value;
}

function optionalText(entity: Record<string, unknown>, key: string): string | null {
  return entity[key] === undefined || entity[key] === null ? null : text(entity, key);
}

/** A text property newer than some stored versions: rows written before it was added read as ''. */
function addedText(entity: Record<string, unknown>, key: string): string {
  return optionalText(entity, key) ?? '';
}

function list(entity: Record<string, unknown>, key: string): string[] {
  const value: unknown = JSON.parse(text(entity, key));
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new Error(`Stored directory entity has a malformed list in ${key}.`);
  }
  return value;
}

function oneOf<T extends string>(entity: Record<string, unknown>, key: string, allowed: readonly T[]): T {
  const value = text(entity, key);
  const match = allowed.find((candidate) => candidate === value);
  if (match === undefined) throw new Error(`Stored directory entity has an unknown ${key}: ${value}.`);
  return match;
}
