/**
 * The one port every store holding personal data implements, so that "slett
 * mine data" (and a request made by other means) reaches every table: the
 * deletion service takes a list of holders, and a test fails when the app
 * creates a table that no holder covers and that is not declared free of
 * users' data (TABLES_WITHOUT_USER_DATA in personalData.ts).
 */
import type { ConversationReferenceValue } from '../conversations/conversationReference';

/** Whose data: the id the app stores for a user (the Entra object id) and, when known, their e-mail. */
export interface DataSubject {
  id: string;
  email?: string | null;
}

/** What a holder holds, as the deletion reply names it. */
export const PERSONAL_DATA_KINDS = [
  'profile',
  'conversationContexts',
  'subscriptions',
  'reminders',
  'personalChat',
  'deliveryRecords',
  'outboxMessages',
  'channelRegistrations',
  'suggestions',
  'roleHolders',
  'advisorQuestions',
] as const;
export type PersonalDataKind = (typeof PERSONAL_DATA_KINDS)[number];

export interface PersonalDataHolder<R = unknown> {
  readonly kind: PersonalDataKind;
  /** The tables it finds and deletes in, as named in storage (TABLE_PREFIX included). */
  readonly tables: readonly string[];
  /** Every record of the user it holds (what a request to see one's data would show). */
  findForUser(user: DataSubject): Promise<R[]>;
  /**
   * Removes the user (deletes their records, or removes them from a record
   * that is not theirs); the ids of what it removed them from. Safe to repeat.
   */
  deleteForUser(user: DataSubject): Promise<string[]>;
}

/**
 * Whether a text (a JSON row, an outbox id) names the user by id or e-mail, as
 * a whole token: "u-kari" is not found in "u-karix", nor kari@x in okari@x.
 */
export function namesUser(text: string, user: DataSubject): boolean {
  const names = [user.id, user.email ?? ''].filter((name) => name !== '');
  return names.some((name) => new RegExp(`(?<![\\w.@+-])${escapeRegExp(name)}(?![\\w.@+-])`, 'i').test(text));
}

/**
 * Whether a Teams conversation reference names the user as its `user` (Teams
 * puts whoever wrote the activity there; the app stores the Entra object id,
 * Teams' own user id is the fallback as in ConversationMemory).
 */
export function referenceNamesUser(reference: ConversationReferenceValue, user: DataSubject): boolean {
  const referenced = reference.user;
  return referenced !== undefined && referenced !== null && (referenced.aadObjectId === user.id || referenced.id === user.id);
}

/** The reference without the person: a channel or group chat is written to without one. */
export function withoutReferencedUser<R extends ConversationReferenceValue>(reference: R): Omit<R, 'user'> {
  const { user: _user, ...rest } = reference;
  return rest;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** How often a record is read again when someone changed it between reading and writing. */
const REWRITE_ATTEMPTS = 5;

/**
 * Rewrites each record without the person (records kept for others, such as suggestions and questions to the
 * advisors): read, rewrite, write back if unchanged meanwhile (its etag), else read again and apply the removal to
 * what the other left. The ids of the records rewritten; a record the person is no longer in is skipped.
 */
export async function rewriteWithoutPerson<T>(
  ids: readonly string[],
  records: {
    read(id: string): Promise<{ record: T; etag: string } | null>;
    /** The record without the person; null when they are not in it. */
    rewrite(record: T): T | null;
    write(record: T, etag: string): Promise<unknown>;
    /** Whether a failed write means someone else changed the record first. */
    isConflict(error: unknown): boolean;
  },
): Promise<string[]> {
  const done: string[] = [];
  for (const id of ids) {
    for (let attempt = 1; ; attempt += 1) {
      const stored = await records.read(id);
      const changed = stored && records.rewrite(stored.record);
      if (!stored || !changed) break;
      try {
        await records.write(changed, stored.etag);
        done.push(id);
        break;
      } catch (error) {
        if (!records.isConflict(error) || attempt >= REWRITE_ATTEMPTS) throw error;
      }
    }
  }
  return done;
}
