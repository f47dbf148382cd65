/**
 * Broadcasts: one activity delivered to many conversations (personal chats and
 * channels), or an in-place update of what an earlier broadcast delivered. The
 * engine does not know what the activity is about (an announcement, a reminder).
 */

/** An activity as the Bot Framework takes it (a message with cards, say), stored as JSON. */
export type ActivityPayload = Record<string, unknown>;

/** A conversation reference as Teams gave it; opaque here, handed to the messenger. */
export type ConversationReferenceJson = Record<string, unknown>;

/** `send` posts a new message; `update` replaces the message an earlier `send` put in each conversation. */
export type BroadcastKind = 'send' | 'update';

/**
 * - pending: not yet delivered (never tried, or waiting for a retry);
 * - sent: delivered, with the activity id Teams gave it (for a later update);
 * - failed: gave up (attempts used up, or a request Teams refuses for good), with the reason;
 * - unreachable: 403 or 404, the bot was blocked or uninstalled there; not retried;
 * - skipped: not sent on purpose, because what it was about was withdrawn before its turn
 *   (an announcement cancelled while it was being delivered).
 */
export type RecipientState = 'pending' | 'sent' | 'failed' | 'unreachable' | 'skipped';

export interface BroadcastRecipient {
  conversationId: string;
  reference: ConversationReferenceJson;
  /** Who or what the conversation is (a name, an e-mail, a channel), for the failure list; optional. */
  label?: string;
  /**
   * A person the app has no chat with yet, by e-mail: the engine has the app installed for them first (see
   * RecipientInstaller), which gives the reference. Their `reference` is a placeholder until then, and their
   * `conversationId` stands for the person (one the caller chose, unique in the broadcast).
   */
  installFor?: string;
}

export interface NewSendBroadcast {
  /** Chosen by the caller, and its idempotency key: creating the same id again changes nothing. */
  id: string;
  kind: 'send';
  activity: ActivityPayload;
  /** All at once, or page by page as they are worked out (sending starts with the first hundred). */
  recipients: readonly BroadcastRecipient[] | AsyncIterable<readonly BroadcastRecipient[]>;
}

export interface NewUpdateBroadcast {
  id: string;
  kind: 'update';
  /** The new content; its id is set per recipient to the activity id the earlier send got. */
  activity: ActivityPayload;
  /** The `send` broadcast whose delivered messages are updated. */
  updates: string;
}

export type NewBroadcast = NewSendBroadcast | NewUpdateBroadcast;

export interface BroadcastSummary {
  id: string;
  kind: BroadcastKind;
  /** For an update: the send it updates. */
  updates: string | null;
  status: 'active' | 'done';
  createdAt: string;
  /** When a sender first took it up. */
  startedAt: string | null;
  finishedAt: string | null;
  /** Recipients; for an update, null until it starts (it updates whoever the send reached by then). */
  total: number | null;
  /**
   * Recipients whose send had started but whose outcome was never recorded because
   * the sender stopped (a crash, a lost lease). They are sent again, so each may
   * have received the message twice; nobody else can have.
   */
  possibleDuplicates: number;
  /**
   * A send whose recipient rows are still being written, in numbered batches:
   * the first `stored` are complete (a sender may send to them), and `total`
   * counts those. null once all are stored (and for an update).
   */
  loading: { stored: number } | null;
}

/**
 * Where a recipient who needed the app installed stands (see BroadcastRecipient.installFor): `needed` until the
 * installation is done (the reference is then real), or why it could not be (an InstallationFailure).
 */
export type InstallationState = 'needed' | 'done' | InstallationFailure;

/**
 * - not-found: nobody with that e-mail in the organisation's directory (Microsoft Graph);
 * - blocked: the organisation's policy does not let the app be installed for them (403);
 * - graph-error: Microsoft Graph kept failing (5xx, network, or an answer the app does not understand);
 * - off: proactive installation was turned off while the broadcast was under way.
 */
export type InstallationFailure = 'not-found' | 'blocked' | 'graph-error' | 'off';

export interface RecipientRecord {
  conversationId: string;
  reference: ConversationReferenceJson;
  label: string | null;
  /** The e-mail the app was to be installed for; null for a recipient the bot had a chat with. */
  installFor: string | null;
  /** null for a recipient the bot had a chat with. */
  installation: InstallationState | null;
  state: RecipientState;
  /** Attempts started. */
  attempts: number;
  /** Attempts whose outcome was recorded; fewer than `attempts` means one was in flight when its sender stopped. */
  settled: number;
  /** Failed attempts that are retried with backoff (412, 502, 503, 504, network). */
  failures: number;
  /** Attempts answered 429. */
  throttles: number;
  /** The sent message's id (send), or the message updated (update). */
  activityId: string | null;
  /** For an update: the message it replaces. */
  targetActivityId: string | null;
  lastError: string | null;
  /** The HTTP status of the last failed attempt; null for a network error or none. */
  lastStatus: number | null;
  /** A pending recipient waits until then (a retry). */
  nextAttemptAt: string | null;
  updatedAt: string;
}

export interface BroadcastProgress {
  broadcastId: string;
  kind: BroadcastKind;
  total: number;
  sent: number;
  failed: number;
  unreachable: number;
  skipped: number;
  /** Not yet in a final state. */
  remaining: number;
  /** Requests out now (live figures only; 0 from storage). */
  inFlight: number;
  /** Recipients settled per second over the last few seconds; null when not sending here. */
  ratePerSecond: number | null;
  /** At the current rate; null when not sending here or nothing has settled yet. */
  etaSeconds: number | null;
  startedAt: string | null;
  finishedAt: string | null;
  possibleDuplicates: number;
  /** True once: the final report. */
  done: boolean;
}

/** A request the store or the engine refuses: the caller's mistake, not a storage failure. */
export class BroadcastRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BroadcastRequestError';
  }
}
