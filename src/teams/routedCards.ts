import { ActivityTypes, type Activity, type Attachment, type ConversationReference } from 'botbuilder';
import type { TeamsAdapter } from '@microsoft/teams-ai';
import type { ChannelRegistrationStore } from '../conversations/channelRegistrations';
import type { ConversationStore } from '../conversations/conversationStore';
import type { OutboxMessage } from '../delivery/outbox';
import type { DeliveryAttempt, DeliveryOutcome } from '../delivery/outboxWorker';
import type { Logger } from '../logger';
import type { Posting, UndeliverableCause } from '../routing/processRoutes';
import { botReference, inConversation } from './proactive';

/**
 * Posting cards routed by the process rules (improvement suggestions, questions to the advisors) to a channel or to
 * people one to one, and keeping every posted copy up to date: shared by the capabilities that route that way.
 */

export interface ProactiveMessagingDependencies {
  adapter: TeamsAdapter;
  botAppId: string;
  conversations: ConversationStore;
  registrations: ChannelRegistrationStore;
  logger: Logger;
}

/** Writing to Teams outside a turn. */
export interface ProactiveMessaging {
  send: (reference: ConversationReference, activity: Partial<Activity>) => Promise<string>;
  referenceFor: (conversationId: string) => Promise<ConversationReference | null>;
  /** Maps the connector's answer to the outbox's (gone is final, throttled waits, the rest is retried). */
  attempt: (send: () => Promise<unknown>) => Promise<DeliveryOutcome>;
}

/** Also replaces a posted card in place. */
export interface RoutedCardMessaging extends ProactiveMessaging {
  update: (reference: Partial<ConversationReference>, activityId: string, activity: Partial<Activity>) => Promise<void>;
}

const NO_CHANNEL = 'no conversation reference for';
const NOT_INSTALLED = 'the bot is not installed for';
const REFUSED = 'Teams refused the card:';

/** The cause of a route given up on, from the reason the route job reported (the outbox keeps only its text). */
export function routeFailureCause(reason: string): UndeliverableCause {
  if (reason.includes(NOT_INSTALLED)) return 'not-installed';
  if (reason.includes(NO_CHANNEL)) return 'no-channel';
  if (reason.includes(REFUSED)) return 'refused';
  return 'failing';
}

export function proactiveMessaging(deps: ProactiveMessagingDependencies): RoutedCardMessaging {
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

  async function attempt(run: () => Promise<unknown>): Promise<DeliveryOutcome> {
    try {
      return { kind: 'delivered', result: await run() };
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      const text = error instanceof Error ? error.message : String(error);
      if (status === 403 || status === 404) return { kind: 'failed', error: `${REFUSED} ${status}: ${text}` };
      const retryAfter = Number((error as { response?: { headers?: { get?(name: string): string | undefined } } }).response?.headers?.get?.('retry-after'));
      deps.logger.warn({ err: error, status }, 'delivery of a routed card failed; will retry');
      return { kind: 'retry', error: `${status ?? 'error'}: ${text}`, ...(retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}) };
    }
  }

  return { send, referenceFor, update, attempt };
}

/** What routing one item's card needs to know of it. */
export interface RoutedItem<T, P> {
  /** What the errors call it. */
  label: string;
  /** The item's id and the route recipient, from the route message's payload. */
  target(payload: P): { id: string; recipient: string };
  get(id: string): Promise<T | null>;
  /** Nothing more is expected (withdrawn, decided): no delivery needed. */
  isFinal(item: T): boolean;
  postings(item: T): readonly Posting[];
  /** The card as the people handling it see it. */
  card(item: T): Attachment;
  recordPosting(id: string, posting: Posting): Promise<unknown>;
}

/**
 * The outbox job that posts an item's card to one recipient of its route: a channel by its stored reference, or a
 * person in their personal chat (retried until they install the bot). What an attempt records in the outbox lets a
 * later attempt update the card an earlier one posted instead of posting it twice.
 */
export function routedCardJob<T, P>(messaging: RoutedCardMessaging, conversations: ConversationStore, logger: Logger, item: RoutedItem<T, P>) {
  return async (message: OutboxMessage<P>, delivery: DeliveryAttempt): Promise<DeliveryOutcome> => {
    const { id, recipient } = item.target(message.payload);
    const routed = await item.get(id);
    if (!routed) return { kind: 'failed', error: `${item.label} ${id} does not exist` };
    // Withdrawn or settled before it arrived: no delivery needed.
    if (item.isFinal(routed)) return { kind: 'delivered', result: 'no longer needed' };
    if (item.postings(routed).some((posting) => posting.recipient === recipient)) return { kind: 'delivered', result: 'already posted' };

    let reference: ConversationReference | null;
    if (recipient.startsWith('channel:')) {
      reference = await messaging.referenceFor(recipient.slice('channel:'.length));
      if (!reference) return { kind: 'retry', error: `${NO_CHANNEL} ${recipient}` };
    } else {
      const chat = await conversations.personalChatOf({ email: recipient });
      // The bot can only write to people who have it installed; keep trying until they do.
      if (!chat) return { kind: 'retry', error: `${NOT_INSTALLED} ${recipient}` };
      reference = botReference(chat.reference);
    }
    const conversationId = reference.conversation.id;
    const card: Partial<Activity> = { type: ActivityTypes.Message, attachments: [item.card(routed)] };
    const earlier = routeProgressOf(message.progress);
    return messaging.attempt(async () => {
      let activityId: string | null = null;
      if (earlier?.activityId && earlier.conversationId === conversationId) {
        // An earlier attempt posted the card and died before the item knew: bring that card up to date instead of posting another.
        activityId = (await updated(() => messaging.update(reference, earlier.activityId as string, card))) ? earlier.activityId : null;
      } else if (earlier?.activityId === null) {
        // The intent was recorded but not the card's id: the connector may have taken it. At least once: post (again).
        logger.warn({ id, recipient }, 'an earlier attempt to post this card ended before its id was recorded; posting it, possibly a second time');
      }
      if (activityId === null) {
        await delivery.recordProgress({ conversationId, activityId: null } satisfies RouteProgress);
        activityId = await messaging.send(reference, card);
        await delivery.recordProgress({ conversationId, activityId } satisfies RouteProgress);
      }
      await item.recordPosting(id, { recipient, conversationId, activityId });
      return activityId;
    });
  };
}

/** Updates every posted copy of an item's card in place. */
export async function refreshPostedCards(messaging: RoutedCardMessaging, postings: readonly Posting[], card: Attachment): Promise<number> {
  for (const posting of postings) {
    const reference = await messaging.referenceFor(posting.conversationId);
    if (!reference) continue;
    await messaging.update(reference, posting.activityId, { type: ActivityTypes.Message, attachments: [card] });
  }
  return postings.length;
}

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
