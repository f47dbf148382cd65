import type { TableClient, TransactionAction } from '@azure/data-tables';
import { getEntityOrNull, isConflict, isNotFound, isTransactionConflict, openTable, type TableStorage, safeKey } from '../storage/tables';
import type { Actor, Route, Suggestion, SuggestionDraft } from './model';

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
  language: 'nb' | 'en';
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
const COUNTER_ROW = 'counter:';
const IDEMPOTENCY_ROW = 'activity:';
const CREATE_ATTEMPTS = 10;

type SuggestionEntity = {
  partitionKey: string;
  rowKey: string;
  body: string;
  state: string;
  process: string;
  submitterId: string;
  createdAt: string;
};

type CounterEntity = {
  partitionKey: string;
  rowKey: string;
  last: number;
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

  async create(input: NewSuggestion): Promise<{ stored: StoredSuggestion; created: boolean }> {
    const idempotencyRow = IDEMPOTENCY_ROW + safeKey(input.idempotencyKey);
    const year = input.now.getUTCFullYear();
    for (let attempt = 1; attempt <= CREATE_ATTEMPTS; attempt++) {
      const existing = await this.findBySubmission(input.idempotencyKey);
      if (existing) return { stored: existing, created: false };

      const counter = await this.readCounter(year);
      const number = (counter?.last ?? 0) + 1;
      const id = `FF-${year}-${String(number).padStart(4, '0')}`;
      const at = input.now.toISOString();
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
      const counterEntity: CounterEntity = { partitionKey: PARTITION, rowKey: COUNTER_ROW + year, last: number };
      const actions: TransactionAction[] = [
        counter ? ['update', counterEntity, 'Replace', { etag: counter.etag }] : ['create', counterEntity],
        ['create', toEntity(suggestion)],
        ['create', { partitionKey: PARTITION, rowKey: idempotencyRow, suggestionId: id } satisfies IdempotencyEntity],
      ];
      try {
        await this.table.submitTransaction(actions);
        const stored = await this.get(id);
        if (!stored) throw new Error(`Suggestion ${id} vanished right after it was stored`);
        return { stored, created: true };
      } catch (error) {
        // Another submission took the number, or the same activity arrived twice at once: look again.
        if (!isTransactionConflict(error)) throw error;
      }
    }
    throw new Error('Could not allocate a suggestion number: too many concurrent submissions');
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

  private readCounter(year: number): Promise<(CounterEntity & { etag: string }) | null> {
    return getEntityOrNull<CounterEntity>(this.table, PARTITION, COUNTER_ROW + year);
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
