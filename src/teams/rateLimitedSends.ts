import type { Activity, Middleware, TurnContext } from 'botbuilder';
import type { AppRateLimit } from '../broadcast/appRateLimit';

/**
 * Set in a turn's state by a sender that took its requests' slots from the
 * app's rate limit itself (the broadcast engine): they are not made to wait again.
 */
export const PACED_BY_SENDER = Symbol('pacedBySender');

/** Activities the adapter answers in the turn itself or drops: no request to Teams. */
const NOT_SENT: ReadonlySet<string> = new Set(['invokeResponse', 'delay', 'trace']);

/**
 * Every message the app sends, posts, updates or deletes, in a turn or in a
 * proactive one (welcome cards, notifications, routed cards, reminders,
 * digests, the coordinator's card), waits for a slot in the app's rate limit
 * first: one limit for all of the app's traffic, so Teams never has to refuse
 * it (429). A 429 all the same slows the whole app down.
 */
export function rateLimitedSends(rateLimit: AppRateLimit): Middleware {
  return {
    onTurn: async (context, next) => {
      context.onSendActivities(async (turn, activities, send) => {
        if (turn.turnState.get(PACED_BY_SENDER) === true) return send();
        const requests = activities.filter((activity) => !NOT_SENT.has(activity.type ?? ''));
        let sentAt = 0;
        for (const activity of requests) sentAt = await rateLimit.take(conversationOf(turn, activity));
        return throttledTold(rateLimit, turn, requests[0], sentAt, send);
      });
      context.onUpdateActivity(async (turn, activity, update) => {
        if (turn.turnState.get(PACED_BY_SENDER) === true) return update();
        const sentAt = await rateLimit.take(conversationOf(turn, activity));
        return throttledTold(rateLimit, turn, activity, sentAt, update);
      });
      context.onDeleteActivity(async (turn, reference, remove) => {
        if (turn.turnState.get(PACED_BY_SENDER) === true) return remove();
        const conversationId = reference.conversation?.id ?? turn.activity.conversation?.id ?? '';
        const sentAt = await rateLimit.take(conversationId);
        return throttledTold(rateLimit, turn, { conversation: { id: conversationId } } as Partial<Activity>, sentAt, remove);
      });
      await next();
    },
  };
}

function conversationOf(turn: TurnContext, activity: Partial<Activity>): string {
  return activity.conversation?.id ?? turn.activity.conversation?.id ?? '';
}

/** Runs the request; a 429 is told to the rate limit before it reaches the sender. */
async function throttledTold<T>(rateLimit: AppRateLimit, turn: TurnContext, activity: Partial<Activity> | undefined, sentAt: number, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    const fields = typeof error === 'object' && error !== null ? (error as { statusCode?: unknown; response?: { headers?: { get?: (name: string) => unknown } } }) : {};
    if (fields.statusCode === 429 && activity !== undefined) {
      const header = fields.response?.headers?.get?.('retry-after');
      const seconds = typeof header === 'string' ? Number(header) : Number.NaN;
      rateLimit.throttled(conversationOf(turn, activity), sentAt, Number.isFinite(seconds) ? seconds * 1000 : null);
    }
    throw error;
  }
}
