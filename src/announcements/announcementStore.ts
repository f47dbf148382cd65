import { odata, type TableClient } from '@azure/data-tables';
import { createNumbered } from '../storage/numberedRows';
import { isConflict, isNotFound, openTable, type TableStorage, safeKey } from '../storage/tables';
import { inOslo } from '../core/osloTime';
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
const FORM_ROW = 'form:';
export const ANNOUNCEMENT_ID = /^KU-\d{4}-\d{4,6}$/;

type AnnouncementEntity = {
  partitionKey: string;
  rowKey: string;
  body: string;
  state: AnnouncementState;
  startsAt: string;
  sendAt: string;
};

type FormEntity = { partitionKey: string; rowKey: string; announcementId: string };

export class TableAnnouncementStore implements AnnouncementStore {
  private constructor(private readonly table: TableClient) {}

  static async open(storage: TableStorage, tableName = 'announcements'): Promise<TableAnnouncementStore> {
    return new TableAnnouncementStore(await openTable(storage, tableName));
  }

  async createDraft(input: NewDraft): Promise<{ stored: StoredAnnouncement; created: boolean }> {
    const at = input.now.toISOString();
    return createNumbered({
      table: this.table,
      partition: PARTITION,
      prefix: 'KU',
      // The year as in Norway: a draft made just after midnight on New Year's Day belongs to the new year.
      year: inOslo(input.now).year,
      existing: () => this.findByForm(input.formId),
      rows: (id) => {
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
        return [
          ['create', toEntity(announcement)],
          ['create', { partitionKey: PARTITION, rowKey: FORM_ROW + safeKey(input.formId), announcementId: id } satisfies FormEntity],
        ];
      },
      read: (id) => this.get(id),
    });
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
