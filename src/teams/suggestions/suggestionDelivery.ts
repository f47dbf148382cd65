import { ActivityTypes, type Activity, type ConversationReference } from 'botbuilder';
import type { TeamsAdapter } from '@microsoft/teams-ai';
import type { ChannelRegistrationStore } from '../../conversations/channelRegistrations';
import type { ConversationStore } from '../../conversations/conversationStore';
import type { OutboxJob, OutboxJobs } from '../../delivery/outboxJobs';
import type { DeliveryOutcome } from '../../delivery/outboxWorker';
import type { DirectoryService } from '../../directory/directoryService';
import { suggestionTexts } from '../../i18n';
import type { Logger } from '../../logger';
import { availableActions } from '../../suggestions/lifecycle';
import { FINAL_STATES, type Suggestion, type UndeliverableCause } from '../../suggestions/model';
import { isAnonymised } from '../../core/actor';
import type { FollowUpMessagePayloads } from '../../suggestions/followUp';
import {
  SUGGESTION_MESSAGES,
  type NotifyPayload,
  type RefreshPayload,
  type RoutePayload,
  type SuggestionMessagePayloads,
  type SuggestionService,
} from '../../suggestions/suggestionService';
import { followUpDeliveryJobs } from './followUpDelivery';
import { changeVerb, suggestionCard } from './suggestionCards';
import { botReference, inConversation } from '../proactive';

export interface SuggestionDeliveryDependencies {
  adapter: TeamsAdapter;
  botAppId: string;
  service: SuggestionService;
  directory: DirectoryService;
  conversations: ConversationStore;
  registrations: ChannelRegistrationStore;
  logger: Logger;
}

/** Cards posted to process teams are in the organisation's language. */
const TEAM_LANGUAGE = 'nb';

/**
 * Delivers the suggestion messages of the outbox to Teams: the routed card,
 * the submitter's notifications and in-place updates of every posted card.
 */
const NO_CHANNEL = 'no conversation reference for';
const NOT_INSTALLED = 'the bot is not installed for';
const REFUSED = 'Teams refused the card:';

/** The cause of a route given up on, from the reason this module's route handler reported (the outbox keeps only its text). */
export function routeFailureCause(reason: string): UndeliverableCause {
  if (reason.includes(NOT_INSTALLED)) return 'not-installed';
  if (reason.includes(NO_CHANNEL)) return 'no-channel';
  if (reason.includes(REFUSED)) return 'refused';
  return 'failing';
}

