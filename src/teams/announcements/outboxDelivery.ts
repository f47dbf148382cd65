import type { Attachment } from 'botbuilder';
import type { AnnouncementDelivery, BroadcastProgress, Recipient } from '../../announcements/announcementPorts';
import type { Announcement } from '../../announcements/model';
import type { DeliveryHandler, DeliveryOutcome } from '../../delivery/outboxWorker';
import type { Logger } from '../../logger';
import type { BroadcastRecipient, TableBroadcastRecipients } from './broadcastRecipients';
import type { ProactiveMessenger } from './proactiveMessenger';

/** Outbox message kinds of this delivery: one message per recipient and broadcast. */
export const ANNOUNCEMENT_CARD_MESSAGES = {
  send: 'announcement-card',
  update: 'announcement-card-update',
} as const;

interface CardPayload {
  broadcastId: string;
  announcementId: string;
  conversationId: string;
}

interface UpdatePayload extends CardPayload {
  /** The delivery that posted the card this update replaces. */
  originBroadcastId: string;
}

export interface OutboxDeliveryDependencies {
  recipients: TableBroadcastRecipients;
  outbox: { enqueue(message: { id: string; kind: string; payload: CardPayload | UpdatePayload }): Promise<unknown>; kick(): void };
  messenger: ProactiveMessenger;
  /** The announcement as stored now: a card shows the latest version when it goes out. */
  current(announcementId: string): Promise<Announcement | null>;
  card(announcement: Announcement): Attachment;
  logger: Logger;
  now?: () => Date;
}

/** Connector failures (other than blocked or gone) before a recipient is given up. */
const MAX_FAILURES = 6;
/** An update waits this long, again and again, for its card to be delivered first. */
const ORIGIN_WAIT_MS = 2000;
/** Outbox messages enqueued at once when a broadcast starts. */
const ENQUEUE_PARALLEL = 16;

/**
 * Delivers announcements through the durable outbox, one message per
 * recipient, with each recipient's state (and the card's activity id) in its
 * own table. An interim implementation of the delivery port: the broadcast
 * engine replaces it behind the same interface.
 */
export class OutboxAnnouncementDelivery implements AnnouncementDelivery {
  private readonly listeners: Array<(announcementId: string, broadcastId: string) => void> = [];
  private readonly now: () => Date;

  constructor(private readonly deps: OutboxDeliveryDependencies) {
    this.now = deps.now ?? (() => new Date());
  }

  async send(announcement: Announcement, recipients: readonly Recipient[]): Promise<string> {
    const broadcastId = `${announcement.id}.send`;
    if (await this.deps.recipients.meta(broadcastId)) return broadcastId;
    await this.deps.recipients.add(broadcastId, recipients);
    await this.enqueueAll(
      recipients.map((recipient) => ({
        id: `${ANNOUNCEMENT_CARD_MESSAGES.send}:${broadcastId}:${recipient.conversationId}`,
        kind: ANNOUNCEMENT_CARD_MESSAGES.send,
        payload: { broadcastId, announcementId: announcement.id, conversationId: recipient.conversationId },
      })),
    );
    await this.deps.recipients.createMeta({ broadcastId, announcementId: announcement.id, kind: 'send', originBroadcastId: broadcastId, createdAt: this.now().toISOString() });
    this.deps.outbox.kick();
    return broadcastId;
  }

  async update(announcement: Announcement, previousBroadcastId: string): Promise<string> {
    const broadcastId = `${announcement.id}.update.${announcement.updatedAt}`;
    if (await this.deps.recipients.meta(broadcastId)) return broadcastId;
    const previous = await this.deps.recipients.meta(previousBroadcastId);
    if (!previous) throw new Error(`There is no broadcast ${previousBroadcastId} to update`);
    const originBroadcastId = previous.originBroadcastId;
    // Every recipient of the delivery, whatever their state now: a card still on its way is updated once it arrives.
    const recipients = await this.deps.recipients.recipients(originBroadcastId);
    await this.deps.recipients.add(broadcastId, recipients);
    await this.enqueueAll(
      recipients.map((recipient) => ({
        id: `${ANNOUNCEMENT_CARD_MESSAGES.update}:${broadcastId}:${recipient.conversationId}`,
        kind: ANNOUNCEMENT_CARD_MESSAGES.update,
        payload: { broadcastId, originBroadcastId, announcementId: announcement.id, conversationId: recipient.conversationId },
      })),
    );
    await this.deps.recipients.createMeta({ broadcastId, announcementId: announcement.id, kind: 'update', originBroadcastId, createdAt: this.now().toISOString() });
    this.deps.outbox.kick();
    return broadcastId;
  }

  async progress(broadcastId: string): Promise<BroadcastProgress> {
    const meta = await this.deps.recipients.meta(broadcastId);
    const counts = await this.deps.recipients.counts(broadcastId);
    const total = counts.pending + counts.sent + counts.failed + counts.skipped;
    const done = total - counts.pending;
    const elapsedSeconds = meta ? (this.now().getTime() - Date.parse(meta.createdAt)) / 1000 : 0;
    const rate = elapsedSeconds > 0 ? done / elapsedSeconds : 0;
    return {
      total,
      sent: counts.sent,
      failed: counts.failed,
      skipped: counts.skipped,
      remaining: counts.pending,
      etaSeconds: counts.pending > 0 && rate > 0 ? Math.round(counts.pending / rate) : null,
    };
  }

