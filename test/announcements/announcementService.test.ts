import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AnnouncementDelivery, AnnouncementStatus, AudienceResolver, BroadcastProgress, ChannelDirectory, Recipient } from '../../src/announcements/announcementPorts';
import { AnnouncementService, type AnnouncementActor, type AnnouncementDependencies, type ChangePayload, type DispatchPayload } from '../../src/announcements/announcementService';
import { TableAnnouncementStore } from '../../src/announcements/announcementStore';
import type { Announcement, Audience } from '../../src/announcements/model';
import type { RecipientRecord } from '../../src/broadcast/model';
import type { OutboxMessage } from '../../src/delivery/outbox';
import type { OutboxJob } from '../../src/delivery/outboxJobs';
import type { DirectoryIndex } from '../../src/directory/directoryIndex';
import { createLogger } from '../../src/logger';
import { announcementForm } from '../support/announcementForms';
import { recipientRecord } from '../broadcast/support';
import { seededDirectoryIndex } from '../support/seededDirectory';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';
import { waitFor } from '../support/teamsUsers';

const NOW = new Date('2026-11-27T09:00:00Z');
const coordinator: AnnouncementActor = { id: 'aad-ida', name: 'Ida Koordinator', email: 'ida.koordinator@ntnu.example' };
const directoryCoordinator: AnnouncementActor = { id: 'aad-gry', name: 'Gry-Lene Johansen', email: 'Gry-Lene.Johansen@ntnu.example' };
const outsider: AnnouncementActor = { id: 'aad-ola', name: 'Ola Utenfor', email: 'ola.utenfor@ntnu.example' };
const channel = { conversationId: '19:kurs@thread.tacv2', label: 'Økonomi › Kurs' };
const person = (n: number): Recipient => ({ conversationId: `a:${n}`, reference: { conversation: { id: `a:${n}` } } });
const card = { conversationId: 'a:ida', activityId: 'card-1', language: 'nb' as const };

/** The delivery port, remembering what it was asked; progress is set by the test. */
class RecordingDelivery implements AnnouncementDelivery {
  readonly sends: Array<{ broadcastId: string; announcement: Announcement; recipients: readonly Recipient[] }> = [];
  readonly updates: Array<{ broadcastId: string; announcement: Announcement; previous: string }> = [];
  readonly progresses = new Map<string, BroadcastProgress>();
  private readonly listeners: Array<(announcementId: string, broadcastId: string) => void> = [];

  /** Pages of recipients as the delivery got them (one for a list). */
  readonly pages: Array<readonly Recipient[]> = [];

  async send(announcement: Announcement, given: readonly Recipient[] | AsyncIterable<readonly Recipient[]>): Promise<string> {
    const broadcastId = `${announcement.id}.send`;
    const recipients: Recipient[] = [];
    for await (const page of Symbol.asyncIterator in given ? given : [given]) {
      this.pages.push(page);
      recipients.push(...page);
    }
    if (!this.sends.some((send) => send.broadcastId === broadcastId)) {
      this.sends.push({ broadcastId, announcement, recipients });
      this.progresses.set(broadcastId, progress(recipients.length, 0));
    }
    return broadcastId;
  }

  async update(announcement: Announcement, previous: string): Promise<string> {
    const broadcastId = `${announcement.id}.update.${announcement.updatedAt}`;
    if (!this.updates.some((update) => update.broadcastId === broadcastId)) this.updates.push({ broadcastId, announcement, previous });
    return broadcastId;
  }

  async progress(broadcastId: string): Promise<BroadcastProgress> {
    return this.progresses.get(broadcastId) ?? progress(0, 0);
  }

  readonly failed = new Map<string, RecipientRecord[]>();

  async failures(broadcastId: string): Promise<RecipientRecord[]> {
    return this.failed.get(broadcastId) ?? [];
  }

  onProgress(listener: (announcementId: string, broadcastId: string) => void): void {
    this.listeners.push(listener);
  }

  /** Every recipient of a broadcast delivered but `failed` of them. */
  finish(announcementId: string, broadcastId: string, failed = 0): void {
    const total = this.progresses.get(broadcastId)?.total ?? 0;
    this.progresses.set(broadcastId, progress(total, total - failed, failed));
    for (const listener of this.listeners) listener(announcementId, broadcastId);
  }
}

function progress(total: number, sent: number, failed = 0): BroadcastProgress {
  return { total, sent, failed, skipped: 0, remaining: total - sent - failed, etaSeconds: null };
}

