import type { Attachment } from 'botbuilder';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AnnouncementStatus } from '../../src/announcements/announcementPorts';
import type { Announcement } from '../../src/announcements/model';
import type { DeliveryOutcome } from '../../src/delivery/outboxWorker';
import type { OutboxMessage } from '../../src/delivery/outbox';
import { createLogger } from '../../src/logger';
import { TableBroadcastRecipients } from '../../src/teams/announcements/broadcastRecipients';
import { coordinatorStatusCards } from '../../src/teams/announcements/coordinatorStatusCards';
import { ANNOUNCEMENT_CARD_MESSAGES, OutboxAnnouncementDelivery } from '../../src/teams/announcements/outboxDelivery';
import type { ProactiveMessenger } from '../../src/teams/announcements/proactiveMessenger';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';

const announcement: Announcement = {
  id: 'KU-2026-0042',
  kind: 'kurs',
  title: 'Kurs i fakturabehandling',
  description: 'For fakturaansvarlige.',
  startsAt: '2026-12-09T09:00:00.000Z',
  endsAt: '2026-12-09T11:00:00.000Z',
  allDay: false,
  place: 'Rom R9',
  meetingUrl: null,
  registrationUrl: null,
  audience: { everyone: true, roles: [], processes: [], units: [] },
  channels: [],
  sendAt: null,
  state: 'sending',
  createdBy: { id: 'aad-ida', name: 'Ida Koordinator', email: 'ida.koordinator@ntnu.example' },
  createdAt: '2026-11-27T09:00:00.000Z',
  updatedAt: '2026-11-27T09:00:00.000Z',
  broadcastIds: [],
  materials: [],
};
const recipient = (n: number) => ({ conversationId: `a:${n}`, reference: { conversation: { id: `a:${n}` } } });
const connectorError = (statusCode: number, retryAfter?: string) =>
  Object.assign(new Error(`stand-in ${statusCode}`), { statusCode, response: { headers: { get: (name: string) => (name === 'retry-after' ? retryAfter : undefined) } } });

/** Answers as scripted per conversation: an error to throw, or nothing (success). */
class ScriptedMessenger implements ProactiveMessenger {
  readonly posts: Array<{ conversationId: string; title: string }> = [];
  readonly replacements: Array<{ conversationId: string; activityId: string; title: string }> = [];
  readonly failures = new Map<string, Error[]>();
  private next = 1;
  async post(reference: Record<string, unknown>, card: Attachment): Promise<string> {
    const conversationId = conversationOf(reference);
    this.fail(conversationId);
    this.posts.push({ conversationId, title: titleOf(card) });
    return `activity-${this.next++}`;
  }
  async replace(reference: Record<string, unknown>, activityId: string, card: Attachment): Promise<void> {
    const conversationId = conversationOf(reference);
    this.fail(conversationId);
    this.replacements.push({ conversationId, activityId, title: titleOf(card) });
  }
  private fail(conversationId: string): void {
    const error = this.failures.get(conversationId)?.shift();
    if (error) throw error;
  }
}

const conversationOf = (reference: Record<string, unknown>) => (reference.conversation as { id: string }).id;
const titleOf = (card: Attachment) => JSON.stringify(card.content);

