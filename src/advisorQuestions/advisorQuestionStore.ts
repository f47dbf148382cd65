import type { TableClient } from '@azure/data-tables';
import type { Actor } from '../core/actor';
import type { ReplyLanguage } from '../language/detectLanguage';
import type { Route } from '../routing/processRoutes';
import { createNumbered } from '../storage/numberedRows';
import { isConflict, isNotFound, openTable, safeKey, type TableStorage } from '../storage/tables';
import type { AdvisorQuestion, QuestionDraft } from './model';

export interface StoredQuestion {
  question: AdvisorQuestion;
  /** Optimistic-concurrency tag: an update based on an older one is refused. */
  etag: string;
}

export interface NewQuestion {
  draft: QuestionDraft;
  asker: Actor;
  route: Route;
  now: Date;
  language: ReplyLanguage;
  /** The form submission: the same one arriving twice creates one question. */
  idempotencyKey: string;
}

export interface AdvisorQuestionStore {
  create(input: NewQuestion): Promise<{ stored: StoredQuestion; created: boolean }>;
  get(id: string): Promise<StoredQuestion | null>;
  findBySubmission(idempotencyKey: string): Promise<StoredQuestion | null>;
  /** Saves a changed question if nobody changed it since `etag`; otherwise throws QuestionConflictError. */
  update(question: AdvisorQuestion, etag: string): Promise<StoredQuestion>;
  list(): Promise<AdvisorQuestion[]>;
}

/** Someone else changed the question first; `current` is what they left. */
export class QuestionConflictError extends Error {
  constructor(readonly current: StoredQuestion) {
    super(`Question ${current.question.id} was changed by someone else first`);
    this.name = 'QuestionConflictError';
  }
}

/**
 * One partition, as for suggestions: a new question, its number from the
 * year's counter (SP-yyyy-nnnn) and its idempotency marker are written in one
 * atomic transaction.
 */
const PARTITION = 'questions';
const QUESTION_ROW = 'q:';
const IDEMPOTENCY_ROW = 'submission:';

type QuestionEntity = { partitionKey: string; rowKey: string; body: string; state: string; process: string; askerId: string; createdAt: string };
type IdempotencyEntity = { partitionKey: string; rowKey: string; questionId: string };

export class TableAdvisorQuestionStore implements AdvisorQuestionStore {
  private constructor(private readonly table: TableClient) {}

  static async open(storage: TableStorage, tableName = 'advisorquestions'): Promise<TableAdvisorQuestionStore> {
    return new TableAdvisorQuestionStore(await openTable(storage, tableName));
  }

  /** The table's name in storage (the personal data service names the tables it covers). */
  get tableName(): string {
    return this.table.tableName;
  }

  async create(input: NewQuestion): Promise<{ stored: StoredQuestion; created: boolean }> {
    const at = input.now.toISOString();
    return createNumbered({
      table: this.table,
      partition: PARTITION,
      prefix: 'SP',
      year: input.now.getUTCFullYear(),
      existing: () => this.findBySubmission(input.idempotencyKey),
      rows: (id) => {
        const question: AdvisorQuestion = {
          ...input.draft,
          id,
          asker: input.asker,
          state: 'submitted',
          assignee: null,
          route: input.route,
          delivered: false,
          postings: [],
          undeliverable: [],
          answer: null,
          suggestionId: null,
          history: [{ at, by: input.asker, action: 'submitted', from: null, to: 'submitted', comment: null }],
          language: input.language,
          createdAt: at,
          updatedAt: at,
        };
        return [
          ['create', toEntity(question)],
          ['create', { partitionKey: PARTITION, rowKey: IDEMPOTENCY_ROW + safeKey(input.idempotencyKey), questionId: id } satisfies IdempotencyEntity],
        ];
      },
      read: (id) => this.get(id),
    });
  }

  async get(id: string): Promise<StoredQuestion | null> {
    try {
      const entity = await this.table.getEntity<QuestionEntity>(PARTITION, QUESTION_ROW + id);
      return { question: JSON.parse(entity.body) as AdvisorQuestion, etag: entity.etag };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async update(question: AdvisorQuestion, etag: string): Promise<StoredQuestion> {
    try {
      const response = await this.table.updateEntity(toEntity(question), 'Replace', { etag });
      return { question, etag: response.etag ?? '' };
    } catch (error) {
      if (!isConflict(error)) throw error;
      const current = await this.get(question.id);
      if (!current) throw error;
      throw new QuestionConflictError(current);
    }
  }

  async list(): Promise<AdvisorQuestion[]> {
    const questions: AdvisorQuestion[] = [];
    // 'q;' is the first row key after every 'q:…'.
    const filter = `PartitionKey eq '${PARTITION}' and RowKey ge '${QUESTION_ROW}' and RowKey lt 'q;'`;
    for await (const entity of this.table.listEntities<QuestionEntity>({ queryOptions: { filter } })) questions.push(JSON.parse(entity.body) as AdvisorQuestion);
    return questions;
  }

  async findBySubmission(idempotencyKey: string): Promise<StoredQuestion | null> {
    try {
      const marker = await this.table.getEntity<IdempotencyEntity>(PARTITION, IDEMPOTENCY_ROW + safeKey(idempotencyKey));
      return this.get(marker.questionId);
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }
}

/** The whole question as JSON, with the fields queries need beside it. */
function toEntity(question: AdvisorQuestion): QuestionEntity {
  return {
    partitionKey: PARTITION,
    rowKey: QUESTION_ROW + question.id,
    body: JSON.stringify(question),
    state: question.state,
    process: question.process,
    askerId: question.asker.id,
    createdAt: question.createdAt,
  };
}