/** The outbox: idempotent by id, run by hand. */
class ManualOutbox {
  readonly messages = new Map<string, { kind: string; payload: DispatchPayload | ChangePayload; done: boolean }>();
  kicks = 0;
  async enqueue(message: { id: string; kind: string; payload: DispatchPayload | ChangePayload }): Promise<void> {
    if (!this.messages.has(message.id)) this.messages.set(message.id, { kind: message.kind, payload: message.payload, done: false });
  }
  async kick(): Promise<void> {
    this.kicks++;
  }
  pending(kind?: string): string[] {
    return [...this.messages.entries()].filter(([, m]) => !m.done && (!kind || m.kind === kind)).map(([id]) => id);
  }
  /** Runs the pending jobs (and any they enqueue) with the service's handlers; returns their outcomes. */
  async run(service: AnnouncementService): Promise<string[]> {
    const outcomes: string[] = [];
    const jobs: Readonly<Record<string, OutboxJob<unknown>>> = service.jobs();
    for (let ids = this.pending(); ids.length > 0; ids = this.pending()) {
      for (const id of ids) {
        const message = this.messages.get(id);
        const job = message && jobs[message.kind];
        if (!message || !job) throw new Error(`no handler for ${id}`);
        const outcome = await job.deliver({ id, kind: message.kind, payload: message.payload } as OutboxMessage, { recordProgress: async () => undefined });
        outcomes.push(`${id} → ${outcome.kind}`);
        // A retry would come back later; for the test it is done for now.
        message.done = true;
      }
    }
    return outcomes;
  }
}

