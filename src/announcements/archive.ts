import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { odata, type TableClient } from '@azure/data-tables';
import { parse } from 'csv-parse/sync';
import { DateTime } from 'luxon';
import type { DirectoryIndex } from '../directory/directoryIndex';
import { sampleDirectoryFolder } from '../directory/seedDirectory';
import { fold, tokenize } from '../language/text';
import { tokenMatchQuality } from '../understanding/tokenMatch';
import { isConflict, isNotFound, openTable, type TableStorage } from '../storage/tables';
import { OSLO_ZONE } from '../core/osloTime';
import { AnnouncementConflictError, type AnnouncementStore } from './announcementStore';
import { EVENT_KINDS, PROCESS_ROLES, type Announcement, type EventKind, type Material, type ProcessRole } from './model';
import type { EventFilter } from './subscriptions';

/** Read access to events, past and present: what the questions, reminders and calendar files read. */
export interface AnnouncementReader {
  get(id: string): Promise<Announcement | null>;
  list(): Promise<Announcement[]>;
}

/**
 * The past events from the coordinator's list (events-archive.csv): they were
 * never announced through the app, so they are kept apart from its
 * announcements, numbered in a series of their own (AR-2023-0001) that can
 * never meet the announcements' KU numbers.
 */
export interface ArchiveStore extends AnnouncementReader {
  /** Stores the events not already there (instances starting together may both seed); returns how many were new. */
  insertMissing(events: readonly Announcement[]): Promise<number>;
  /** Applies `change` to a stored event, re-reading if someone changed it first; null if there is no such event. */
  update(id: string, change: (event: Announcement) => Announcement): Promise<Announcement | null>;
}

export const ARCHIVE_ID = /^AR-\d{4}-\d{4}$/;
const PARTITION = 'archive';
const CONFLICT_RETRIES = 5;

type ArchiveEntity = { partitionKey: string; rowKey: string; body: string };

export class TableArchiveStore implements ArchiveStore {
  private constructor(private readonly table: TableClient) {}

  static async open(storage: TableStorage, tableName = 'eventarchive'): Promise<TableArchiveStore> {
    return new TableArchiveStore(await openTable(storage, tableName));
  }

  async get(id: string): Promise<Announcement | null> {
    return (await this.read(id))?.event ?? null;
  }

  async list(): Promise<Announcement[]> {
    const events: Announcement[] = [];
    for await (const entity of this.table.listEntities<ArchiveEntity>({ queryOptions: { filter: odata`PartitionKey eq ${PARTITION}` } })) {
      events.push(JSON.parse(entity.body) as Announcement);
    }
    return events;
  }

  async insertMissing(events: readonly Announcement[]): Promise<number> {
    let inserted = 0;
    for (const event of events) {
      try {
        await this.table.createEntity(toEntity(event));
        inserted += 1;
      } catch (error) {
        if (!isConflict(error)) throw error;
      }
    }
    return inserted;
  }

  async update(id: string, change: (event: Announcement) => Announcement): Promise<Announcement | null> {
    for (let attempt = 1; ; attempt += 1) {
      const stored = await this.read(id);
      if (!stored) return null;
      const next = change(stored.event);
      try {
        await this.table.updateEntity(toEntity(next), 'Replace', { etag: stored.etag });
        return next;
      } catch (error) {
        if (!isConflict(error) || attempt >= CONFLICT_RETRIES) throw error;
      }
    }
  }

