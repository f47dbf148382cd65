import { randomBytes } from 'node:crypto';
import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import type { ProcessRole } from '../announcements/model';
import type { DataSubject, PersonalDataHolder } from '../privacy/personalDataHolder';
import { getEntityOrNull, isConflict, openTable, safeKey, transactionBatches, type TableStorage } from '../storage/tables';
import type { RoleHolder } from './model';

export interface RoleHolderSnapshot {
  version: string;
  importedAt: string;
  /** Where the import came from (a path, or "tab upload by …"), for the record. */
  source: string;
  holders: RoleHolder[];
}

export interface RoleHolderStore {
  /** The current list, or null when none was ever imported. */
  current(): Promise<RoleHolderSnapshot | null>;
  /**
   * Replaces the whole list at once: readers see the old list or the new one,
   * never a mix. With `expectedVersion` (null: none stored) and the list
   * replaced meanwhile, nothing changes and RoleHolderConflictError is thrown.
   */
  replace(holders: readonly RoleHolder[], source: string, options?: { expectedVersion?: string | null }): Promise<RoleHolderSnapshot>;
}

/** Another import replaced the list first; this one changed nothing. */
export class RoleHolderConflictError extends Error {
  constructor(readonly currentVersion: string | null) {
    super(`The role-holder list was replaced by another import (now version ${currentVersion ?? 'none'}); nothing was changed.`);
    this.name = 'RoleHolderConflictError';
  }
}

/**
 * Layout in one table, like the directory's: `meta`/`current` names the
 * current version; partition `v<version>` holds one row per person (row key
 * their e-mail), with the roles they hold. A version's rows are written
 * before the pointer moves to it, and the displaced version is deleted after.
 */
const POINTER_PARTITION = 'meta';
const POINTER_ROW = 'current';
const MAX_BATCH_CHARS = 2_000_000;
const READ_ATTEMPTS = 3;

interface PersonEntity {
  partitionKey: string;
  rowKey: string;
  /** Lower-cased, so a deletion request finds the person whatever the file's spelling. */
  email: string;
  body: string;
}

interface PersonBody {
  email: string;
  name: string;
  roles: { role: ProcessRole; unit: string; process: string | null }[];
}

export class TableRoleHolderStore implements RoleHolderStore {
  private constructor(private readonly table: TableClient) {}

  static async open(storage: TableStorage, tableName = 'roleholders'): Promise<TableRoleHolderStore> {
    return new TableRoleHolderStore(await openTable(storage, tableName));
  }

  async current(): Promise<RoleHolderSnapshot | null> {
    for (let attempt = 1; ; attempt += 1) {
      const pointer = await this.readPointer();
      if (pointer === null) return null;
      const holders = (await this.listPartition(partitionOf(pointer.version))).flatMap(decode);
      // A newer import may have moved the pointer and be deleting what was read: read the newer one.
      const after = await this.readPointer();
      if (after?.version === pointer.version || attempt >= READ_ATTEMPTS) {
        return { version: pointer.version, importedAt: pointer.importedAt, source: pointer.source, holders };
      }
    }
  }

  async replace(holders: readonly RoleHolder[], source: string, options: { expectedVersion?: string | null } = {}): Promise<RoleHolderSnapshot> {
    const previous = await this.readPointer();
    if (options.expectedVersion !== undefined && options.expectedVersion !== (previous?.version ?? null)) {
      throw new RoleHolderConflictError(previous?.version ?? null);
    }
    const version = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
    const importedAt = new Date().toISOString();
    const pointer = { partitionKey: POINTER_PARTITION, rowKey: POINTER_ROW, version, importedAt, source };
    try {
      await this.writeVersion(version, holders);
      if (previous === null) await this.table.createEntity(pointer);
      else await this.table.updateEntity(pointer, 'Replace', { etag: previous.etag });
    } catch (error) {
      await this.deletePartitionQuietly(partitionOf(version));
      if (isConflict(error)) throw new RoleHolderConflictError((await this.readPointer())?.version ?? null);
      throw error;
    }
    if (previous !== null) await this.deletePartitionQuietly(partitionOf(previous.version));
    return { version, importedAt, source, holders: [...holders] };
  }

  /**
   * The list names people by e-mail only, so that is how a deletion request
   * finds them, in every version still stored. The coordinator's source (the
   * Unit4 export) still names them: the next import brings them back unless
   * they are removed there too.
   */
  personalData(): PersonalDataHolder<RoleHolder> {
    const rowsOf = async (user: DataSubject): Promise<PersonEntity[]> => {
      if (!user.email) return [];
      const rows: PersonEntity[] = [];
      const query = this.table.listEntities<PersonEntity>({ queryOptions: { filter: odata`email eq ${user.email.toLowerCase()}` } });
      for await (const entity of query) rows.push(entity);
      return rows;
    };
    return {
      kind: 'roleHolders',
      tables: [this.table.tableName],
      findForUser: async (user) => (await rowsOf(user)).flatMap(decode),
      deleteForUser: async (user) => {
        const rows = await rowsOf(user);
        for (const row of rows) await this.table.deleteEntity(row.partitionKey, row.rowKey).catch(() => undefined);
        return rows.map((row) => `${row.partitionKey}/${row.rowKey}`);
      },
    };
  }

  private async readPointer(): Promise<{ version: string; importedAt: string; source: string; etag: string } | null> {
    const entity = await getEntityOrNull<{ version: string; importedAt: string; source: string }>(this.table, POINTER_PARTITION, POINTER_ROW);
    return entity === null ? null : { version: entity.version, importedAt: entity.importedAt, source: entity.source, etag: entity.etag };
  }

  private async listPartition(partition: string): Promise<PersonEntity[]> {
    const rows: PersonEntity[] = [];
    for await (const entity of this.table.listEntities<PersonEntity>({ queryOptions: { filter: odata`PartitionKey eq ${partition}` } })) rows.push(entity);
    return rows;
  }

  private async writeVersion(version: string, holders: readonly RoleHolder[]): Promise<void> {
    const people = new Map<string, PersonBody>();
    for (const holder of holders) {
      const key = holder.email.toLowerCase();
      const person = people.get(key) ?? { email: holder.email, name: holder.name, roles: [] };
      person.roles.push({ role: holder.role, unit: holder.unit, process: holder.process });
      people.set(key, person);
    }
    const actions = [...people].map(([email, person]): TransactionAction => [
      'create',
      { partitionKey: partitionOf(version), rowKey: safeKey(email), email, body: JSON.stringify(person) } satisfies PersonEntity,
    ]);
    for (const batch of transactionBatches(actions, MAX_BATCH_CHARS)) await this.table.submitTransaction(batch);
  }

  /** Best effort: a leftover version is never read (only the pointer's is), and a deletion request still finds it. */
  private async deletePartitionQuietly(partition: string): Promise<void> {
    try {
      const actions = (await this.listPartition(partition)).map((row): TransactionAction => ['delete', { partitionKey: row.partitionKey, rowKey: row.rowKey }]);
      for (const batch of transactionBatches(actions, MAX_BATCH_CHARS)) await this.table.submitTransaction(batch);
    } catch {
      // Left for the next import's clean-up.
    }
  }
}

function partitionOf(version: string): string {
  return `v${version}`;
}

function decode(entity: PersonEntity): RoleHolder[] {
  const person = JSON.parse(entity.body) as PersonBody;
  return person.roles.map((entry) => ({ email: person.email, name: person.name, role: entry.role, unit: entry.unit, process: entry.process }));
}