describe('the announcement service', () => {
  let index: DirectoryIndex;
  let delivery: RecordingDelivery;
  let outbox: ManualOutbox;
  let shown: AnnouncementStatus[];
  let reached: Recipient[];
  let service: AnnouncementService;
  let store: TableAnnouncementStore;
  let now: Date;
  let duringResolve: (() => Promise<void>) | null;
  let channelStillThere: boolean;
  const audiencesAsked: Audience[] = [];
  let serviceDependencies: AnnouncementDependencies;

  beforeAll(async () => {
    index = await seededDirectoryIndex();
  });

  beforeEach(async () => {
    store = await TableAnnouncementStore.open(testConnectionString(), `${uniqueTablePrefix('svc')}announcements`);
    delivery = new RecordingDelivery();
    outbox = new ManualOutbox();
    shown = [];
    reached = [person(1), person(2)];
    now = NOW;
    duringResolve = null;
    channelStillThere = true;
    const audience: AudienceResolver = {
      resolve: async (asked) => {
        audiencesAsked.push(asked);
        await duringResolve?.();
        return reached;
      },
      count: async () => reached.length,
    };
    const channels: ChannelDirectory = {
      list: async () => [channel],
      recipient: async (id) => (id === channel.conversationId && channelStillThere ? { conversationId: id, reference: { conversation: { id } } } : null),
    };
    serviceDependencies = {
      store,
      directory: () => index,
      coordinators: new Set(['ida.koordinator@ntnu.example']),
      audience,
      channels,
      delivery,
      outbox,
      statusCards: { show: async (status) => void shown.push(status), lostRecipients: async () => undefined },
      logger: createLogger('silent'),
      now: () => now,
      statusIntervalMs: 5,
    };
    service = new AnnouncementService(serviceDependencies);
  });

  afterEach(async () => service.stop());

  /** Previews a form and confirms it, as the coordinator's two clicks do. */
  async function previewAndConfirm(overrides: Record<string, unknown> = {}, actor = coordinator) {
    const previewed = await service.preview(announcementForm(overrides), actor, { formId: `form-${Math.random()}`, id: null });
    if (previewed.kind !== 'preview') throw new Error(`expected a preview, got ${previewed.kind}`);
    const { announcement, values, basedOn } = previewed.preview;
    return { previewed: previewed.preview, confirmed: await service.confirm(announcement.id, values, actor, basedOn, card) };
  }

  it('hands the delivery an audience that reads in pages page by page, the channels after', async () => {
    const paged = new AnnouncementService({
      ...serviceDependencies,
      audience: {
        resolve: async () => reached,
        count: async () => reached.length,
        async *resolvePages() {
          yield [person(1)];
          yield [person(2)];
        },
      },
    });
    try {
      const previewed = await paged.preview(announcementForm({ channels: channel.conversationId }), coordinator, { formId: 'sider', id: null });
      if (previewed.kind !== 'preview') throw new Error(`expected a preview, got ${previewed.kind}`);
      const { announcement, values, basedOn } = previewed.preview;
      await paged.confirm(announcement.id, values, coordinator, basedOn, card);
      await outbox.run(paged);
      expect(delivery.pages.map((page) => page.map((recipient) => recipient.conversationId))).toEqual([['a:1'], ['a:2'], ['19:kurs@thread.tacv2']]);
    } finally {
      await paged.stop();
    }
  });

  it('refuses everyone but the coordinators, configured or named in the directory', async () => {
    expect(await service.openForm(outsider, null)).toEqual({ kind: 'refused' });
    expect(await service.preview(announcementForm(), outsider, { formId: 'f', id: null })).toEqual({ kind: 'refused' });
    expect(await service.confirm('KU-2026-0001', announcementForm(), outsider, 'x', null)).toEqual({ kind: 'refused' });
    expect(await service.cancel('KU-2026-0001', outsider, null)).toEqual({ kind: 'refused' });
    expect(await service.status(outsider, 'KU-2026-0001')).toEqual({ kind: 'refused' });
    expect(await store.list()).toHaveLength(0);
    expect((await service.openForm(directoryCoordinator, null)).kind).toBe('form');
    expect(service.isCoordinator({ id: 'IDA.KOORDINATOR@ntnu.example' })).toBe(true);
  });

  it('keeps an invalid form as typed, storing nothing', async () => {
    const result = await service.preview(announcementForm({ title: '', startTime: '25:00' }), coordinator, { formId: 'f1', id: null });
    expect(result.kind).toBe('invalid');
    if (result.kind !== 'invalid') return;
    expect(result.form).toMatchObject({ id: null, problems: { title: 'required', startTime: 'invalid-time' }, withDistribution: true, channels: [channel] });
    expect(result.form.values.startTime).toBe('25:00');
    expect(await store.list()).toHaveLength(0);
  });

  it('stores a previewed form as a numbered draft, and the same form previewed again as the same draft', async () => {
    const first = await service.preview(announcementForm({ title: 'Første utgave' }), coordinator, { formId: 'same-form', id: null });
    const again = await service.preview(announcementForm({ title: 'Rettet tittel' }), coordinator, { formId: 'same-form', id: null });
    if (first.kind !== 'preview' || again.kind !== 'preview') throw new Error('expected previews');
    expect(first.preview.announcement).toMatchObject({ id: 'KU-2026-0001', state: 'draft' });
    expect(first.preview).toMatchObject({ audienceCount: 2, delivered: null });
    expect(again.preview.announcement).toMatchObject({ id: 'KU-2026-0001', title: 'Rettet tittel' });
    expect((await store.list()).map((a) => a.title)).toEqual(['Rettet tittel']);
  });

  it('sends on confirmation: to the audience and the channels, once, and reports the delivery on the coordinator’s card', async () => {
    reached = [person(1), person(2), { conversationId: channel.conversationId, reference: {} }];
    const { confirmed } = await previewAndConfirm({ channels: channel.conversationId });
    if (confirmed.kind !== 'confirmed') throw new Error(`expected confirmed, got ${confirmed.kind}`);
    expect(confirmed.outcome).toBe('sending');
    expect(confirmed.status.announcement).toMatchObject({ state: 'sending', coordinatorCard: card });
    const id = confirmed.status.announcement.id;

    await outbox.run(service);
    // A second instance's scheduler pass finds nothing left to dispatch.
    expect(await service.enqueueDue(now)).toBe(0);
    expect(delivery.sends).toHaveLength(1);
    expect(delivery.sends[0]?.recipients.map((r) => r.conversationId).sort()).toEqual(['19:kurs@thread.tacv2', 'a:1', 'a:2']);
    expect((await store.get(id))?.announcement.broadcastIds).toEqual([`${id}.send`]);

    delivery.finish(id, `${id}.send`, 1);
    const final = await waitFor(() => shown.find((status) => status.announcement.state === 'sent'), 5000, 'the final report');
    expect(final.delivery).toMatchObject({ total: 3, sent: 2, failed: 1, remaining: 0 });
    expect((await store.get(id))?.announcement.state).toBe('sent');
  });

  it('lists whom the delivery did not reach, for coordinators only', async () => {
    const { confirmed } = await previewAndConfirm();
    if (confirmed.kind !== 'confirmed') throw new Error(`expected confirmed, got ${confirmed.kind}`);
    const id = confirmed.status.announcement.id;
    expect(await service.undelivered(coordinator, id)).toEqual({ kind: 'undelivered', announcement: expect.objectContaining({ id }), recipients: [] });
    await outbox.run(service);
    const blocked = recipientRecord({ conversationId: 'a:2', label: 'kari@ntnu.example', state: 'unreachable', lastError: '403: blocked', lastStatus: 403 });
    delivery.failed.set(`${id}.send`, [blocked]);
    expect(await service.undelivered(coordinator, id)).toMatchObject({ kind: 'undelivered', recipients: [blocked] });
    expect(await service.undelivered(outsider, id)).toEqual({ kind: 'refused' });
    expect(await service.undelivered(coordinator, 'KU-2026-0999')).toEqual({ kind: 'not-found', id: 'KU-2026-0999' });
  });

  it('leaves out a chosen channel the bot no longer knows when it sends', async () => {
    await previewAndConfirm({ channels: channel.conversationId });
    channelStillThere = false;
    await outbox.run(service);
    expect(delivery.sends[0]?.recipients.map((r) => r.conversationId)).toEqual(['a:1', 'a:2']);
  });

  it('refuses a confirmation made from an outdated preview, so a double click sends once', async () => {
    const { previewed, confirmed } = await previewAndConfirm();
    expect(confirmed.kind).toBe('confirmed');
    const again = await service.confirm(previewed.announcement.id, previewed.values, coordinator, previewed.basedOn, card);
    expect(again.kind).toBe('conflict');
    await outbox.run(service);
    expect(delivery.sends).toHaveLength(1);
  });

  it('checks the form again on confirmation: a start that has passed since the preview is refused', async () => {
    const previewed = await service.preview(announcementForm(), coordinator, { formId: 'late', id: null });
    if (previewed.kind !== 'preview') throw new Error('expected a preview');
    now = new Date('2026-12-10T09:00:00Z');
    const confirmed = await service.confirm(previewed.preview.announcement.id, previewed.preview.values, coordinator, previewed.preview.basedOn, card);
    expect(confirmed.kind === 'invalid' && confirmed.form.problems).toEqual({ startDate: 'in-the-past' });
    expect((await store.get(previewed.preview.announcement.id))?.announcement.state).toBe('draft');
  });

  it('sends a scheduled announcement when its time comes, and a rescheduled one at the new time only', async () => {
    const { confirmed } = await previewAndConfirm({ sendMode: 'later', sendDate: '2026-12-01', sendTime: '08:00' });
    if (confirmed.kind !== 'confirmed') throw new Error('expected confirmed');
    expect(confirmed.outcome).toBe('scheduled');
    const id = confirmed.status.announcement.id;
    expect(await service.enqueueDue(new Date('2026-12-01T06:59:00Z'))).toBe(0);
    expect(await service.enqueueDue(new Date('2026-12-01T07:00:00Z'))).toBe(1);

    // Moved to a later time before the dispatch ran: the old time's dispatch does nothing.
    const form = await service.openForm(coordinator, id);
    if (form.kind !== 'form') throw new Error('expected the form');
    expect(form.form.withDistribution).toBe(true);
    const moved = await service.preview({ ...form.form.values, sendTime: '09:00' }, coordinator, { formId: 'other', id });
    if (moved.kind !== 'preview') throw new Error('expected a preview');
    expect(moved.preview.announcement.state).toBe('scheduled');
    await service.confirm(id, moved.preview.values, coordinator, moved.preview.basedOn, card);
    expect(await outbox.run(service)).toEqual([`dispatch:${id}:2026-12-01T07:00:00.000Z → delivered`]);
    expect(delivery.sends).toHaveLength(0);

    expect(await service.enqueueDue(new Date('2026-12-01T08:00:00Z'))).toBe(1);
    await outbox.run(service);
    expect(delivery.sends.map((send) => send.announcement.id)).toEqual([id]);
    expect((await store.get(id))?.announcement.state).toBe('sending');
  });

  it('changes a sent announcement only when confirmed, and then updates every delivered card', async () => {
    const { confirmed } = await previewAndConfirm();
    if (confirmed.kind !== 'confirmed') throw new Error('expected confirmed');
    const id = confirmed.status.announcement.id;
    await outbox.run(service);
    delivery.finish(id, `${id}.send`);

    const form = await service.openForm(coordinator, id);
    if (form.kind !== 'form') throw new Error('expected the form');
    expect(form.form.withDistribution).toBe(false);
    const previewed = await service.preview({ ...form.form.values, place: 'Rom R10, Realfagbygget' }, coordinator, { formId: 'x', id });
    if (previewed.kind !== 'preview') throw new Error('expected a preview');
    expect(previewed.preview).toMatchObject({ delivered: 2, announcement: { place: 'Rom R10, Realfagbygget' } });
    // Only a preview: nothing is stored yet.
    expect((await store.get(id))?.announcement.place).toBe('Rom R9, Realfagbygget');

    const amended = await service.confirm(id, previewed.preview.values, coordinator, previewed.preview.basedOn, card);
    expect(amended.kind === 'confirmed' && amended.outcome).toBe('amended');
    await outbox.run(service);
    expect(delivery.updates).toHaveLength(1);
    expect(delivery.updates[0]).toMatchObject({ previous: `${id}.send`, announcement: { place: 'Rom R10, Realfagbygget' } });
    const stored = (await store.get(id))?.announcement;
    expect(stored?.amendedAt).toBe(stored?.updatedAt);
    expect(stored?.broadcastIds).toEqual([`${id}.send`, delivery.updates[0]?.broadcastId]);

    // Confirming the same values again changes nothing and sends nothing.
    const same = await service.preview(previewed.preview.values, coordinator, { formId: 'y', id });
    if (same.kind !== 'preview') throw new Error('expected a preview');
    const unchanged = await service.confirm(id, same.preview.values, coordinator, same.preview.basedOn, card);
    expect(unchanged.kind === 'confirmed' && unchanged.outcome).toBe('unchanged');
    await outbox.run(service);
    expect(delivery.updates).toHaveLength(1);
  });

  it('cancels: a sent one updates the delivered cards, a scheduled one is simply never sent', async () => {
    const sent = await previewAndConfirm();
    const scheduled = await previewAndConfirm({ sendMode: 'later', sendDate: '2026-12-01', sendTime: '08:00' });
    if (sent.confirmed.kind !== 'confirmed' || scheduled.confirmed.kind !== 'confirmed') throw new Error('expected confirmed');
    const sentId = sent.confirmed.status.announcement.id;
    const scheduledId = scheduled.confirmed.status.announcement.id;
    await outbox.run(service);

    const cancelled = await service.cancel(sentId, coordinator, card);
    expect(cancelled.kind === 'cancelled' && cancelled.status.announcement.state).toBe('cancelled');
    expect((await service.cancel(sentId, coordinator, card)).kind).toBe('already-cancelled');
    expect((await service.cancel(scheduledId, coordinator, card)).kind).toBe('cancelled');
    expect(await service.enqueueDue(new Date('2026-12-02T00:00:00Z'))).toBe(0);
    await outbox.run(service);
    expect(delivery.updates.map((update) => [update.announcement.id, update.announcement.state])).toEqual([[sentId, 'cancelled']]);
    expect(delivery.sends.map((send) => send.announcement.id)).toEqual([sentId]);
    // A cancelled announcement cannot be changed any more.
    expect(await service.openForm(coordinator, sentId)).toEqual({ kind: 'closed', id: sentId });
  });

  it('updates the cards after a change made while the recipients were being resolved', async () => {
    const { confirmed } = await previewAndConfirm();
    if (confirmed.kind !== 'confirmed') throw new Error('expected confirmed');
    const id = confirmed.status.announcement.id;
    duringResolve = async () => {
      duringResolve = null;
      now = new Date(NOW.getTime() + 1000);
      await service.cancel(id, coordinator, card);
    };
    await outbox.run(service);
    expect(delivery.sends).toHaveLength(1);
    expect(delivery.updates.map((update) => update.announcement.state)).toEqual(['cancelled']);
  });

  it('dispatches, after a restart, an announcement left sending without a delivery', async () => {
    const { confirmed } = await previewAndConfirm();
    if (confirmed.kind !== 'confirmed') throw new Error('expected confirmed');
    // The dispatch job was lost (a crash between storing and enqueueing).
    outbox.messages.clear();
    expect(await service.enqueueDue(now)).toBe(1);
    await outbox.run(service);
    expect(delivery.sends).toHaveLength(1);
  });

  it('tells a missing announcement from a refused one', async () => {
    expect(await service.openForm(coordinator, 'KU-2026-0404')).toEqual({ kind: 'not-found', id: 'KU-2026-0404' });
    expect(await service.status(coordinator, 'KU-2026-0404')).toEqual({ kind: 'not-found', id: 'KU-2026-0404' });
    expect(await service.cancel('KU-2026-0404', coordinator, null)).toEqual({ kind: 'not-found', id: 'KU-2026-0404' });
    expect(await service.preview(announcementForm(), coordinator, { formId: 'f', id: 'KU-2026-0404' })).toEqual({ kind: 'not-found', id: 'KU-2026-0404' });
  });
});
