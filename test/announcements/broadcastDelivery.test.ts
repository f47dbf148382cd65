import { describe, expect, it } from 'vitest';
import { AnnouncementActivities, BroadcastAnnouncementDelivery } from '../../src/announcements/broadcastDelivery';
import type { Announcement } from '../../src/announcements/model';
import { deliveryErrorFor } from '../../src/broadcast/messenger';
import type { BroadcastProgress } from '../../src/broadcast/model';
import { announcement as eventFixture } from '../events/fixtures';
import { engineOn, FakeMessenger, openTables, recipients, waitFor } from '../broadcast/support';

/** An announcement "store" of one: what the delivery reads as the announcement's current version. */
function currentVersion(initial: Announcement) {
  let version = initial;
  let reads = 0;
  return {
    current: async (id: string) => {
      reads += 1;
      return id === version.id ? version : null;
    },
    change: (change: Partial<Announcement>) => {
      version = { ...version, ...change, updatedAt: new Date(Date.parse(version.updatedAt) + 1000).toISOString() };
      return version;
    },
    get version() {
      return version;
    },
    get reads() {
      return reads;
    },
  };
}

/** The text a card carries, as the fake messenger saw it. */
const cardText = (activity: Record<string, unknown>) => String(activity.text);

async function deliveryOn(initial: Announcement, requestsPerSecond = 1000) {
  const tables = await openTables();
  const messenger = new FakeMessenger();
  const versions = currentVersion(initial);
  const activities = new AnnouncementActivities({
    current: versions.current,
    activity: (announcement) => ({ type: 'message', text: `${announcement.title} · ${announcement.place ?? ''} · ${announcement.state}` }),
  });
  const progressed: Array<[string, string]> = [];
  let delivery: BroadcastAnnouncementDelivery | null = null;
  const { engine, reports } = engineOn(tables, messenger, {
    limits: { requestsPerSecond },
    prepare: (activity, kind) => activities.prepare(activity, kind),
    onProgress: (progress: BroadcastProgress) => {
      reports.push(progress);
      delivery?.progressed(progress);
    },
  });
  delivery = new BroadcastAnnouncementDelivery({ engine, broadcasts: tables.store });
  delivery.onProgress((announcementId, broadcastId) => progressed.push([announcementId, broadcastId]));
  engine.start();
  return { delivery, engine, messenger, versions, reports, progressed };
}

