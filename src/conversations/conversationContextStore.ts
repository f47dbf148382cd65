import { odata, type TableClient } from '@azure/data-tables';
import { REPLY_LANGUAGES, type ReplyLanguage } from '../language/detectLanguage';
import type { PersonalDataHolder } from '../privacy/personalDataHolder';
import { BatchedUpserts } from '../storage/batchedUpserts';
import { RecentRows } from '../storage/recentRows';
import { deleteEntityIfExists, getEntityOrNull, openTable, safeKey, type TableStorage } from '../storage/tables';

/** How long a conversation's context lasts after its last message: a follow-up comes within minutes, not the next day. */
export const CONTEXT_LIFETIME_MS = 30 * 60 * 1000;

/**
 * What the bot keeps of a conversation between two messages, so that "og for
 * PBO?" is answered for the unit of the question before, and a short message
 * without language markers is answered in the conversation's language.
 */
export interface ConversationContext {
  userId: string;
  conversationId: string;
  language: ReplyLanguage | null;
  /** The last question's process, role (null: the process advisor) and unit. */
  process: string | null;
  role: string | null;
  unit: string | null;
  updatedAt: string;
}

/** Per user and conversation, in Table Storage so that every instance sees it. */
export interface ConversationContextStore {
  /** The context, or null when there is none or it has lain quiet for longer than its lifetime. */
  get(userId: string, conversationId: string, now?: Date): Promise<ConversationContext | null>;
  /** This instance has it at once; the promise resolves once it is stored, within CONTEXT_WRITE_DELAY_MS and a write. */
  save(context: ConversationContext): Promise<void>;
  /** Every context the user has (the personal data they can ask to see or delete). */
  listForUser(userId: string): Promise<ConversationContext[]>;
}

/** A type, not an interface: rows are written as plain records (TableEntity). */
type ContextEntity = {
  partitionKey: string;
  rowKey: string;
  userId: string;
  conversationId: string;
  language?: string;
  process?: string;
  role?: string;
  unit?: string;
  updatedAt: string;
};

/**
 * How long this instance trusts a context it read or wrote, without reading it
 * again: a quick exchange ("hvem er …?", "og for PBO?") costs no read. A
 * conversation's messages may reach any instance, and a write by another
 * instance is not seen here until this runs out; the context goes wrong only
 * if the user's messages alternate between instances within it (A, then B,
 * then A again, all within 5 seconds), and then the card says what was carried
 * over from "the previous question". Every change is still written at once
 * (write-through), so another instance never reads a context older than the
 * last message's.
 */
export const CONTEXT_CACHE_MS = 5_000;

/**
 * Contexts are written together, a moment after their messages were
 * answered: one transaction for all of a partition's, not a request each
 * (see BatchedUpserts). Why this delay is safe: another instance sees a
 * context once it is written, and a person's follow-up comes seconds after the
 * answer it follows, not within a tenth of one; a crash loses at most the
 * contexts of this last moment (their follow-ups then ask again).
 */
export const CONTEXT_WRITE_DELAY_MS = 50;

/**
 * All contexts share one partition, so that those of one moment go in one
 * transaction: Table Storage serves about 2,000 rows a second per partition,
 * far above what NTNU's people write; a user's rows are found by their row
 * keys' prefix.
 */
const PARTITION = 'contexts';

export class TableConversationContextStore implements ConversationContextStore {
  /** What this instance last read or wrote per conversation (null: none stored). */
  private readonly recent: RecentRows<ConversationContext | null>;
  private readonly writes: BatchedUpserts;

  private constructor(
    private readonly table: TableClient,
    options: { cacheMs?: number; clock?: () => number },
  ) {
    this.recent = new RecentRows(options.cacheMs ?? CONTEXT_CACHE_MS, undefined, options.clock);
    this.writes = new BatchedUpserts(table, CONTEXT_WRITE_DELAY_MS);
  }

  /** `cacheMs` and `clock` are for tests: how long, and by what clock, this instance trusts what it read or wrote. */
  static async open(storage: TableStorage, tableName = 'conversationcontexts', options: { cacheMs?: number; clock?: () => number } = {}): Promise<TableConversationContextStore> {
    return new TableConversationContextStore(await openTable(storage, tableName), options);
  }

  async get(userId: string, conversationId: string, now = new Date()): Promise<ConversationContext | null> {
    const key = cacheKey(userId, conversationId);
    let context = this.recent.get(key);
    if (context === undefined) {
      const entity = await getEntityOrNull<ContextEntity>(this.table, PARTITION, rowKeyOf(userId, conversationId));
      context = entity ? fromEntity(entity) : null;
      this.recent.set(key, context);
    }
    return context && !isExpired(context, now) ? context : null;
  }

  async save(context: ConversationContext): Promise<void> {
    const entity: ContextEntity = {
      partitionKey: PARTITION,
      rowKey: rowKeyOf(context.userId, context.conversationId),
      userId: context.userId,
      conversationId: context.conversationId,
      language: context.language ?? '',
      process: context.process ?? '',
      role: context.role ?? '',
      unit: context.unit ?? '',
      updatedAt: context.updatedAt,
    };
    const key = cacheKey(context.userId, context.conversationId);
    // Cached before the write: a follow-up reaching this instance meanwhile must see it.
    const cached = { ...context };
    this.recent.set(key, cached);
    try {
      await this.writes.upsert(entity);
    } catch (error) {
      // Whether the write landed is not known: the next message reads what is stored (unless a later one was cached).
      if (this.recent.get(key) === cached) this.recent.delete(key);
      throw error;
    }
  }