describe('delivering announcements through the outbox, one message per recipient', () => {
  let messenger: ScriptedMessenger;
  let delivery: OutboxAnnouncementDelivery;
  let current: Announcement;
  let queued: Map<string, { kind: string; payload: unknown }>;
  let progressed: string[];

  beforeEach(async () => {
    messenger = new ScriptedMessenger();
    current = announcement;
    queued = new Map();
    progressed = [];
    delivery = new OutboxAnnouncementDelivery({
      recipients: await TableBroadcastRecipients.open(testConnectionString(), `${uniqueTablePrefix('bc')}broadcasts`),
      outbox: {
        enqueue: async (message) => void (queued.has(message.id) || queued.set(message.id, { kind: message.kind, payload: message.payload })),
        kick: () => undefined,
      },
      messenger,
      current: async () => current,
      card: (shown) => ({ contentType: 'application/vnd.microsoft.card.adaptive', content: { title: `${shown.title} (${shown.state})` } }),
      logger: createLogger('silent'),
    });
    delivery.onProgress((announcementId, broadcastId) => progressed.push(`${announcementId} ${broadcastId}`));
  });

  /** Runs one outbox message of the kind by its handler, as the worker would. */
  const run = (kind: string, conversationId: string, broadcastId: string): Promise<DeliveryOutcome> => {
    const id = `${kind}:${broadcastId}:${conversationId}`;
    const message = queued.get(id);
    const handler = delivery.handlers()[kind];
    if (!message || !handler) throw new Error(`nothing queued as ${id}`);
    return handler({ id, kind, payload: message.payload } as OutboxMessage);
  };

  it('sends to every recipient once, reports progress, and makes the same broadcast when asked again', async () => {
    const broadcastId = await delivery.send(announcement, [recipient(1), recipient(2)]);
    expect(await delivery.send(announcement, [recipient(1), recipient(2), recipient(3)])).toBe(broadcastId);
    expect(queued.size).toBe(2);
    expect(await delivery.progress(broadcastId)).toMatchObject({ total: 2, sent: 0, remaining: 2, etaSeconds: null });

    expect(await run(ANNOUNCEMENT_CARD_MESSAGES.send, 'a:1', broadcastId)).toEqual({ kind: 'delivered', result: 'activity-1' });
    // Run again (a retried message): not sent twice.
    expect(await run(ANNOUNCEMENT_CARD_MESSAGES.send, 'a:1', broadcastId)).toEqual({ kind: 'delivered', result: 'activity-1' });
    expect(messenger.posts).toHaveLength(1);
    expect(progressed).toEqual([`KU-2026-0042 ${broadcastId}`]);
    expect(await delivery.progress(broadcastId)).toMatchObject({ total: 2, sent: 1, remaining: 1 });
  });

  it('gives up at once on a blocked or removed bot, waits for Retry-After when throttled, and stops retrying after six failures', async () => {
    const broadcastId = await delivery.send(announcement, [recipient(1), recipient(2), recipient(3)]);
    messenger.failures.set('a:1', [connectorError(403)]);
    messenger.failures.set('a:2', [connectorError(429, '3')]);
    messenger.failures.set('a:3', Array.from({ length: 6 }, () => connectorError(503)));

    expect(await run(ANNOUNCEMENT_CARD_MESSAGES.send, 'a:1', broadcastId)).toMatchObject({ kind: 'failed' });
    expect(await run(ANNOUNCEMENT_CARD_MESSAGES.send, 'a:2', broadcastId)).toMatchObject({ kind: 'retry', retryAfterMs: 3000 });
    expect(await run(ANNOUNCEMENT_CARD_MESSAGES.send, 'a:2', broadcastId)).toMatchObject({ kind: 'delivered' });
    for (let attempt = 1; attempt < 6; attempt++) expect(await run(ANNOUNCEMENT_CARD_MESSAGES.send, 'a:3', broadcastId)).toMatchObject({ kind: 'retry' });
    expect(await run(ANNOUNCEMENT_CARD_MESSAGES.send, 'a:3', broadcastId)).toMatchObject({ kind: 'failed' });
    expect(await delivery.progress(broadcastId)).toEqual({ total: 3, sent: 1, failed: 2, skipped: 0, remaining: 0, etaSeconds: null });
  });

  it('sends the current version, and nothing once it is cancelled', async () => {
    const broadcastId = await delivery.send(announcement, [recipient(1), recipient(2)]);
    current = { ...announcement, title: 'Nytt navn' };
    await run(ANNOUNCEMENT_CARD_MESSAGES.send, 'a:1', broadcastId);
    expect(messenger.posts[0]?.title).toContain('Nytt navn');
    current = { ...announcement, state: 'cancelled' };
    expect(await run(ANNOUNCEMENT_CARD_MESSAGES.send, 'a:2', broadcastId)).toEqual({ kind: 'delivered', result: 'cancelled before delivery' });
    expect(messenger.posts).toHaveLength(1);
    expect(await delivery.progress(broadcastId)).toMatchObject({ sent: 1, skipped: 1, remaining: 0 });
  });

  it('updates every delivered card in place, waits for a card still on its way, and skips the ones that never arrived', async () => {
    const sendId = await delivery.send(announcement, [recipient(1), recipient(2), recipient(3)]);
    messenger.failures.set('a:3', [connectorError(404)]);
    await run(ANNOUNCEMENT_CARD_MESSAGES.send, 'a:1', sendId);
    await run(ANNOUNCEMENT_CARD_MESSAGES.send, 'a:3', sendId);

    current = { ...announcement, place: 'Rom R10', updatedAt: '2026-11-27T10:00:00.000Z', amendedAt: '2026-11-27T10:00:00.000Z' };
    const updateId = await delivery.update(current, sendId);
    expect(await delivery.update(current, sendId)).toBe(updateId);
    expect(await run(ANNOUNCEMENT_CARD_MESSAGES.update, 'a:1', updateId)).toEqual({ kind: 'delivered', result: 'activity-1' });
    expect(messenger.replacements).toEqual([{ conversationId: 'a:1', activityId: 'activity-1', title: expect.stringContaining('Kurs i fakturabehandling') }]);
    expect(await run(ANNOUNCEMENT_CARD_MESSAGES.update, 'a:2', updateId)).toMatchObject({ kind: 'retry', retryAfterMs: 2000 });
    expect(await run(ANNOUNCEMENT_CARD_MESSAGES.update, 'a:3', updateId)).toEqual({ kind: 'delivered', result: 'no delivered card to update' });
    await run(ANNOUNCEMENT_CARD_MESSAGES.send, 'a:2', sendId);
    expect(await run(ANNOUNCEMENT_CARD_MESSAGES.update, 'a:2', updateId)).toMatchObject({ kind: 'delivered' });
    expect(await delivery.progress(updateId)).toMatchObject({ total: 3, sent: 2, skipped: 1, remaining: 0 });

    // A later update (a cancellation) replaces the same cards: it goes back to the delivery, not to the update.
    current = { ...current, state: 'cancelled', updatedAt: '2026-11-27T11:00:00.000Z' };
    const cancelId = await delivery.update(current, updateId);
    await run(ANNOUNCEMENT_CARD_MESSAGES.update, 'a:1', cancelId);
    expect(messenger.replacements.at(-1)).toEqual({ conversationId: 'a:1', activityId: 'activity-1', title: expect.stringContaining('(cancelled)') });
    await expect(delivery.update({ ...current, updatedAt: '2026-11-27T12:00:00.000Z' }, 'KU-2026-0042.unknown')).rejects.toThrow('no broadcast');
  });

  it("shows the status on the coordinator's card, where it is known", async () => {
    const replaced: string[] = [];
    const cards = coordinatorStatusCards({
      messenger: { post: async () => '', replace: async (_reference, activityId) => void replaced.push(activityId) },
      conversations: { get: async (id) => (id === 'a:ida' ? { conversationId: id, kind: 'personal', reference: {}, user: null, updatedAt: '' } : null) },
      calendarUrl: (id) => `https://bot.example/calendar/${id}.ics`,
      logger: createLogger('silent'),
    });
    const status = (card: Announcement['coordinatorCard']): AnnouncementStatus => ({ announcement: { ...announcement, coordinatorCard: card }, delivery: null, update: null });
    await cards.show(status(null));
    await cards.show(status({ conversationId: 'a:unknown', activityId: 'card-0', language: 'nb' }));
    await cards.show(status({ conversationId: 'a:ida', activityId: 'card-1', language: 'en' }));
    expect(replaced).toEqual(['card-1']);
  });
});
