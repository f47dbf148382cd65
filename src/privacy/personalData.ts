/**
 * Deleting a user's personal data on their own request ("slett mine data").
 *
 * Every store that holds personal data gives one PersonalDataHolder (find and
 * delete by user, personalDataHolder.ts), and the service deletes through the
 * list of them, so no table is missed; TABLES_WITHOUT_USER_DATA names the
 * tables that are deliberately left, with why, and a test fails when the app
 * creates a table that is in neither. The holders:
 *
 * - userprofiles: the user's unit and a waiting question (deleted);
 * - conversationcontexts: per conversation, the last question's process, role
 *   and unit, and the language (deleted);
 * - subscriptions: process roles and subscriptions (deleted);
 * - eventreminders: the event reminders they asked for (deleted);
 * - conversations: their personal chats and the indexes from their id and
 *   e-mail (deleted), and channels and group chats whose reference names them
 *   as the one who last wrote there (the person removed from the reference);
 * - broadcasts: the delivery records of announcements and reminders sent to
 *   them, which hold their chat reference (deleted; a channel's record loses
 *   only the person; a delivery still under way is left to finish);
 * - outbox: messages that name them (reminders, cards and digests for them;
 *   deleted, whatever their state);
 * - roleholders: the coordinator's list of who holds process roles, by e-mail
 *   (deleted, in every stored version; the next import adds them again if the
 *   Unit4 export still names them);
 * - channelregistrations: the person removed from the channel reference;
 *   who registered it stays, as the record of that act;
 * - suggestions: the process team's case records, so they stay, but without
 *   the person: in suggestions the user submitted or supported, the user is
 *   replaced by an anonymous stand-in (name, e-mail and id removed, "may
 *   contact" cleared), including the history lines of their own submitting,
 *   supporting and withdrawing. What they did as a handler of other people's
 *   suggestions (taking, forwarding, deciding) stays as the record of that case;
 * - advisorquestions: likewise, the questions the user asked stay without them
 *   (advisorQuestionsPersonalData.ts).
 */
import type { HistoryEntry, Suggestion } from '../suggestions/model';
import { ANONYMISED_ACTOR, type Actor } from '../core/actor';
import { SuggestionConflictError, type SuggestionStore } from '../suggestions/suggestionStore';
import { PERSONAL_DATA_KINDS, rewriteWithoutPerson, type DataSubject, type PersonalDataHolder, type PersonalDataKind } from './personalDataHolder';

/**
 * Tables a deletion request leaves alone, by name without TABLE_PREFIX, each
 * with why: they hold nothing of a user of the bot, or hold a person only as
 * the record of an act in their role.
 */
export const TABLES_WITHOUT_USER_DATA: Readonly<Record<string, string>> = {
  directory:
    'the directory as the coordinator imports it (units, processes, and the people in roles there); ' +
    "a person leaves it at its source, the coordinator's files, and with the next import",
  announcements:
    'announcements and who composed them: a coordinator acting in that role, kept as the record of the announcement ' +
    "like a handler's actions on a suggestion; the recipients are in broadcasts",
  eventarchive: 'past events from the shipped events-archive.csv (titles, dates, materials); their author is the file, no person',
};

/** Ids of what was removed, per kind of data (for suggestions: the ids of those the user was removed from). */
export type DeletionReport = Record<PersonalDataKind, string[]>;

/** History lines that say what the person did as submitter or supporter, not as a handler. */
const OWN_ACTIONS: ReadonlySet<HistoryEntry['action']> = new Set(['submitted', 'supported', 'withdraw']);

/** The suggestion without the user as submitter or supporter; null when they are not in it that way. */
export function withoutPerson(suggestion: Suggestion, userId: string): Suggestion | null {
  const isUser = (actor: Actor) => actor.id === userId;
  const submitted = isUser(suggestion.submitter);
  const supported = suggestion.supporters.some(isUser);
  if (!submitted && !supported) return null;
  return {
    ...suggestion,
    submitter: submitted ? { ...ANONYMISED_ACTOR } : suggestion.submitter,
    mayContact: submitted ? false : suggestion.mayContact,
    supporters: suggestion.supporters.map((actor) => (isUser(actor) ? { ...ANONYMISED_ACTOR } : actor)),
    history: suggestion.history.map((entry) => (isUser(entry.by) && OWN_ACTIONS.has(entry.action) ? { ...entry, by: { ...ANONYMISED_ACTOR } } : entry)),
  };
}

export class PersonalDataService {
  constructor(private readonly holders: readonly PersonalDataHolder[]) {}

  /** The tables the holders cover, as named in storage. */
  get tables(): string[] {
    return this.holders.flatMap((holder) => holder.tables);
  }

  /** Deletes the user's personal data; safe to repeat (a second run finds nothing). */
  async deleteFor(user: DataSubject): Promise<DeletionReport> {
    const report = Object.fromEntries(PERSONAL_DATA_KINDS.map((kind) => [kind, [] as string[]])) as DeletionReport;
    // The personal chat last: until it goes, the user could still be told if something failed.
    const chatLast = [...this.holders].sort((a, b) => Number(a.kind === 'personalChat') - Number(b.kind === 'personalChat'));
    for (const holder of chatLast) report[holder.kind].push(...(await holder.deleteForUser(user)));
    return report;
  }
}

/** The suggestions the user submitted or supported, from which deletion removes them. */
export function suggestionsPersonalData(store: Pick<SuggestionStore, 'list' | 'get' | 'update'> & { tableName: string }): PersonalDataHolder<Suggestion> {
  const involving = async (user: DataSubject) => (await store.list()).filter((suggestion) => withoutPerson(suggestion, user.id) !== null);
  return {
    kind: 'suggestions',
    tables: [store.tableName],
    findForUser: involving,
    deleteForUser: async (user) =>
      rewriteWithoutPerson(
        (await involving(user)).map((suggestion) => suggestion.id),
        {
          read: async (id) => {
            const stored = await store.get(id);
            return stored && { record: stored.suggestion, etag: stored.etag };
          },
          rewrite: (suggestion) => withoutPerson(suggestion, user.id),
          // updatedAt stays: removing a name is not a change the follow-up reminders should count.
          write: (suggestion, etag) => store.update(suggestion, etag),
          isConflict: (error) => error instanceof SuggestionConflictError,
        },
      ),
  };
}
