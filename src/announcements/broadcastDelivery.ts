import type { BroadcastEngine } from '../broadcast/broadcastEngine';
import type { BroadcastStore } from '../broadcast/broadcastStore';
import type { ActivityPayload, BroadcastKind, BroadcastRecipient, BroadcastProgress as EngineProgress, RecipientRecord } from '../broadcast/model';
import type { AnnouncementDelivery, BroadcastProgress, Recipient } from './announcementPorts';
import type { Announcement } from './model';

/**
 * The property that marks a broadcast's stored activity as an announcement's
 * card: what is stored is only the announcement's id, and the card is made
 * from the announcement as it is when each batch of recipients goes out.
 */
const ANNOUNCEMENT_CARD = 'announcementCard';
/** The announcement read for a batch is reused this long (the engine asks several times a second at full rate). */
const CURRENT_CACHE_MS = 1000;

export interface AnnouncementActivitiesDependencies {
  /** The announcement as stored now; null if it is gone. */
  current(announcementId: string): Promise<Announcement | null>;
  /** The message recipients get for the announcement (its card). */
  activity(announcement: Announcement): ActivityPayload;
  /** Milliseconds since the epoch; injectable for tests. */
  clock?: () => number;
}

/**
 * Makes announcement cards late, for the broadcast engine's `prepare`: a card
 * that goes out after the announcement was changed shows the change, and one
 * whose turn comes after it was cancelled does not go out at all (the engine
 * counts it as skipped). Updates always go out, showing the latest version
 * (for a cancellation, the cancelled card). Other activities pass unchanged.
 */
export class AnnouncementActivities {
  private readonly clock: () => number;
  private readonly cache = new Map<string, { readAt: number; announcement: Promise<Announcement | null> }>();

  constructor(private readonly deps: AnnouncementActivitiesDependencies) {
    this.clock = deps.clock ?? Date.now;
  }

  /** What a broadcast stores for the announcement's card. */
  static stored(announcementId: string): ActivityPayload {
    return { [ANNOUNCEMENT_CARD]: announcementId };
  }

  async prepare(activity: ActivityPayload, kind: BroadcastKind): Promise<ActivityPayload | null> {
    const announcementId = activity[ANNOUNCEMENT_CARD];
    if (typeof announcementId !== 'string') return activity;
    const announcement = await this.read(announcementId);
    // Gone altogether (deleted on request): nothing to deliver or to update with.
    if (announcement === null) return null;
    if (kind === 'send' && announcement.state === 'cancelled') return null;
    return this.deps.activity(announcement);
  }

  private read(announcementId: string): Promise<Announcement | null> {
    const now = this.clock();
    const cached = this.cache.get(announcementId);
    if (cached && now - cached.readAt < CURRENT_CACHE_MS) return cached.announcement;
    const announcement = this.deps.current(announcementId);
    this.cache.set(announcementId, { readAt: now, announcement });
    // A failed read is not remembered: the next batch reads again.
    announcement.catch(() => this.cache.delete(announcementId));
    return announcement;
  }
}

export interface BroadcastAnnouncementDeliveryDependencies {
  engine: Pick<BroadcastEngine, 'create' | 'progress' | 'failures'>;
  /** Which send an update updates. */
  broadcasts: Pick<BroadcastStore, 'get'>;
}

/**
 * The announcement delivery port on the broadcast engine: one `send` broadcast
 * per announcement and one `update` per change, each idempotent by its id, so
 * a dispatch or change job that runs again after a crash finds its broadcast
 * instead of making another. Progress from the engine reaches the service
 * through `onProgress` on the instance that sends.
 */
export class BroadcastAnnouncementDelivery implements AnnouncementDelivery {
  private readonly listeners: Array<(announcementId: string, broadcastId: string) => void> = [];

  constructor(private readonly deps: BroadcastAnnouncementDeliveryDependencies) {}

  async send(announcement: Announcement, recipients: readonly Recipient[] | AsyncIterable<readonly Recipient[]>): Promise<string> {
    const id = sendId(announcement.id);
    await this.deps.engine.create({ id, kind: 'send', activity: AnnouncementActivities.stored(announcement.id), recipients: broadcastRecipients(recipients) });
    return id;
  }

  async update(announcement: Announcement, previousBroadcastId: string): Promise<string> {
    const previous = await this.deps.broadcasts.get(previousBroadcastId);
    if (previous === null) throw new Error(`There is no broadcast ${previousBroadcastId} to update`);
    const id = `${announcement.id}.update.${announcement.updatedAt}`;
    // The engine updates what a send delivered; a later change updates the same cards again.
    await this.deps.engine.create({ id, kind: 'update', activity: AnnouncementActivities.stored(announcement.id), updates: previous.updates ?? previous.id });
    return id;
  }

  async progress(broadcastId: string): Promise<BroadcastProgress> {
    const progress = await this.deps.engine.progress(broadcastId);
    return progress === null ? { total: 0, sent: 0, failed: 0, skipped: 0, remaining: 0, etaSeconds: null } : portProgress(progress);
  }

  /** The recipients a delivery did not reach, with the reasons. */
  async failures(broadcastId: string): Promise<RecipientRecord[]> {
    return this.deps.engine.failures(broadcastId);
  }

  onProgress(listener: (announcementId: string, broadcastId: string) => void): void {
    this.listeners.push(listener);
  }

  /** The engine's progress callback: tells the listeners which announcement moved. */
  progressed(progress: Pick<EngineProgress, 'broadcastId'>): void {
    const announcementId = announcementOf(progress.broadcastId);
    if (announcementId === null) return;
    for (const listener of this.listeners) listener(announcementId, progress.broadcastId);
  }
}

async function* broadcastRecipients(recipients: readonly Recipient[] | AsyncIterable<readonly Recipient[]>): AsyncIterable<BroadcastRecipient[]> {
  const pages = Symbol.asyncIterator in recipients ? recipients : [recipients];
  for await (const page of pages) {
    yield page.map((recipient) => ({
      conversationId: recipient.conversationId,
      reference: recipient.reference,
      ...(recipient.label ? { label: recipient.label } : {}),
      ...(recipient.installFor ? { installFor: recipient.installFor } : {}),
    }));
  }
}

function sendId(announcementId: string): string {
  return `${announcementId}.send`;
}

/** The announcement a broadcast of this delivery belongs to; null for other broadcasts (reminders, say). */
export function announcementOf(broadcastId: string): string | null {
  const match = /^(.+)\.(?:send|update\..+)$/.exec(broadcastId);
  return match?.[1] ?? null;
}

function portProgress(progress: EngineProgress): BroadcastProgress {
  return {
    total: progress.total,
    sent: progress.sent,
    failed: progress.failed + progress.unreachable,
    skipped: progress.skipped,
    remaining: progress.remaining,
    etaSeconds: progress.remaining > 0 && progress.etaSeconds !== null ? Math.round(progress.etaSeconds) : null,
  };
}