  onProgress(listener: (announcementId: string, broadcastId: string) => void): void {
    this.listeners.push(listener);
  }

  /** The outbox handlers that deliver and update the cards. */
  handlers(): Record<string, DeliveryHandler> {
    return {
      [ANNOUNCEMENT_CARD_MESSAGES.send]: (message) => this.deliverCard(message.payload as CardPayload),
      [ANNOUNCEMENT_CARD_MESSAGES.update]: (message) => this.updateCard(message.payload as UpdatePayload),
    };
  }

  private async deliverCard(payload: CardPayload): Promise<DeliveryOutcome> {
    const { broadcastId, announcementId, conversationId } = payload;
    const recipient = await this.deps.recipients.recipient(broadcastId, conversationId);
    if (!recipient) return { kind: 'failed', error: `${conversationId} is not a recipient of ${broadcastId}` };
    if (recipient.status !== 'pending') return { kind: 'delivered', result: recipient.activityId };
    const announcement = await this.deps.current(announcementId);
    if (!announcement) return { kind: 'failed', error: `announcement ${announcementId} does not exist` };
    if (announcement.state === 'cancelled') {
      await this.settle(payload, { status: 'skipped' });
      return { kind: 'delivered', result: 'cancelled before delivery' };
    }
    try {
      const activityId = await this.deps.messenger.post(recipient.reference, this.deps.card(announcement));
      await this.settle(payload, { status: 'sent', activityId });
      return { kind: 'delivered', result: activityId };
    } catch (error) {
      return this.connectorFailure(payload, recipient, error);
    }
  }

  private async updateCard(payload: UpdatePayload): Promise<DeliveryOutcome> {
    const { broadcastId, originBroadcastId, announcementId, conversationId } = payload;
    const recipient = await this.deps.recipients.recipient(broadcastId, conversationId);
    if (!recipient) return { kind: 'failed', error: `${conversationId} is not a recipient of ${broadcastId}` };
    if (recipient.status !== 'pending') return { kind: 'delivered', result: recipient.activityId };
    const posted = await this.deps.recipients.recipient(originBroadcastId, conversationId);
    if (posted?.status === 'pending') return { kind: 'retry', error: 'the card has not been delivered yet', retryAfterMs: ORIGIN_WAIT_MS };
    const activityId = posted?.activityId;
    if (!posted || posted.status !== 'sent' || !activityId) {
      await this.settle(payload, { status: 'skipped' });
      return { kind: 'delivered', result: 'no delivered card to update' };
    }
    const announcement = await this.deps.current(announcementId);
    if (!announcement) return { kind: 'failed', error: `announcement ${announcementId} does not exist` };
    try {
      await this.deps.messenger.replace(posted.reference, activityId, this.deps.card(announcement));
      await this.settle(payload, { status: 'sent', activityId });
      return { kind: 'delivered', result: activityId };
    } catch (error) {
      return this.connectorFailure(payload, recipient, error);
    }
  }

  /**
   * Blocked or gone (403, 404) is final; otherwise the outbox retries (after
   * Retry-After when throttled) until the recipient has failed too often.
   */
  private async connectorFailure(payload: CardPayload, recipient: BroadcastRecipient, error: unknown): Promise<DeliveryOutcome> {
    const status = (error as { statusCode?: number }).statusCode;
    const text = `${status ?? 'error'}: ${error instanceof Error ? error.message : String(error)}`;
    const failures = recipient.failures + 1;
    if (status === 403 || status === 404 || failures >= MAX_FAILURES) {
      await this.settle(payload, { status: 'failed', error: text, failures });
      this.deps.logger.warn({ broadcastId: payload.broadcastId, conversationId: payload.conversationId, status }, 'announcement card could not be delivered');
      return { kind: 'failed', error: text };
    }
    await this.deps.recipients.mark(payload.broadcastId, payload.conversationId, { error: text, failures });
    const retryAfter = Number((error as { response?: { headers?: { get?(name: string): string | undefined } } }).response?.headers?.get?.('retry-after'));
    return { kind: 'retry', error: text, ...(retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}) };
  }

  private async settle(payload: CardPayload, change: Parameters<TableBroadcastRecipients['mark']>[2]): Promise<void> {
    await this.deps.recipients.mark(payload.broadcastId, payload.conversationId, change);
    for (const listener of this.listeners) listener(payload.announcementId, payload.broadcastId);
  }

  private async enqueueAll(messages: Array<{ id: string; kind: string; payload: CardPayload | UpdatePayload }>): Promise<void> {
    for (let start = 0; start < messages.length; start += ENQUEUE_PARALLEL) {
      await Promise.all(messages.slice(start, start + ENQUEUE_PARALLEL).map((message) => this.deps.outbox.enqueue(message)));
    }
  }
}
