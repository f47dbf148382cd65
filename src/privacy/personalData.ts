/**
 * Deleting a user's personal data on their own request ("slett mine data").
 *
 * Deleted: what the bot remembers about the user (their unit and a waiting
 * question), the context of their conversations (the last question's process,
 * role and unit, and the language), their process roles and subscriptions, their event reminders and
 * the reference to their personal chat with the bot.
 *
 * Improvement suggestions are the process team's case records, so they stay,
 * but without the person: in suggestions the user submitted or supported, the
 * user is replaced by an anonymous stand-in (name, e-mail and id removed,
 * "may contact" cleared), including the history lines of their own submitting,
 * supporting and withdrawing. What they did as a handler of other people's
 * suggestions (taking, forwarding, deciding) stays as the record of that case.
 */
import type { UserProfileStore } from '../profiles/userProfileStore';
import type { SubscriptionStore } from '../announcements/subscriptionStore';
import type { ReminderStore } from '../announcements/reminders';
import type { ConversationStore } from '../conversations/conversationStore';
import type { ConversationContextStore } from '../conversations/conversationContextStore';
import { ANONYMISED_ACTOR, type Actor, type HistoryEntry, type Suggestion } from '../suggestions/model';
import { SuggestionConflictError, type SuggestionStore } from '../suggestions/suggestionStore';

export interface PersonalDataStores {
  profiles: Pick<UserProfileStore, 'delete'>;
  conversationContexts: Pick<ConversationContextStore, 'deleteForUser'>;
  subscriptions: Pick<SubscriptionStore, 'delete'>;
  reminders: Pick<ReminderStore, 'deleteForUser'>;
  conversations: Pick<ConversationStore, 'forgetPersonalChat'>;
  suggestions: Pick<SuggestionStore, 'list' | 'get' | 'update'>;
}

export interface DeletionReport {
  profile: boolean;
  /** Conversation contexts deleted. */
  contexts: number;
  subscriptions: boolean;
  reminders: number;
  personalChat: boolean;
  /** Ids of the suggestions the user was removed from. */
  anonymisedSuggestions: string[];
}

/** History lines that say what the person did as submitter or supporter, not as a handler. */
const OWN_ACTIONS: ReadonlySet<HistoryEntry['action']> = new Set(['submitted', 'supported', 'withdraw']);
const UPDATE_ATTEMPTS = 5;

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
  constructor(private readonly stores: PersonalDataStores) {}

  /** Deletes the user's personal data; safe to repeat (a second run finds nothing). */
  async deleteFor(user: { id: string; email?: string | null }): Promise<DeletionReport> {
    const [profile, contexts, subscriptions, reminders] = await Promise.all([
      this.stores.profiles.delete(user.id),
      this.stores.conversationContexts.deleteForUser(user.id),
      this.stores.subscriptions.delete(user.id),
      this.stores.reminders.deleteForUser(user.id),
    ]);
    const anonymisedSuggestions = await this.anonymiseSuggestions(user.id);
    // Last: until here, the user could still be told if something failed.
    const personalChat = await this.stores.conversations.forgetPersonalChat(user);
    return { profile, contexts, subscriptions, reminders, personalChat, anonymisedSuggestions };
  }

  private async anonymiseSuggestions(userId: string): Promise<string[]> {
    const involved = (await this.stores.suggestions.list()).filter((suggestion) => withoutPerson(suggestion, userId) !== null);
    const done: string[] = [];
    for (const { id } of involved) {
      for (let attempt = 1; ; attempt += 1) {
        const stored = await this.stores.suggestions.get(id);
        const changed = stored && withoutPerson(stored.suggestion, userId);
        if (!stored || !changed) break;
        try {
          // updatedAt stays: removing a name is not a change the follow-up reminders should count.
          await this.stores.suggestions.update(changed, stored.etag);
          done.push(id);
          break;
        } catch (error) {
          // Someone acted on the suggestion meanwhile: apply the removal to what they left.
          if (!(error instanceof SuggestionConflictError) || attempt >= UPDATE_ATTEMPTS) throw error;
        }
      }
    }
    return done;
  }
}
