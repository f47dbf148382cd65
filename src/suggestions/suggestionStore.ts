import type { TableClient } from '@azure/data-tables';
import type { ReplyLanguage } from '../language/detectLanguage';
import { createNumbered } from '../storage/numberedRows';
import { isConflict, isNotFound, openTable, type TableStorage, safeKey } from '../storage/tables';
import type { Route, Suggestion, SuggestionDraft } from './model';
import type { Actor } from '../core/actor';

export interface StoredSuggestion {
  suggestion: Suggestion;
  /** Optimistic-concurrency tag: an update based on an older one is refused. */
  etag: string;
}

export interface NewSuggestion {
  draft: SuggestionDraft;
  submitter: Actor;
  route: Route;
  now: Date;
  language: ReplyLanguage;
  /** The Teams activity that submitted it: the same activity delivered twice creates one suggestion. */
  idempotencyKey: string;
}

export interface SuggestionStore {
  create(input: NewSuggestion): Promise<{ stored: StoredSuggestion; created: boolean }>;
  get(id: string): Promise<StoredSuggestion | null>;
  /** The suggestion a submission (by its idempotency key) created, if any. */
  findBySubmission(idempotencyKey: string): Promise<StoredSuggestion | null>;
  /** Saves a changed suggestion if nobody changed it since `etag`; otherwise throws SuggestionConflictError. */
  update(suggestion: Suggestion, etag: string): Promise<StoredSuggestion>;
  list(): Promise<Suggestion[]>;
}

/** Someone else changed the suggestion first; `current` is what they left. */
export class SuggestionConflictError extends Error {
  constructor(readonly current: StoredSuggestion) {
    super(`Suggestion ${current.suggestion.id} was changed by someone else first`);
    this.name = 'SuggestionConflictError';
  }
}

/**
 * Every row lives in one partition, so a new suggestion, its number from the
 * year's counter and its idempotency marker are written in one atomic
 * transaction: no number is used twice, and a retried activity finds its
 * suggestion. One partition serves a couple of thousand operations a second,
 * far beyond NTNU's suggestion rate.
 */
const PARTITION = 'suggestions';
const SUGGESTION_ROW = 's:';
const IDEMPOTENCY_ROW = 'activity:';

type SuggestionEntity = {
  partitionKey: string;
  rowKey: string;
  body: string;
  state: string;
  process: string;
  submitterId: string;
  createdAt: string;
};

type IdempotencyEntity = {
  partitionKey: string;
  rowKey: string;
  suggestionId: string;
};

export class TableSuggestionStore implements SuggestionStore {
  private constructor(private readonly table: TableClient) {}

  static async open(storage: TableStorage, tableName = 'suggestions'): Promise<TableSuggestionStore> {
    return new TableSuggestionStore(await openTable(storage, tableName));
  }

  /** The table's name in storage (the personal data service names the tables it covers). */
  get tableName(): string {
    return this.table.tableName;
  }

  async create(input: NewSuggestion): Promise<{ stored: StoredSuggestion; created: boolean }> {
    const at = input.now.toISOString();
    return createNumbered({
      table: this.table,
      partition: PARTITION,
      prefix: 'FF',
      year: input.now.getUTCFullYear(),
      existing: () => this.findBySubmission(input.idempotencyKey),
      rows: (id) => {
        const suggestion: Suggestion = {
          ...input.draft,
          id,
          submitter: input.submitter,
          state: 'ny',
          assignee: null,
          route: input.route,
          delivered: false,
          supporters: [],
          history: [{ at, by: input.submitter, action: 'submitted', from: null, to: 'ny', comment: null }],
          postings: [],
          language: input.language,
          createdAt: at,
          updatedAt: at,
        };
        return [
          ['create', toEntity(suggestion)],
          ['create', { partitionKey: PARTITION, rowKey: IDEMPOTENCY_ROW + safeKey(input.idempotencyKey), suggestionId: id } satisfies IdempotencyEntity],
        ];
      },
      read: (id) => this.get(id),
    });
  }

  async get(id: string): Promise<StoredSuggestion | null> {
    try {
      const entity = await this.table.getEntity<SuggestionEntity>(PARTITION, SUGGESTION_ROW + id);
      return { suggestion: JSON.parse(entity.body) as Suggestion, etag: entity.etag };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async update(suggestion: Suggestion, etag: string): Promise<StoredSuggestion> {
    try {
      const response = await this.table.updateEntity(toEntity(suggestion), 'Replace', { etag });
      return { suggestion, etag: response.etag ?? '' };
    } catch (error) {
      if (!isConflict(error)) throw error;
      const current = await this.get(suggestion.id);
      if (!current) throw error;
      throw new SuggestionConflictError(current);
    }
  }

  async list(): Promise<Suggestion[]> {
    const suggestions: Suggestion[] = [];
    const filter = `PartitionKey eq '${PARTITION}' and RowKey ge '${SUGGESTION_ROW}' and RowKey lt 's;'`;
    for await (const entity of this.table.listEntities<SuggestionEntity>({ queryOptions: { filter } })) {
      suggestions.push(JSON.parse(entity.body) as Suggestion);
    }
    return suggestions;
  }

  async findBySubmission(idempotencyKey: string): Promise<StoredSuggestion | null> {
    try {
      const marker = await this.table.getEntity<IdempotencyEntity>(PARTITION, IDEMPOTENCY_ROW + safeKey(idempotencyKey));
      return this.get(marker.suggestionId);
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }
}

/** The whole suggestion as JSON (history and route are nested), with the fields queries need beside it. */
function toEntity(suggestion: Suggestion): SuggestionEntity {
  return {
    partitionKey: PARTITION,
    rowKey: SUGGESTION_ROW + suggestion.id,
    body: JSON.stringify(suggestion),
    state: suggestion.state,
    process: suggestion.process,
    submitterId: suggestion.submitter.id,
    createdAt: suggestion.createdAt,
  };
}