  private async read(id: string): Promise<{ event: Announcement; etag: string } | null> {
    if (!ARCHIVE_ID.test(id)) return null;
    try {
      const entity = await this.table.getEntity<ArchiveEntity>(PARTITION, id);
      return { event: JSON.parse(entity.body) as Announcement, etag: entity.etag };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }
}

function toEntity(event: Announcement): ArchiveEntity {
  return { partitionKey: PARTITION, rowKey: event.id, body: JSON.stringify(event) };
}

/** One row of events-archive.csv. */
interface ArchiveRow {
  date: string;
  kind: string;
  title_nb: string;
  process: string;
  audience_roles: string;
}

/** The shipped archive file is part of the product: a row it cannot read is a bug, reported with its line. */
export class ArchiveFileError extends Error {}

export function archiveFile(): string {
  return path.join(sampleDirectoryFolder(), 'events-archive.csv');
}

/**
 * The events of the archive file as archived announcements: all-day events
 * on their Norwegian date, for the roles and process named, numbered per year
 * in the file's order.
 */
export function readArchive(csv: string, index: DirectoryIndex): Announcement[] {
  const rows = parse<ArchiveRow>(csv, { columns: true, skip_empty_lines: true, trim: true, bom: true });
  const perYear = new Map<number, number>();
  const roleByFolded = new Map<string, ProcessRole>(PROCESS_ROLES.map((role) => [fold(role), role]));
  return rows.map((row, i) => {
    const line = i + 2;
    const day = DateTime.fromISO(row.date, { zone: OSLO_ZONE });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(row.date) || !day.isValid) throw new ArchiveFileError(`events-archive.csv line ${line}: "${row.date}" is not a date (yyyy-MM-dd).`);
    if (!(EVENT_KINDS as readonly string[]).includes(row.kind)) throw new ArchiveFileError(`events-archive.csv line ${line}: unknown kind "${row.kind}".`);
    if (!row.title_nb) throw new ArchiveFileError(`events-archive.csv line ${line}: the title is missing.`);
    if (row.process && !index.process(row.process)) throw new ArchiveFileError(`events-archive.csv line ${line}: unknown process "${row.process}".`);
    const roles = row.audience_roles
      .split(';')
      .map((role) => role.trim())
      .filter(Boolean)
      .map((role) => {
        const code = roleByFolded.get(fold(role));
        if (!code) throw new ArchiveFileError(`events-archive.csv line ${line}: unknown role "${role}".`);
        return code;
      });
    const number = (perYear.get(day.year) ?? 0) + 1;
    perYear.set(day.year, number);
    const start = day.startOf('day');
    const at = start.toUTC().toISO() ?? '';
    return {
      id: `AR-${day.year}-${String(number).padStart(4, '0')}`,
      kind: row.kind as EventKind,
      title: row.title_nb,
      description: '',
      startsAt: at,
      endsAt: start.plus({ days: 1 }).toUTC().toISO() ?? '',
      allDay: true,
      place: null,
      meetingUrl: null,
      registrationUrl: null,
      audience: { everyone: false, roles, processes: row.process ? [row.process] : [], units: [] },
      channels: [],
      sendAt: null,
      state: 'archived',
      createdBy: { id: 'events-archive.csv', name: 'events-archive.csv', email: null },
      createdAt: at,
      updatedAt: at,
      broadcastIds: [],
      materials: [],
    };
  });
}

/** Gives an empty archive the events of the shipped file; an archive with events is left alone. */
export async function ensureArchiveSeeded(store: ArchiveStore, index: DirectoryIndex, file: string = archiveFile()): Promise<number> {
  if ((await store.list()).length > 0) return 0;
  return store.insertMissing(readArchive(await readFile(file, 'utf8'), index));
}

export type AddMaterialResult = { kind: 'added'; event: Announcement } | { kind: 'already-there'; event: Announcement } | { kind: 'not-found' } | { kind: 'invalid-url' };

/**
 * Every event, announced or archived, read as one: archive numbers go to the
 * archive, the rest to the announcement store.
 */
export class EventCatalog implements AnnouncementReader {
  constructor(
    private readonly announcements: AnnouncementStore,
    private readonly archive: ArchiveStore,
  ) {}

  async get(id: string): Promise<Announcement | null> {
    if (ARCHIVE_ID.test(id)) return this.archive.get(id);
    return (await this.announcements.get(id))?.announcement ?? null;
  }

