import type { Activity, CloudAdapter, TurnContext } from 'botbuilder';
import { deliveryErrorFor, type BroadcastMessenger, type DeliveryError } from '../../broadcast/messenger';
import type { ActivityPayload, ConversationReferenceJson } from '../../broadcast/model';
import type { Logger } from '../../logger';
import { inConversation } from '../proactive';

export interface TeamsMessengerOptions {
  /** The app's TeamsAdapter (a CloudAdapter). */
  adapter: Pick<CloudAdapter, 'continueConversationAsync' | 'ConnectorClientKey'>;
  botAppId: string;
  logger: Logger;
  /** A request without an answer by then counts as a network error (default 30 s). */
  requestTimeoutMs?: number;
  /** For Retry-After given as a date; injectable for tests. */
  clock?: () => number;
}

/**
 * Sends and updates broadcast messages through the bot adapter, and tells the
 * engine what went wrong in its terms (status codes and Retry-After).
 * The turn takes the SDK's own retries out (see inConversation), so that a
 * throttled app slows down as a whole instead of retrying unseen.
 */
export class TeamsMessenger implements BroadcastMessenger {
  private readonly adapter: TeamsMessengerOptions['adapter'];
  private readonly botAppId: string;
  private readonly logger: Logger;
  private readonly requestTimeoutMs: number | undefined;
  private readonly clock: () => number;
  private warnedAboutPipeline = false;

  constructor(options: TeamsMessengerOptions) {
    this.adapter = options.adapter;
    this.botAppId = options.botAppId;
    this.logger = options.logger;
    this.requestTimeoutMs = options.requestTimeoutMs;
    this.clock = options.clock ?? Date.now;
  }

  async send(reference: ConversationReferenceJson, activity: ActivityPayload): Promise<string> {
    let id = '';
    await this.continueIn(reference, async (context) => {
      // A new post (sendToConversation), not a reply to the id the SDK makes up for the proactive turn.
      context.onSendActivities(async (_context, activities, next) => {
        for (const outgoing of activities) delete outgoing.replyToId;
        return next();
      });
      id = (await context.sendActivity(activity))?.id ?? '';
    });
    return id;
  }

  async update(reference: ConversationReferenceJson, activityId: string, activity: ActivityPayload): Promise<void> {
    await this.continueIn(reference, async (context) => {
      await context.updateActivity({ ...(activity as Partial<Activity>), id: activityId });
    });
  }

  private async continueIn(reference: ConversationReferenceJson, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    try {
      await inConversation(this.adapter, this.botAppId, reference, logic, {
        requestTimeoutMs: this.requestTimeoutMs,
        onUnadjustablePipeline: () => {
          if (this.warnedAboutPipeline) return;
          this.warnedAboutPipeline = true;
          this.logger.warn('the connector client has no pipeline to adjust: the SDK retries throttled requests itself, outside the broadcast rate limit');
        },
      });
    } catch (error) {
      throw toDeliveryError(error, this.clock());
    }
  }
}

/** A connector error (a RestError from the SDK, or a network error) in the engine's terms. */
export function toDeliveryError(error: unknown, now: number): DeliveryError {
  const message = error instanceof Error ? error.message || error.name : String(error);
  const fields = typeof error === 'object' && error !== null ? (error as { statusCode?: unknown; response?: { headers?: { get?: unknown } } }) : {};
  const status = typeof fields.statusCode === 'number' ? fields.statusCode : null;
  const headers = fields.response?.headers;
  const header = typeof headers?.get === 'function' ? (headers.get as (name: string) => unknown).call(headers, 'retry-after') : undefined;
  return deliveryErrorFor(status, message, typeof header === 'string' ? retryAfterMs(header, now) : null);
}

/** Retry-After is either seconds or an HTTP date (RFC 9110, 10.2.3); null when it is neither. */
export function retryAfterMs(header: string, now: number): number | null {
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