describe('announcements delivered through the broadcast engine', () => {
  it('sends the card once per recipient, also when asked again after a crash, and reports progress by announcement', async () => {
    const { delivery, engine, messenger, versions, progressed } = await deliveryOn(eventFixture({ id: 'KU-2026-0101', state: 'sending', place: 'Rom R9' }));
    try {
      const people = recipients(12);
      const id = await delivery.send(versions.version, people);
      expect(await delivery.send(versions.version, people)).toBe(id);
      await waitFor(async () => (await delivery.progress(id)).remaining === 0 && (await delivery.progress(id)).total === 12, 15_000, 'the delivery');
      expect(await delivery.progress(id)).toEqual({ total: 12, sent: 12, failed: 0, skipped: 0, remaining: 0, etaSeconds: null });
      expect([...messenger.countsByConversation().values()]).toEqual(Array(12).fill(1));
      expect(messenger.calls.every((call) => cardText(call.activity) === 'Fagkafé om varemottak · Rom R9 · sending')).toBe(true);
      // The reads are shared by the recipients of a batch, not made per recipient.
      expect(versions.reads).toBeLessThan(12);
      await waitFor(() => progressed.some(([announcementId, broadcastId]) => announcementId === 'KU-2026-0101' && broadcastId === id), 5000, 'a progress report');
    } finally {
      await engine.stop();
    }
  });

  it('shows a change to the cards still to go, skips them once it is cancelled, and updates only the cards delivered', async () => {
    const { delivery, engine, messenger, versions } = await deliveryOn(eventFixture({ id: 'KU-2026-0102', state: 'sending', place: 'Rom R9' }), 10);
    try {
      const sendId = await delivery.send(versions.version, recipients(40, 'a:kurs'));
      await waitFor(() => messenger.calls.length >= 3, 15_000, 'the first cards');
      versions.change({ place: 'Rom R10' });
      await waitFor(() => messenger.calls.some((call) => cardText(call.activity).includes('Rom R10')), 15_000, 'a card with the new place');
      const cancelled = versions.change({ state: 'cancelled' });
      const updateId = await delivery.update(cancelled, sendId);

      const delivered = await waitFor(
        async () => {
          const progress = await delivery.progress(sendId);
          return progress.remaining === 0 ? progress : null;
        },
        20_000,
        'the end of the delivery',
      );
      expect(delivered.skipped).toBeGreaterThan(0);
      expect(delivered.sent + delivered.skipped).toBe(40);
      expect(messenger.calls.filter((call) => call.kind === 'send')).toHaveLength(delivered.sent);

      const updated = await waitFor(
        async () => {
          const progress = await delivery.progress(updateId);
          return progress.total > 0 && progress.remaining === 0 ? progress : null;
        },
        20_000,
        'the update',
      );
      expect(updated).toMatchObject({ total: delivered.sent, sent: delivered.sent, failed: 0 });
      const updates = messenger.calls.filter((call) => call.kind === 'update');
      expect(updates.every((call) => cardText(call.activity).endsWith('cancelled'))).toBe(true);
      // Each update replaces the very message its recipient was sent.
      const sentIds = new Set(messenger.calls.filter((call) => call.kind === 'send').map((call) => call.conversationId));
      expect(new Set(updates.map((call) => call.conversationId))).toEqual(sentIds);
    } finally {
      await engine.stop();
    }
  });

  it('makes a later change update the original delivery, and refuses to update a broadcast that does not exist', async () => {
    const { delivery, engine, messenger, versions } = await deliveryOn(eventFixture({ id: 'KU-2026-0103', state: 'sending' }));
    try {
      const sendId = await delivery.send(versions.version, recipients(3, 'a:to-ganger'));
      const first = await delivery.update(versions.change({ place: 'Rom A' }), sendId);
      const second = await delivery.update(versions.change({ place: 'Rom B' }), first);
      expect(second).not.toBe(first);
      await waitFor(
        async () => {
          const progress = await delivery.progress(second);
          return progress.total === 3 && progress.remaining === 0;
        },
        20_000,
        'the second update',
      );
      // Both updates replaced the three messages of the send.
      const updateTargets = messenger.calls.filter((call) => call.kind === 'update').map((call) => call.activityId);
      expect(updateTargets).toHaveLength(6);
      expect(new Set(updateTargets).size).toBe(3);
      expect(updateTargets.every((target) => /^activity-\d+$/.test(String(target)))).toBe(true);
      await expect(delivery.update(versions.version, 'KU-2026-0103.update.finnes-ikke')).rejects.toThrow(/no broadcast/);
      expect(await delivery.progress('KU-2026-0103.update.finnes-ikke')).toEqual({ total: 0, sent: 0, failed: 0, skipped: 0, remaining: 0, etaSeconds: null });
    } finally {
      await engine.stop();
    }
  });

  it('counts the blocked and the given-up as failed, and lists them with the reasons', async () => {
    const { delivery, engine, messenger, versions } = await deliveryOn(eventFixture({ id: 'KU-2026-0104', state: 'sending' }));
    try {
      const people = recipients(4, 'a:feil');
      const [first, second] = people;
      messenger.answer(String(first?.conversationId), deliveryErrorFor(403, 'The bot is blocked'));
      messenger.answer(String(second?.conversationId), deliveryErrorFor(400, 'Bad activity'));
      const id = await delivery.send(versions.version, people);
      const progress = await waitFor(
        async () => {
          const current = await delivery.progress(id);
          return current.remaining === 0 && current.total === 4 ? current : null;
        },
        15_000,
        'the delivery',
      );
      expect(progress).toMatchObject({ sent: 2, failed: 2 });
      // The live count can run a moment ahead of the outcomes' write to storage, which the list reads.
      const failures = await waitFor(
        async () => {
          const listed = await delivery.failures(id);
          return listed.length === 2 ? listed : null;
        },
        5000,
        'the failures stored',
      );
      expect(failures.map((failure) => [failure.conversationId, failure.state, failure.lastStatus])).toEqual([
        [second?.conversationId, 'failed', 400],
        [first?.conversationId, 'unreachable', 403],
      ]);
    } finally {
      await engine.stop();
    }
  });

  it('leaves other broadcasts alone and drops the card of an announcement that is gone', async () => {
    const versions = currentVersion(eventFixture({ id: 'KU-2026-0105' }));
    const activities = new AnnouncementActivities({ current: versions.current, activity: () => ({ type: 'message', text: 'kort' }) });
    const reminder = { type: 'message', text: 'Påminnelse' };
    expect(await activities.prepare(reminder, 'send')).toBe(reminder);
    expect(await activities.prepare(AnnouncementActivities.stored('KU-2026-0105'), 'update')).toEqual({ type: 'message', text: 'kort' });
    expect(await activities.prepare(AnnouncementActivities.stored('KU-2026-9999'), 'send')).toBeNull();
    versions.change({ state: 'cancelled' });
    // Within the second the read is reused; an update of a cancelled announcement still goes out.
    expect(await activities.prepare(AnnouncementActivities.stored('KU-2026-0105'), 'update')).toEqual({ type: 'message', text: 'kort' });
  });

  it('reads the announcement again after a failed read instead of remembering the failure', async () => {
    let failing = true;
    const activities = new AnnouncementActivities({
      current: async () => {
        if (failing) throw new Error('storage unavailable');
        return eventFixture({ id: 'KU-2026-0106' });
      },
      activity: (announcement) => ({ type: 'message', text: announcement.id }),
    });
    await expect(activities.prepare(AnnouncementActivities.stored('KU-2026-0106'), 'send')).rejects.toThrow('storage unavailable');
    failing = false;
    expect(await activities.prepare(AnnouncementActivities.stored('KU-2026-0106'), 'send')).toEqual({ type: 'message', text: 'KU-2026-0106' });
  });
});