  async list(): Promise<Announcement[]> {
    const [announced, archived] = await Promise.all([this.announcements.list(), this.archive.list()]);
    return [...announced, ...archived];
  }

  /** Adds a recording or slides to an event; the same link twice is kept once. */
  async addMaterial(id: string, material: Material): Promise<AddMaterialResult> {
    if (!isWebAddress(material.url)) return { kind: 'invalid-url' };
    let already = false;
    const change = (event: Announcement): Announcement => {
      already = event.materials.some((existing) => existing.url === material.url);
      return already ? event : { ...event, materials: [...event.materials, material] };
    };
    const event = ARCHIVE_ID.test(id) ? await this.archive.update(id, change) : await this.updateAnnouncement(id, change);
    if (!event) return { kind: 'not-found' };
    return already ? { kind: 'already-there', event } : { kind: 'added', event };
  }

  /**
   * Materials are not a change the recipients' cards show, so updatedAt is
   * left as it was: the composing side uses it to detect competing edits.
   */
  private async updateAnnouncement(id: string, change: (event: Announcement) => Announcement): Promise<Announcement | null> {
    for (let attempt = 1; attempt <= CONFLICT_RETRIES; attempt += 1) {
      const stored = await this.announcements.get(id);
      if (!stored || stored.announcement.state === 'draft') return null;
      const next = change(stored.announcement);
      if (next === stored.announcement) return next;
      try {
        return (await this.announcements.update(next, stored.etag)).announcement;
      } catch (error) {
        if (!(error instanceof AnnouncementConflictError)) throw error;
      }
    }
    throw new Error(`Announcement ${id} kept changing while a material was added`);
  }
}

function isWebAddress(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.length > 0;
  } catch {
    return false;
  }
}

/** A past event found for a search, best first. */
export interface FoundEvent {
  event: Announcement;
  score: number;
}

/** How much each kind of agreement counts: the kind asked for matters most, then the process, then title words. */
const KIND_WEIGHT = 2;
const PROCESS_WEIGHT = 1;
const ROLE_WEIGHT = 1;
/** Results whose score falls below this share of the best are noise beside it. */
const RELATIVE_CUTOFF = 0.6;
const MAX_FOUND = 5;

/** Whether an event has taken place (or is taking place): what the archive holds. */
function isPast(event: Announcement, now: Date): boolean {
  if (event.state === 'draft' || event.state === 'cancelled') return false;
  return event.state === 'archived' || Date.parse(event.startsAt) <= now.getTime();
}

/**
 * Fuzzy search over the past events: the kinds, processes and roles named
 * count, and so does every word of the search found (or nearly found: typos,
 * inflections) among the title's words. Without anything named, the most
 * recent past events matching the filter come back.
 */
export function searchPastEvents(events: readonly Announcement[], query: { filter: EventFilter; words: readonly string[] }, now: Date): FoundEvent[] {
  const { filter, words } = query;
  const scored = events
    .filter((event) => isPast(event, now))
    .map((event) => {
      const titleWords = tokenize(event.title);
      let score = 0;
      if (filter.kinds.includes(event.kind)) score += KIND_WEIGHT;
      if (filter.processes.some((process) => event.audience.processes.includes(process))) score += PROCESS_WEIGHT;
      if (filter.roles.some((role) => event.audience.roles.includes(role))) score += ROLE_WEIGHT;
      for (const word of words) score += Math.max(0, ...titleWords.map((titleWord) => tokenMatchQuality(word, titleWord)));
      return { event, score };
    });
  const best = Math.max(0, ...scored.map((found) => found.score));
  const byRecency = (a: FoundEvent, b: FoundEvent) => b.event.startsAt.localeCompare(a.event.startsAt);
  if (best === 0) return words.length > 0 ? [] : scored.sort(byRecency).slice(0, MAX_FOUND);
  return scored
    .filter((found) => found.score >= best * RELATIVE_CUTOFF)
    .sort((a, b) => b.score - a.score || byRecency(a, b))
    .slice(0, MAX_FOUND);
}