  /** Writes the contexts still waiting (at shutdown). */
  close(): Promise<void> {
    return this.writes.flush();
  }

  async listForUser(userId: string): Promise<ConversationContext[]> {
    const contexts: ConversationContext[] = [];
    const prefix = `${safeKey(userId)}${ROW_KEY_SEPARATOR}`;
    // Row keys of one user run from `user|` up to, not including, `user}` ('}' follows '|').
    const filter = odata`PartitionKey eq ${PARTITION} and RowKey ge ${prefix} and RowKey lt ${`${safeKey(userId)}}`}`;
    for await (const entity of this.table.listEntities<ContextEntity>({ queryOptions: { filter } })) contexts.push(fromEntity(entity));
    return contexts;
  }

  /**
   * Deletes the contexts that have lain quiet since before `cutoff` (they are of no use after their lifetime, and
   * hold what someone asked), and rows of an earlier layout (keyed by user, not by partition); how many.
   */
  async deleteQuietBefore(cutoff: Date): Promise<number> {
    let deleted = 0;
    const select = ['PartitionKey', 'RowKey', 'updatedAt'];
    for await (const entity of this.table.listEntities<{ updatedAt?: string }>({ queryOptions: { select } })) {
      const current = entity.partitionKey === PARTITION && (entity.rowKey ?? '').includes(ROW_KEY_SEPARATOR);
      if (current && !(Date.parse(entity.updatedAt ?? '') < cutoff.getTime())) continue;
      if (await deleteEntityIfExists(this.table, entity.partitionKey ?? '', entity.rowKey ?? '')) deleted += 1;
    }
    return deleted;
  }

  /** Drops what this instance holds of the user's contexts. */
  private forgetUser(userId: string): void {
    const prefix = `${safeKey(userId)}/`;
    this.recent.deleteWhere((key) => key.startsWith(prefix));
  }

  /** The context of each of the user's conversations (their last question and its language). */
  personalData(): PersonalDataHolder<ConversationContext> {
    return {
      kind: 'conversationContexts',
      tables: [this.table.tableName],
      // What waits to be written is theirs too: written first, it is found (and deleted) with the rest.
      findForUser: async (user) => {
        await this.writes.flush();
        return this.listForUser(user.id);
      },
      deleteForUser: async (user) => {
        await this.writes.flush();
        const contexts = await this.listForUser(user.id);
        const deleted = await Promise.all(contexts.map((context) => deleteEntityIfExists(this.table, PARTITION, rowKeyOf(user.id, context.conversationId))));
        // A message of theirs answered meanwhile is not written after the deletion.
        const prefix = `${safeKey(user.id)}${ROW_KEY_SEPARATOR}`;
        this.writes.discardWhere((entity) => entity.rowKey.startsWith(prefix));
        // This instance forgets them too; another instance may go on using what it read for CONTEXT_CACHE_MS at most.
        this.forgetUser(user.id);
        return contexts.filter((_context, index) => deleted[index]).map((context) => context.conversationId);
      },
    };
  }
}

function cacheKey(userId: string, conversationId: string): string {
  // safeKey never yields '/', so the pair is unambiguous.
  return `${safeKey(userId)}/${safeKey(conversationId)}`;
}

/** safeKey never yields it (nor '}', which follows it), and Table Storage allows it in keys. */
const ROW_KEY_SEPARATOR = '|';

function rowKeyOf(userId: string, conversationId: string): string {
  return `${safeKey(userId)}${ROW_KEY_SEPARATOR}${safeKey(conversationId)}`;
}

/**
 * A context unchanged and saved less than this long ago is not written again:
 * a quick exchange costs one storage read a message, not a read and a write,
 * and the context lasts between 29 and 30 minutes after the last message.
 */
export const CONTEXT_REFRESH_MS = 60 * 1000;

/** Whether the next context must be written: something changed, or the saved one is due for refreshing. */
export function needsSaving(saved: ConversationContext | null, next: Omit<ConversationContext, 'updatedAt'>, now: Date): boolean {
  if (!saved) return true;
  const same = saved.language === next.language && saved.process === next.process && saved.role === next.role && saved.unit === next.unit;
  return !same || now.getTime() - Date.parse(saved.updatedAt) >= CONTEXT_REFRESH_MS;
}

export function isExpired(context: ConversationContext, now: Date): boolean {
  return now.getTime() - Date.parse(context.updatedAt) > CONTEXT_LIFETIME_MS;
}

function fromEntity(entity: ContextEntity): ConversationContext {
  const language = REPLY_LANGUAGES.find((known) => known === entity.language) ?? null;
  return {
    userId: entity.userId,
    conversationId: entity.conversationId,
    language,
    process: entity.process || null,
    role: entity.role || null,
    unit: entity.unit || null,
    updatedAt: entity.updatedAt,
  };
}
