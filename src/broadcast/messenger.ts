import type { ActivityPayload, ConversationReferenceJson } from './model';

/** What the engine needs from the chat platform: post a message, or replace one posted earlier. */
export interface BroadcastMessenger {
  /** Posts the activity as a new message; resolves to the id the platform gave it. */
  send(reference: ConversationReferenceJson, activity: ActivityPayload): Promise<string>;
  /** Replaces the message `activityId` with the activity. */
  update(reference: ConversationReferenceJson, activityId: string, activity: ActivityPayload): Promise<void>;
}

/**
 * How the engine treats a failed request:
 * - throttled: 429; waits for Retry-After, and the whole engine slows down;
 * - transient: 412, 502, 503, 504 or a network error; retried with backoff;
 * - unreachable: 403 or 404 (the bot was blocked, removed or uninstalled); never retried;
 * - rejected: any other answer (a malformed activity, say); retrying would not help.
 */
export type DeliveryErrorKind = 'throttled' | 'transient' | 'unreachable' | 'rejected';

/** Thrown by a messenger; anything else it throws counts as transient. */
export class DeliveryError extends Error {
  constructor(
    readonly kind: DeliveryErrorKind,
    message: string,
    /** The HTTP status; null for a network error. */
    readonly status: number | null,
    /** What the server asked for (Retry-After), if anything. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** The statuses Teams documents as worth retrying, besides 429 (503 is the same kind of answer). */
const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([412, 502, 503, 504]);

/** Classifies a connector answer; null status means the request did not get an answer (network). */
export function deliveryErrorFor(status: number | null, message: string, retryAfterMs: number | null = null): DeliveryError {
  const text = status === null ? `network: ${message}` : `${status}: ${message}`;
  if (status === null || TRANSIENT_STATUSES.has(status)) return new DeliveryError('transient', text, status, retryAfterMs);
  if (status === 429) return new DeliveryError('throttled', text, status, retryAfterMs);
  if (status === 403 || status === 404) return new DeliveryError('unreachable', text, status);
  return new DeliveryError('rejected', text, status);
}