export function suggestionDeliveryJobs(deps: SuggestionDeliveryDependencies): OutboxJobs<SuggestionMessagePayloads & FollowUpMessagePayloads> {
  const isLocal = (suggestion: Suggestion) => deps.directory.index.process(suggestion.process)?.advisorModel === 'local';

  /** The card as the people handling it see it; the server checks each click again. */
  const handlerCard = (suggestion: Suggestion) =>
    suggestionCard(suggestion, deps.directory.index, TEAM_LANGUAGE, {
      view: 'handler',
      actions: availableActions(suggestion, { handler: true, submitter: false }, isLocal(suggestion)),
    });

  async function send(reference: ConversationReference, activity: Partial<Activity>): Promise<string> {
    let id = '';
    await inConversation(deps.adapter, deps.botAppId, reference, async (context) => {
      id = (await context.sendActivity(activity))?.id ?? '';
    });
    return id;
  }

  async function referenceFor(conversationId: string): Promise<ConversationReference | null> {
    const known = await deps.conversations.get(conversationId);
    if (known) return botReference(known.reference);
    const registration = (await deps.registrations.list()).find((candidate) => candidate.conversationId === conversationId);
    return registration ? botReference(registration.reference) : null;
  }

  async function update(reference: Partial<ConversationReference>, activityId: string, activity: Partial<Activity>): Promise<void> {
    await inConversation(deps.adapter, deps.botAppId, reference, async (context) => {
      await context.updateActivity({ ...activity, id: activityId });
    });
  }

  const route: OutboxJob<RoutePayload>['deliver'] = async (message, delivery) => {
    const { suggestionId, recipient } = message.payload;
    const suggestion = await deps.service.get(suggestionId);
    if (!suggestion) return { kind: 'failed', error: `suggestion ${suggestionId} does not exist` };
    // A suggestion withdrawn before it arrived needs no delivery.
    if (FINAL_STATES.has(suggestion.state)) return { kind: 'delivered', result: 'no longer needed' };
    if (suggestion.postings.some((posting) => posting.recipient === recipient)) return { kind: 'delivered', result: 'already posted' };

    let reference: ConversationReference | null;
    if (recipient.startsWith('channel:')) {
      reference = await referenceFor(recipient.slice('channel:'.length));
      if (!reference) return { kind: 'retry', error: `${NO_CHANNEL} ${recipient}` };
    } else {
      const chat = await deps.conversations.personalChatOf({ email: recipient });
      // The bot can only write to people who have it installed; keep trying until they do.
      if (!chat) return { kind: 'retry', error: `${NOT_INSTALLED} ${recipient}` };
      reference = botReference(chat.reference);
    }
    const conversationId = reference.conversation.id;
    const card: Partial<Activity> = { type: ActivityTypes.Message, attachments: [handlerCard(suggestion)] };
    const earlier = routeProgressOf(message.progress);
    return attempt(async () => {
      let activityId: string | null = null;
      if (earlier?.activityId && earlier.conversationId === conversationId) {
        // An earlier attempt posted the card and died before the suggestion knew: bring that card up to date instead of posting another.
        activityId = (await updated(() => update(reference, earlier.activityId as string, card))) ? earlier.activityId : null;
      } else if (earlier?.activityId === null) {
        // The intent was recorded but not the card's id: the connector may have taken it. At least once: post (again).
        deps.logger.warn({ suggestionId, recipient }, 'an earlier attempt to post this card ended before its id was recorded; posting it, possibly a second time');
      }
      if (activityId === null) {
        await delivery.recordProgress({ conversationId, activityId: null } satisfies RouteProgress);
        activityId = await send(reference, card);
        await delivery.recordProgress({ conversationId, activityId } satisfies RouteProgress);
      }
      await deps.service.recordPosting(suggestion.id, { recipient, conversationId, activityId });
      return activityId;
    });
  };

  const notify: OutboxJob<NotifyPayload>['deliver'] = async (message) => {
    const { suggestionId, historyIndex } = message.payload;
    const suggestion = await deps.service.get(suggestionId);
    const entry = suggestion?.history[historyIndex];
    if (!suggestion || !entry) return { kind: 'failed', error: `no change ${historyIndex} on ${suggestionId}` };
    // Nobody needs telling about what they did themselves.
    if (entry.by.id === suggestion.submitter.id) return { kind: 'delivered', result: 'submitter acted' };
    if (isAnonymised(suggestion.submitter)) return { kind: 'delivered', result: 'the submitter deleted their data' };
    const chat = await deps.conversations.personalChatOf({ id: suggestion.submitter.id });
    if (!chat) return { kind: 'retry', error: `no personal chat with the submitter of ${suggestionId}` };
    const t = suggestionTexts(suggestion.language);
    const intro = [t.notification.title(suggestion.id, t.states[entry.to]), t.notification.by(entry.by.name, changeVerb(entry, suggestion.language))];
    if (entry.comment) intro.push(t.notification.comment(entry.comment));
    const card = suggestionCard(suggestion, deps.directory.index, suggestion.language, {
      view: 'submitter',
      actions: availableActions(suggestion, { handler: false, submitter: true }, isLocal(suggestion)),
      intro,
    });
    return attempt(() => send(botReference(chat.reference), { type: ActivityTypes.Message, text: intro.join(' '), attachments: [card] }));
  };

  const refresh: OutboxJob<RefreshPayload>['deliver'] = async (message) => {
    const { suggestionId } = message.payload;
    const suggestion = await deps.service.get(suggestionId);
    if (!suggestion) return { kind: 'failed', error: `suggestion ${suggestionId} does not exist` };
    const card = handlerCard(suggestion);
    return attempt(async () => {
      for (const posting of suggestion.postings) {
        const reference = await referenceFor(posting.conversationId);
        if (!reference) continue;
        await inConversation(deps.adapter, deps.botAppId, reference, async (context) => {
          await context.updateActivity({ id: posting.activityId, type: ActivityTypes.Message, attachments: [card] });
        });
      }
      return suggestion.postings.length;
    });
  };

  /** Runs an in-place update; false when the message is gone (deleted in Teams), so it has to be posted anew. */
  async function updated(run: () => Promise<void>): Promise<boolean> {
    try {
      await run();
      return true;
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return false;
      throw error;
    }
  }

  /** Maps the connector's answer to the outbox's: gone is final, throttled waits, the rest is retried. */
  async function attempt(send: () => Promise<unknown>): Promise<DeliveryOutcome> {
    try {
      return { kind: 'delivered', result: await send() };
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      const text = error instanceof Error ? error.message : String(error);
      if (status === 403 || status === 404) return { kind: 'failed', error: `${REFUSED} ${status}: ${text}` };
      const retryAfter = Number((error as { response?: { headers?: { get?(name: string): string | undefined } } }).response?.headers?.get?.('retry-after'));
      deps.logger.warn({ err: error, status }, 'suggestion delivery failed; will retry');
      return { kind: 'retry', error: `${status ?? 'error'}: ${text}`, ...(retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}) };
    }
  }

  return {
    [SUGGESTION_MESSAGES.route]: {
      deliver: route,
      // A route given up on is shown on the suggestion, where its submitter and the coordinators look.
      deadLetter: (message, reason) => deps.service.recordUndeliverable(message.payload, reason, routeFailureCause(reason)),
    },
    [SUGGESTION_MESSAGES.notify]: { deliver: notify },
    [SUGGESTION_MESSAGES.refresh]: { deliver: refresh },
    ...followUpDeliveryJobs({ ...deps, messaging: { send, referenceFor, attempt } }),
  };
}

/**
 * What a route attempt records in the outbox before and after posting: the conversation, and the posted card's id once
 * the connector has returned it (null: posting was about to start, or under way).
 */
interface RouteProgress {
  conversationId: string;
  activityId: string | null;
}

function routeProgressOf(progress: unknown): RouteProgress | null {
  if (typeof progress !== 'object' || progress === null) return null;
  const { conversationId, activityId } = progress as Partial<Record<keyof RouteProgress, unknown>>;
  if (typeof conversationId !== 'string') return null;
  return { conversationId, activityId: typeof activityId === 'string' && activityId !== '' ? activityId : null };
}
