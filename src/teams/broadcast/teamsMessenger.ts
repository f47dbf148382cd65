import type { Activity, CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import { deliveryErrorFor, type BroadcastMessenger, type DeliveryError } from '../../broadcast/messenger';
import type { ActivityPayload, ConversationReferenceJson } from '../../broadcast/model';
import type { Logger } from '../../logger';

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

/** The connector client's HTTP pipeline (@azure/core-rest-pipeline), as far as it is used here. */
interface ConnectorPipeline {
  removePolicy(options: { name: string }): unknown;
  getOrderedPolicies(): ReadonlyArray<{ name: string }>;
  addPolicy(policy: { name: string; sendRequest(request: { timeout: number }, next: (request: { timeout: number }) => Promise<unknown>): Promise<unknown> }): void;
}

/** The SDK's policy that retries 429 (after Retry-After) and 5xx by itself, up to three times. */
const SDK_RETRY_POLICY = 'defaultRetryPolicy';
const TIMEOUT_POLICY = 'broadcastRequestTimeout';
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/**
 * Sends and updates broadcast messages through the bot adapter, and tells the
 * engine what went wrong in its terms (status codes and Retry-After).
 *
 * The connector client's own retry policy is taken out of the pipeline: left
 * in, a 429 or 503 is retried inside the SDK (up to three times, waiting up to
 * the Retry-After each time), unseen by the engine, so those requests would
 * bypass its rate limit and a throttled app would not slow down.
 */
export class TeamsMessenger implements BroadcastMessenger {
  private readonly adapter: TeamsMessengerOptions['adapter'];
  private readonly botAppId: string;
  private readonly logger: Logger;
  private readonly requestTimeoutMs: number;
  private readonly clock: () => number;
  private warnedAboutPipeline = false;

  constructor(options: TeamsMessengerOptions) {
    this.adapter = options.adapter;
    this.botAppId = options.botAppId;
    this.logger = options.logger;
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
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
      id = (await context.sendActivity(activity as Partial<Activity>))?.id ?? '';
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
      await this.adapter.continueConversationAsync(this.botAppId, reference as Partial<ConversationReference>, async (context) => {
        this.takeOverRetries(context);
        await logic(context);
      });
    } catch (error) {
      throw toDeliveryError(error, this.clock());
    }
  }

  private takeOverRetries(context: TurnContext): void {
    const pipeline = pipelineOf(context.turnState.get(this.adapter.ConnectorClientKey));
    if (pipeline === null) {
      if (!this.warnedAboutPipeline) {
        this.warnedAboutPipeline = true;
        this.logger.warn('the connector client has no pipeline to adjust: the SDK retries throttled requests itself, outside the broadcast rate limit');
      }
      return;
    }
    pipeline.removePolicy({ name: SDK_RETRY_POLICY });
    if (pipeline.getOrderedPolicies().some((policy) => policy.name === TIMEOUT_POLICY)) return;
    const timeout = this.requestTimeoutMs;
    pipeline.addPolicy({
      name: TIMEOUT_POLICY,
      sendRequest: (request, next) => {
        request.timeout = timeout;
        return next(request);
      },
    });
  }
}

/** The pipeline of a ConnectorClient (botframework-connector keeps it on its core-client `client`), or null. */
function pipelineOf(connector: unknown): ConnectorPipeline | null {
  if (typeof connector !== 'object' || connector === null || !('client' in connector)) return null;
  const client = connector.client;
  if (typeof client !== 'object' || client === null || !('pipeline' in client)) return null;
  const pipeline = client.pipeline;
  if (typeof pipeline !== 'object' || pipeline === null) return null;
  const candidate = pipeline as Partial<Record<keyof ConnectorPipeline, unknown>>;
  if (typeof candidate.removePolicy !== 'function' || typeof candidate.addPolicy !== 'function' || typeof candidate.getOrderedPolicies !== 'function') return null;
  return pipeline as ConnectorPipeline;
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
