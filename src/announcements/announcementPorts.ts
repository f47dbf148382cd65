/**
 * What the announcement service needs from the parts built beside it: the
 * audience (subscriptions and profiles), the channels where the bot is
 * installed, the delivery engine, and the coordinator's status card in Teams.
 * Each is an interface here so those parts can be replaced without the
 * service noticing.
 */
import type { RecipientRecord } from '../broadcast/model';
import type { Announcement, Audience, ChannelTarget, EventKind } from './model';
import type { ConversationReferenceValue } from '../conversations/conversationReference';

/** A conversation an announcement is delivered to: a person's chat with the bot, or a channel. */
export interface Recipient {
  conversationId: string;
  /** Where the bot writes to it, as Teams gave it. */
  reference: ConversationReferenceValue;
  /** Who or what it is (an e-mail, a name, a channel), for the list of those a delivery did not reach. */
  label?: string;
  /**
   * A person the bot has no chat with yet, by e-mail: the delivery has the app installed for them first (proactive
   * installation), and `reference` is a placeholder until then.
   */
  installFor?: string;
}

/**
 * The people an announcement's audience reaches, as personal chats with the
 * bot. The kind is given because people may follow kinds of events
 * ("fagkaféer"); a resolver that does not know subscriptions may ignore it.
 */
export interface AudienceResolver {
  resolve(audience: Audience, kind: EventKind): Promise<Recipient[]>;
  /** The same, a page at a time as they are worked out: a delivery starts with the first while the rest are read. */
  resolvePages?(audience: Audience, kind: EventKind): AsyncIterable<Recipient[]>;
  /** How many `resolve` would give (for the preview). */
  count(audience: Audience, kind: EventKind): Promise<number>;
  /** Everyone the audience concerns and whether the bot can reach them (a resolver without a role-holder list may leave it out). */
  reach?(audience: Audience, kind: EventKind): Promise<AudienceReach>;
}

/**
 * A person an audience concerns: found by their own roles ("jeg er
 * innkjøper", in a chat with the bot) or in the coordinator's role-holder
 * list, or both. Reachable: the bot has a personal chat with them. Otherwise
 * the app must first be installed for them: it will be when proactive
 * installation is on ('needs-installation'); while it is off they cannot be
 * reached ('installation-off').
 */
export interface AudienceReachEntry {
  name: string | null;
  email: string | null;
  /** Their Entra object id, when the bot has a chat with them. */
  userId: string | null;
  sources: ('self-declared' | 'role-list')[];
  status: 'reachable' | 'needs-installation' | 'installation-off';
}

/** The coordinator's preview of an audience: its figures and the people behind them. */
export interface AudienceReach {
  people: number;
  /** With a personal chat now. */
  reachable: number;
  /** In the list without a chat: the app must be installed for them. */
  needsInstallation: number;
  /** Those it cannot reach: everyone needing installation while installation is off. */
  unreachable: number;
  installationEnabled: boolean;
  entries: AudienceReachEntry[];
}

/** The channels where the bot is installed: the only ones it can post in. */
export interface ChannelDirectory {
  list(): Promise<ChannelTarget[]>;
  /** Where to post in a channel; null if the bot no longer knows it. */
  recipient(conversationId: string): Promise<Recipient | null>;
}

/** How far a broadcast (a delivery or an update of the delivered cards) has come. */
export interface BroadcastProgress {
  total: number;
  /** Delivered (or, for an update, updated). */
  sent: number;
  /** Gave up: the recipient blocked or removed the bot, or retries ran out. */
  failed: number;
  /** Not sent because the announcement was cancelled before the card went out, or (update) there was no card to update. */
  skipped: number;
  remaining: number;
  /** Seconds until done at the rate so far; null while there is no rate yet, and when done. */
  etaSeconds: number | null;
}

/**
 * Fans an announcement's card out to its recipients and keeps the delivered
 * cards up to date. The contract:
 * - `send` is idempotent per announcement: called again (after a crash) it
 *   returns the same broadcast and delivers nobody twice. Given the recipients
 *   page by page, it starts delivering to the first while the rest are read. A card that goes out
 *   after the announcement was changed shows the change; after it was cancelled
 *   it does not go out (counted as skipped).
 * - `update` replaces in place, with the announcement as given, every card the
 *   original delivery has delivered or will deliver. `previousBroadcastId` is
 *   the newest of `announcement.broadcastIds`. Idempotent per
 *   (announcement.id, announcement.updatedAt).
 * - `onProgress` listeners are told whenever a recipient's state changes, at
 *   any rate; the service coalesces.
 */
export interface AnnouncementDelivery {
  send(announcement: Announcement, recipients: readonly Recipient[] | AsyncIterable<readonly Recipient[]>): Promise<string>;
  update(announcement: Announcement, previousBroadcastId: string): Promise<string>;
  progress(broadcastId: string): Promise<BroadcastProgress>;
  /** The recipients a broadcast did not reach (given up, blocked or gone), with the reasons. */
  failures(broadcastId: string): Promise<RecipientRecord[]>;
  onProgress(listener: (announcementId: string, broadcastId: string) => void): void;
}

/** An announcement with how its delivery and its latest update are going. */
export interface AnnouncementStatus {
  announcement: Announcement;
  /** The first broadcast: the delivery itself. null before it began. */
  delivery: BroadcastProgress | null;
  /** The newest update of the delivered cards, if any. */
  update: BroadcastProgress | null;
}

/** What became of a delivery whose stored recipients were lost (see BroadcastEngine's restoreRecipients). */
export interface LostRecipients {
  /** Recipients it had. */
  lost: number;
  /** Recipients it was sent anew to; 0: it was ended unsent. */
  restored: number;
  /** Sending had begun: some may get the card twice. */
  hadStarted: boolean;
}

/** Shows an announcement's status on the coordinator's card (announcement.coordinatorCard), in place. */
export interface StatusCardPublisher {
  show(status: AnnouncementStatus): Promise<void>;
  /** Tells the coordinator, in a message of its own beside the card, that the delivery lost its recipients. */
  lostRecipients(announcement: Announcement, what: LostRecipients): Promise<void>;
}
