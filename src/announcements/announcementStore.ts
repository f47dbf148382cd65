import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { getEntityOrNull, isConflict, isNotFound, isTransactionConflict, openTable, type TableStorage, safeKey } from '../storage/tables';
import { inOslo } from '../suggestions/osloTime';
import type { Announcement, AnnouncementState } from './model';
import type { Distribution, EventDetails } from './validateAnnouncement';

export interface StoredAnnouncement {
  announcement: Announcement;
  /** Optimistic-concurrency tag: an update based on an older one is refused. */
  etag: string;
}

export interface NewDraft {
  details: EventDetails;
  distribution: Distribution;
  createdBy: Announcement['createdBy'];
  now: Date;
  /** The form it was composed on: submitting the same form again finds this draft instead of making another. */
  formId: string;
}

export interface AnnouncementStore {
  createDraft(input: NewDraft): Promise<{ stored: StoredAnnouncement; created: boolean }>;
  get(id: string): Promise<StoredAnnouncement | null>;
  /** The draft a form (by its id) created, if any. */
  findByForm(formId: string): Promise<StoredAnnouncement | null>;
  /** Saves a changed announcement if nobody changed it since `etag`; otherwise throws AnnouncementConflictError. */
  update(announcement: Announcement, etag: string): Promise<StoredAnnouncement>;
  list(filter?: { state?: AnnouncementState }): Promise<Announcement[]>;
}

/** Someone else changed the announcement first; `current` is what they left. */
export class AnnouncementConflictError extends Error {
  constructor(readonly current: StoredAnnouncement) {
    super(`Announcement ${current.announcement.id} was changed by someone else first`);
    this.name = 'AnnouncementConflictError';
  }
}

/**
 * As with suggestions, every row lives in one partition, so a new draft, its
 * number from the year's counter and its form marker are written in one atomic
 * transaction: no number is used twice, and a form submitted twice finds its
 * draft. Announcements number in the hundreds a year.
 */
const PARTITION = 'announcements';
const ANNOUNCEMENT_ROW = 'a:';
/** ';' sorts right after ':', so this bounds the announcement rows from above. */
const ANNOUNCEMENT_END = 'a;';
const COUNTER_ROW = 'counter:';
const FORM_ROW = 'form:';
const CREATE_ATTEMPTS = 10;
export const ANNOUNCEMENT_ID = /^KU-\d{4}-\d{4,6}$/;

type AnnouncementEntity = {
  partitionKey: string;
  rowKey: string;
  body: string;
  state: AnnouncementState;
  startsAt: string;
  sendAt: string;
};

type CounterEntity = { partitionKey: string; rowKey: string; last: number };
type FormEntity = { partitionKey: string; rowKey: string; announcementId: string };

export class TableAnnouncementStore implements AnnouncementStore {
  private constructor(private readonly table: TableClient) {}

  static async open(storage: TableStorage, tableName = 'announcements'): Promise<TableAnnouncementStore> {
    return new TableAnnouncementStore(await openTable(storage, tableName));
  }

  async createDraft(input: NewDraft): Promise<{ stored: StoredAnnouncement; created: boolean }> {
    // The year as in Norway: a draft made just after midnight on New Year's Day belongs to the new year.
    const year = inOslo(input.now).year;
    for (let attempt = 1; attempt <= CREATE_ATTEMPTS; attempt++) {
      const existing = await this.findByForm(input.formId);
      if (existing) return { stored: existing, created: false };

      const counter = await this.readCounter(year);
      const number = (counter?.last ?? 0) + 1;
      const id = `KU-${year}-${String(number).padStart(4, '0')}`;
      const at = input.now.toISOString();
      const announcement: Announcement = {
        id,
        ...input.details,
        allDay: false,
        ...input.distribution,
        state: 'draft',
        createdBy: input.createdBy,
        createdAt: at,
        updatedAt: at,
        broadcastIds: [],
        materials: [],
        coordinatorCard: null,
        amendedAt: null,
      };
      const counterEntity: CounterEntity = { partitionKey: PARTITION, rowKey: COUNTER_ROW + year, last: number };
      const actions: TransactionAction[] = [
        counter ? ['update', counterEntity, 'Replace', { etag: counter.etag }] : ['create', counterEntity],
        ['create', toEntity(announcement)],
        ['create', { partitionKey: PARTITION, rowKey: FORM_ROW + safeKey(input.formId), announcementId: id } satisfies FormEntity],
      ];
      try {
        await this.table.submitTransaction(actions);
        const stored = await this.get(id);
        if (!stored) throw new Error(`Announcement ${id} vanished right after it was stored`);
        return { stored, created: true };
      } catch (error) {
        // Another draft took the number, or the same form arrived twice at once: look again.
        if (!isTransactionConflict(error)) throw error;
      }
    }
    throw new Error('Could not allocate an announcement number: too many concurrent drafts');
  }

  async get(id: string): Promise<StoredAnnouncement | null> {
    // Anything else is not a key this store wrote (and may hold characters keys cannot).
    if (!ANNOUNCEMENT_ID.test(id)) return null;
    try {
      const entity = await this.table.getEntity<AnnouncementEntity>(PARTITION, ANNOUNCEMENT_ROW + id);
      return { announcement: JSON.parse(entity.body) as Announcement, etag: entity.etag };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async findByForm(formId: string): Promise<StoredAnnouncement | null> {
    try {
      const marker = await this.table.getEntity<FormEntity>(PARTITION, FORM_ROW + safeKey(formId));
      return this.get(marker.announcementId);
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async update(announcement: Announcement, etag: string): Promise<StoredAnnouncement> {
    try {
      const response = await this.table.updateEntity(toEntity(announcement), 'Replace', { etag });
      return { announcement, etag: response.etag ?? '' };
    } catch (error) {
      if (!isConflict(error)) throw error;
      const current = await this.get(announcement.id);
      if (!current) throw error;
      throw new AnnouncementConflictError(current);
    }
  }

  async list(filter: { state?: AnnouncementState } = {}): Promise<Announcement[]> {
    let query = odata`PartitionKey eq ${PARTITION} and RowKey ge ${ANNOUNCEMENT_ROW} and RowKey lt ${ANNOUNCEMENT_END}`;
    if (filter.state !== undefined) query += odata` and state eq ${filter.state}`;
    const announcements: Announcement[] = [];
    for await (const entity of this.table.listEntities<AnnouncementEntity>({ queryOptions: { filter: query } })) {
      announcements.push(JSON.parse(entity.body) as Announcement);
    }
    return announcements;
  }

  private readCounter(year: number): Promise<(CounterEntity & { etag: string }) | null> {
    return getEntityOrNull<CounterEntity>(this.table, PARTITION, COUNTER_ROW + year);
  }

}

/** The whole announcement as JSON, with the fields queries filter on beside it. */
function toEntity(announcement: Announcement): AnnouncementEntity {
  return {
    partitionKey: PARTITION,
    rowKey: ANNOUNCEMENT_ROW + announcement.id,
    body: JSON.stringify(announcement),
    state: announcement.state,
    startsAt: announcement.startsAt,
    sendAt: announcement.sendAt ?? '',
  };
}
