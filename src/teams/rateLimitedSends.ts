import type { Activity, CloudAdapter, Middleware, TurnContext } from 'botbuilder';
import type { AppRateLimit } from '../broadcast/appRateLimit';
import { pipelineOf, type PipelineRequest, type PipelineResponse } from './proactive';

const POLICY = 'appRateLimit';
/** Activities the adapter answers in the turn itself or drops: no request to Teams. */
const NOT_SENT: ReadonlySet<string> = new Set(['invokeResponse', 'delay', 'trace']);

/**
 * Every request the app makes to Teams, in a turn or in a proactive one
 * (welcome cards, notifications, routed cards, reminders, digests, the
 * coordinator's card), waits for a slot in the app's rate limit first: one
 * limit for all of the app's traffic, so Teams never has to refuse it (429).
 * The slot is taken in the connector client's pipeline, right before the
 * request leaves (after its token, and for each retry): Teams counts requests
 * when they arrive, and a slot taken earlier, while the turn still works,
 * would let requests bunch up on the way. The broadcast engine's requests
 * took their slots as it paced them: they pass, counted from when they leave
 * (see AppRateLimit.paced). A 429 all the same slows the whole app down.
 */
export function rateLimitedSends(rateLimit: AppRateLimit): Middleware {
  // Pipelines given the policy: asking a pipeline for its policies orders them all, a cost on every turn otherwise.
  const limited = new WeakSet<object>();
  return {
    onTurn: async (context, next) => {
      const pipeline = pipelineOf(context.turnState.get((context.adapter as Partial<Pick<CloudAdapter, 'ConnectorClientKey'>>).ConnectorClientKey));
      if (pipeline !== null) {
        if (!limited.has(pipeline)) {
          limited.add(pipeline);
          pipeline.addPolicy(
            {
              name: POLICY,
              sendRequest: async (request, send) => {
                const conversationId = conversationInUrl(request);
                const sentAt = await rateLimit.leaving(conversationId);
                const response = await send(request);
                if (response.status === 429) rateLimit.throttled(conversationId, sentAt, retryAfterMsOf(response));
                return response;
              },
            },
            { afterPhase: 'Sign' },
          );
        }
      } else {
        // No pipeline to join (an adapter other than the connector client's): the turn's sends wait instead.
        context.onSendActivities(async (turn, activities, send) => {
          for (const activity of activities) if (!NOT_SENT.has(activity.type ?? '')) await rateLimit.leaving(conversationOf(turn, activity));
          return send();
        });
        context.onUpdateActivity(async (turn, activity, update) => {
          await rateLimit.leaving(conversationOf(turn, activity));
          return update();
        });
      }
      await next();
    },
  };
}

/** The conversation a connector request is for (…/v3/conversations/{id}/…); '' for others. */
function conversationInUrl(request: PipelineRequest): string {
  const match = /\/v3\/conversations\/([^/?]+)/.exec(request.url);
  if (!match) return '';
  try {
    return decodeURIComponent(match[1] as string);
  } catch {
    return match[1] as string;
  }
}

function conversationOf(turn: TurnContext, activity: Partial<Activity>): string {
  return activity.conversation?.id ?? turn.activity.conversation?.id ?? '';
}

/** Retry-After in seconds (what Teams sends); null when absent or a date. */
function retryAfterMsOf(response: PipelineResponse): number | null {
  const seconds = Number(response.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : null;
}
