import { odata, TableClient } from '@azure/data-tables';
import { describe, expect, it } from 'vitest';
import { BroadcastEngine } from '../../src/broadcast/broadcastEngine';
import { AppRateLimit } from '../../src/broadcast/appRateLimit';
import type { BroadcastStore } from '../../src/broadcast/broadcastStore';
import { failuresCsv } from '../../src/broadcast/failuresCsv';
import { announcementTexts } from '../../src/i18n';
import { deliveryErrorFor } from '../../src/broadcast/messenger';
import type { ActivityPayload, ConversationReferenceJson } from '../../src/broadcast/model';
import {
  announcement,
  engineOn,
  FakeMessenger,
  finalReport,
  logger,
  mostInAnyWindow,
  openTables,
  recipients,
  testClock,
  throttled,
  unavailable,
  waitFor,
  type Tables,
} from './support';
import { testConnectionString } from '../support/storage';

/** The same object whose methods, once killed, never answer again: a process that died mid-call. */
function killable<T extends object>(target: T): { subject: T; kill(): void } {
  let dead = false;
  const subject = new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => (dead ? new Promise(() => undefined) : (value as (...args: unknown[]) => unknown).apply(object, args));
    },
  });
  return { subject, kill: () => (dead = true) };
}

/** The same object whose named method throws the next `times` calls. */
function failingOnce<T extends object>(target: T, method: keyof T & string, error: Error, times = 1): T {
  let left = times;
  return new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (property === method && left > 0) {
          left -= 1;
          return Promise.reject(error);
        }
        return (value as (...args: unknown[]) => unknown).apply(object, args);
      };
    },
  });
}

const gaps = (times: readonly number[]) => times.slice(1).map((time, index) => time - (times[index] as number));
const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

async function statesOf(tables: Tables, id: string) {
  return new Map((await tables.store.recipients(id)).map((recipient) => [recipient.conversationId, recipient]));
}

describe('BroadcastEngine', () => {
  it('delivers to every recipient once and records each message id', async () => {
    const tables = await openTables();
    const messenger = new FakeMessenger(2);
    const { engine, reports } = engineOn(tables, messenger);
    engine.start();
    try {
      await engine.create({ id: 'kurs-1', kind: 'send', activity: announcement, recipients: recipients(30) });
      const report = await finalReport(reports, 'kurs-1');
      expect(report).toMatchObject({ total: 30, sent: 30, failed: 0, unreachable: 0, remaining: 0, etaSeconds: 0, possibleDuplicates: 0, done: true });
      expect(report.finishedAt).not.toBeNull();
      expect([...messenger.countsByConversation().values()]).toEqual(Array(30).fill(1));
      expect(messenger.calls.every((call) => call.activity.text === announcement.text)).toBe(true);
      const stored = await tables.store.recipients('kurs-1');
      expect(stored.every((recipient) => recipient.state === 'sent' && recipient.attempts === 1 && recipient.settled === 1)).toBe(true);
      expect(new Set(stored.map((recipient) => recipient.activityId)).size).toBe(30);
      expect(await tables.store.get('kurs-1')).toMatchObject({ status: 'done' });
      expect(engine.sending).toBe(true);
    } finally {
      await engine.stop();
    }
    expect(engine.sending).toBe(false);
    // A clean stop gives the lease up at once: it has run out by now.
    expect((await tables.lease.current())?.expiresAt.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('finishes a broadcast with no recipients at once', async () => {
    const tables = await openTables();
    const { engine, reports } = engineOn(tables, new FakeMessenger());
    engine.start();
    try {
      await engine.create({ id: 'tom', kind: 'send', activity: announcement, recipients: [] });
      expect(await finalReport(reports, 'tom')).toMatchObject({ total: 0, remaining: 0, done: true });
    } finally {
      await engine.stop();
    }
  });

  describe('a send found active without any recipient rows (storage lost them)', () => {
    /** The broadcast as a crash of embedded Azurite can leave it: its summary (active, with its total) without its recipient rows. */
    async function lostRows(tables: Tables, id: string, count: number): Promise<void> {
      await tables.store.create({ id, kind: 'send', activity: announcement, recipients: recipients(count) }, new Date());
      const table = TableClient.fromConnectionString(testConnectionString(), tables.tableName, { allowInsecureConnection: true });
      for await (const row of table.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${`b|${id}`} and RowKey ge 'r|' and RowKey lt 'r}'` } })) {
        await table.deleteEntity(row.partitionKey as string, row.rowKey as string);
      }
      expect(await tables.store.recipients(id)).toEqual([]);
    }

    it('is sent anew to the recipients worked out again, and reported once', async () => {
      const tables = await openTables();
      await lostRows(tables, 'tapt-1', 5);
      const messenger = new FakeMessenger();
      const lost: unknown[] = [];
      const again = recipients(4, 'a:again');
      const { engine, reports } = engineOn(tables, messenger, { restoreRecipients: async () => again, onRecipientsLost: (report) => void lost.push(report) });
      engine.start();
      try {
        expect(await finalReport(reports, 'tapt-1')).toMatchObject({ total: 4, sent: 4, done: true });
      } finally {
        await engine.stop();
      }
      expect(lost).toEqual([{ broadcastId: 'tapt-1', kind: 'send', lost: 5, restored: 4, hadStarted: false }]);
      expect([...messenger.countsByConversation().keys()].sort()).toEqual(again.map((recipient) => recipient.conversationId));
    });

    it('is ended unsent and reported once when its recipients cannot be worked out again', async () => {
      const tables = await openTables();
      await lostRows(tables, 'tapt-2', 3);
      const messenger = new FakeMessenger();
      const lost: unknown[] = [];
      for (let start = 0; start < 2; start++) {
        const { engine } = engineOn(tables, messenger, { restoreRecipients: async () => null, onRecipientsLost: (report) => void lost.push(report) });
        engine.start();
        try {
          await waitFor(async () => (await tables.store.get('tapt-2'))?.status === 'done', 10_000, 'the broadcast ended');
          await new Promise((resolve) => setTimeout(resolve, 300));
        } finally {
          await engine.stop();
        }
      }
      expect(lost).toEqual([{ broadcastId: 'tapt-2', kind: 'send', lost: 3, restored: 0, hadStarted: false }]);
      expect(messenger.calls).toEqual([]);
    });
  });

  // Rates achieved are the benchmark's business (bench/broadcast.ts); here only the limits, which must hold on any machine.
  it('keeps the app within its requests a second, spaced out', async () => {
    const tables = await openTables();
    const messenger = new FakeMessenger(5);
    const { engine, reports } = engineOn(tables, messenger, { limits: { requestsPerSecond: 20, safetyMarginMs: 0 } });
    await engine.create({ id: 'fart', kind: 'send', activity: announcement, recipients: recipients(60) });
    engine.start();
    try {
      await finalReport(reports, 'fart');
      const times = messenger.calls.map((call) => call.at);
      expect(times).toHaveLength(60);
      expect(mostInAnyWindow(times, 1000)).toBeLessThanOrEqual(20);
      // Spaced 50 ms apart; a late sender makes up at most three slots at once.
      expect(mostInAnyWindow(times, 10)).toBeLessThanOrEqual(4);
    } finally {
      await engine.stop();
    }
  });

  it('delivers to everyone exactly once when storage is slow (claiming further ahead)', async () => {
    const tables = await openTables();
    const slowStore = new Proxy(tables.store, {
      get(object, property, receiver) {
        const value: unknown = Reflect.get(object, property, receiver);
        if (property !== 'writeRecipients' || typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          await new Promise((resolve) => setTimeout(resolve, 200));
          return (value as (...args: unknown[]) => unknown).apply(object, args);
        };
      },
    });
    const messenger = new FakeMessenger(1);
    const { engine, reports } = engineOn({ ...tables, store: slowStore }, messenger, { limits: { requestsPerSecond: 40, safetyMarginMs: 0 } });
    await engine.create({ id: 'treg-lagring', kind: 'send', activity: announcement, recipients: recipients(100) });
    engine.start();
    try {
      await finalReport(reports, 'treg-lagring');
      // How fast it goes with slow storage is measured by the benchmark; here: nobody missed, nobody twice.
      const conversations = messenger.calls.map((call) => call.conversationId);
      expect(messenger.calls).toHaveLength(100);
      expect(new Set(conversations).size).toBe(100);
    } finally {
      await engine.stop();
    }
  });

  it('goes on sending while its look for new broadcasts waits for storage, and does not take up again what finished meanwhile', async () => {
    const tables = await openTables();
    let holding = false;
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    let listings = 0;
    // Once held, a listing is read and then answered only when released: storage busy writing another send's rows, say.
    const slowListing = new Proxy(tables.store, {
      get(object, property, receiver): unknown {
        const value: unknown = Reflect.get(object, property, receiver);
        if (property !== 'listActive' || typeof value !== 'function') return value;
        return async () => {
          listings += 1;
          const listed: unknown = await (value as () => Promise<unknown>).apply(object, []);
          if (holding) await released;
          return listed;
        };
      },
    });
    const messenger = new FakeMessenger(1);
    const { engine, reports } = engineOn({ ...tables, store: slowListing }, messenger, { limits: { requestsPerSecond: 100, safetyMarginMs: 0 } });
    await engine.create({ id: 'under-listing', kind: 'send', activity: announcement, recipients: recipients(100) });
    engine.start();
    try {
      await waitFor(() => messenger.calls.length > 0, 5000, 'the first card');
      holding = true;
      // The engine looks again every 100 ms; that look hangs, and the other 99 cards go out meanwhile.
      expect(await finalReport(reports, 'under-listing', 5000)).toMatchObject({ total: 100, sent: 100 });
      expect(messenger.countsByConversation().size).toBe(100);
      const listedBefore = listings;
      release();
      // The held look listed the broadcast while it was active: it must not be taken up (and reported done) again.
      await waitFor(() => listings >= listedBefore + 2, 5000, 'two more looks');
      expect(reports.filter((report) => report.broadcastId === 'under-listing' && report.done)).toHaveLength(1);
      expect(messenger.calls).toHaveLength(100);
    } finally {
      release();
      await engine.stop();
    }
  });

  it("reads a broadcast's activity and its recipients at once when taking it up: the first card waits for both", async () => {
    const tables = await openTables();
    let activityReading = false;
    let readTogether = false;
    const watchedReads = new Proxy(tables.store, {
      get(object, property, receiver): unknown {
        const value: unknown = Reflect.get(object, property, receiver);
        if (typeof value !== 'function') return value;
        const call = (args: unknown[]) => (value as (...args: unknown[]) => Promise<unknown>).apply(object, args);
        if (property === 'activity') {
          return async (...args: unknown[]) => {
            activityReading = true;
            try {
              return await call(args);
            } finally {
              activityReading = false;
            }
          };
        }
        if (property === 'recipients' || property === 'recipientsInBatches') {
          return (...args: unknown[]) => {
            if (activityReading) readTogether = true;
            return call(args);
          };
        }
        return value;
      },
    });
    const messenger = new FakeMessenger(1);
    const { engine, reports } = engineOn({ ...tables, store: watchedReads }, messenger);
    await engine.create({ id: 'samtidig', kind: 'send', activity: announcement, recipients: recipients(3) });
    engine.start();
    try {
      expect(await finalReport(reports, 'samtidig')).toMatchObject({ total: 3, sent: 3 });
      expect(readTogether).toBe(true);
    } finally {
      await engine.stop();
    }
  });

  it('takes up a send made on the sending instance as soon as its first recipients are stored, without listing it first', async () => {
    const tables = await openTables();
    const messenger = new FakeMessenger(1);
    const firstCard = waitFor(() => messenger.calls.length > 0, 10_000, 'the first card');
    let holding = false;
    let listed = 0;
    let listingWaitedOut = false;
    // Once held, a listing answers only after the first card is out, or after 3 s (then the card waited for it).
    const heldListing = new Proxy(tables.store, {
      get(object, property, receiver): unknown {
        const value: unknown = Reflect.get(object, property, receiver);
        if (property !== 'listActive' || typeof value !== 'function') return value;
        return async () => {
          if (holding) {
            const waitedOut = new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 3000));
            listingWaitedOut ||= await Promise.race([firstCard.then(() => false), waitedOut]);
          }
          const active: unknown = await (value as () => Promise<unknown>).apply(object, []);
          listed += 1;
          return active;
        };
      },
    });
    // No periodic look meanwhile: only the one at the start and those asked for.
    const { engine, reports } = engineOn({ ...tables, store: heldListing }, messenger, { pollMs: 60_000 });
    engine.start();
    try {
      await waitFor(() => engine.sending && listed > 0, 5000, 'the lease and a first look');
      holding = true;
      await engine.create({ id: 'her', kind: 'send', activity: announcement, recipients: recipients(3) });
      expect(await finalReport(reports, 'her', 10_000)).toMatchObject({ total: 3, sent: 3 });
      expect(listingWaitedOut).toBe(false);
    } finally {
      await engine.stop();
    }
  });

  it('keeps each conversation within its limit when several broadcasts go to it', async () => {
    const tables = await openTables();
    const messenger = new FakeMessenger(1);
    const { engine, reports } = engineOn(tables, messenger, { limits: { perConversation: [{ limit: 2, windowMs: 500 }], safetyMarginMs: 0 } });
    const both = recipients(2, 'a:busy');
    for (let index = 0; index < 6; index += 1) await engine.create({ id: `melding-${index}`, kind: 'send', activity: { text: `melding ${index}` }, recipients: both });
    engine.start();
    try {
      for (let index = 0; index < 6; index += 1) await finalReport(reports, `melding-${index}`);
      for (const { conversationId } of both) {
        const times = messenger.callsTo(conversationId).map((call) => call.at);
        expect(times).toHaveLength(6);
        expect(mostInAnyWindow(times, 500)).toBeLessThanOrEqual(2);
        expect(new Set(messenger.callsTo(conversationId).map((call) => call.activity.text)).size).toBe(6);
      }
    } finally {
      await engine.stop();
    }
  });

  it('waits for Retry-After on 429, and slows down for everyone meanwhile', async () => {
    const tables = await openTables();
    const messenger = new FakeMessenger(1);
    const list = recipients(40);
    const victim = list[8]?.conversationId as string;
    messenger.answer(victim, throttled(400));
    const { engine, reports } = engineOn(tables, messenger, {
      limits: { requestsPerSecond: 50, safetyMarginMs: 0 },
      throttle: { decreaseFactor: 0.2, rampUpMs: 60_000 },
    });
    await engine.create({ id: 'travelt', kind: 'send', activity: announcement, recipients: list });
    engine.start();
    try {
      expect(await finalReport(reports, 'travelt')).toMatchObject({ sent: 40, failed: 0 });
      const [first, second] = messenger.callsTo(victim);
      expect((second?.at as number) - (first?.at as number)).toBeGreaterThanOrEqual(400);
      const times = messenger.calls.map((call) => call.at);
      const before = times.filter((time) => time < (first?.at as number));
      const after = times.filter((time) => time > (first?.at as number) + 5);
      // 50 a second before (20 ms apart); after the cut to a fifth, about 100 ms apart.
      expect(median(gaps(after))).toBeGreaterThan(3 * median(gaps(before)));
      expect((await statesOf(tables, 'travelt')).get(victim)).toMatchObject({ state: 'sent', throttles: 1, attempts: 2, lastStatus: 429 });
    } finally {
      await engine.stop();
    }
  });

  it('retries 412, 502, 503, 504 and network errors with growing backoff, then delivers', async () => {
    const tables = await openTables();
    const messenger = new FakeMessenger();
    messenger.answer(
      'a:person-0000',
      deliveryErrorFor(412, 'Precondition Failed'),
      deliveryErrorFor(502, 'Bad Gateway'),
      unavailable(),
      deliveryErrorFor(504, 'Gateway Timeout'),
      new Error('socket hang up'),
    );
    const { engine, reports } = engineOn(tables, messenger, { retry: { maxAttempts: 6, baseDelayMs: 40, maxDelayMs: 10_000 }, random: () => 0.99 });
    await engine.create({ id: 'ustabil', kind: 'send', activity: announcement, recipients: recipients(1) });
    engine.start();
    try {
      expect(await finalReport(reports, 'ustabil')).toMatchObject({ sent: 1 });
      const times = messenger.callsTo('a:person-0000').map((call) => call.at);
      expect(times).toHaveLength(6);
      // Full jitter under a ceiling doubling from 40 ms (the random draw is 0.99 here).
      const expected = [39, 79, 158, 316, 633];
      gaps(times).forEach((gap, index) => expect(gap).toBeGreaterThanOrEqual(expected[index] as number));
      expect((await statesOf(tables, 'ustabil')).get('a:person-0000')).toMatchObject({ state: 'sent', attempts: 6, failures: 5, lastError: 'socket hang up', lastStatus: null });
    } finally {
      await engine.stop();
    }
  });

  it('gives a recipient up after the configured attempts, and after too many 429s', async () => {
    const tables = await openTables();
    const messenger = new FakeMessenger();
    messenger.answer('a:person-0000', unavailable(), unavailable(), unavailable(), unavailable());
    messenger.answer('a:person-0001', throttled(10), throttled(10), throttled(10));
    const { engine, reports } = engineOn(tables, messenger, { retry: { maxAttempts: 3, maxThrottledAttempts: 2, baseDelayMs: 10, maxDelayMs: 50 } });
    await engine.create({ id: 'gir-opp', kind: 'send', activity: announcement, recipients: recipients(3) });
    engine.start();
    try {
      expect(await finalReport(reports, 'gir-opp')).toMatchObject({ sent: 1, failed: 2, unreachable: 0, remaining: 0 });
      expect(messenger.callsTo('a:person-0000')).toHaveLength(3);
      expect(messenger.callsTo('a:person-0001')).toHaveLength(2);
      const states = await statesOf(tables, 'gir-opp');
      expect(states.get('a:person-0000')).toMatchObject({ state: 'failed', failures: 3, lastStatus: 503, lastError: 'Gave up after 3 failed attempts: 503: Service Unavailable' });
      expect(states.get('a:person-0001')).toMatchObject({
        state: 'failed',
        throttles: 2,
        lastStatus: 429,
        lastError: 'Gave up after 2 throttled attempts: 429: Too Many Requests',
      });
    } finally {
      await engine.stop();
    }
  });

  it('marks 403 and 404 unreachable and other refusals failed, without retrying them', async () => {
    const tables = await openTables();
    const messenger = new FakeMessenger();
    messenger.answer('a:person-0000', deliveryErrorFor(403, 'The bot is blocked'));
    messenger.answer('a:person-0001', deliveryErrorFor(404, 'Conversation not found'));
    messenger.answer('a:person-0002', deliveryErrorFor(400, 'Bad card'));
    const { engine, reports } = engineOn(tables, messenger);
    await engine.create({ id: 'borte', kind: 'send', activity: announcement, recipients: recipients(4) });
    engine.start();
    try {
      expect(await finalReport(reports, 'borte')).toMatchObject({ sent: 1, failed: 1, unreachable: 2 });
      for (const id of ['a:person-0000', 'a:person-0001', 'a:person-0002']) expect(messenger.callsTo(id)).toHaveLength(1);
      const states = await statesOf(tables, 'borte');
      expect(states.get('a:person-0000')).toMatchObject({ state: 'unreachable', lastStatus: 403 });
      expect(states.get('a:person-0001')).toMatchObject({ state: 'unreachable', lastStatus: 404 });
      expect(states.get('a:person-0002')).toMatchObject({ state: 'failed', lastStatus: 400, lastError: '400: Bad card' });

      // Listed (failed first) and exported for Excel.
      expect((await engine.failures('borte')).map((recipient) => [recipient.conversationId, recipient.state])).toEqual([
        ['a:person-0002', 'failed'],
        ['a:person-0000', 'unreachable'],
        ['a:person-0001', 'unreachable'],
      ]);
      const csv = failuresCsv(await engine.failures('borte'), announcementTexts('en').undelivered.csvHeaders).toString('utf8');
      expect(csv.startsWith('\uFEFFRecipient;Conversation;State;HTTP status;Reason;Attempts;Last attempt (UTC)\r\n')).toBe(true);
      expect(csv).toContain('Person 2;a:person-0002;failed;400;400: Bad card;1;');
    } finally {
      await engine.stop();
    }
  });

  it('resumes after a crash from storage: nobody lost, duplicates only among the sends that were out', async () => {
    const tables = await openTables();
    const list = recipients(200);
    const crashing = killable(tables.store);
    const crashingLease = killable(tables.lease);
    const firstMessenger = new FakeMessenger(5);
    const first = engineOn({ ...tables, store: crashing.subject, lease: crashingLease.subject }, firstMessenger, {
      limits: { requestsPerSecond: 100 },
      leaseMs: 1500,
      instanceId: 'first',
    }).engine;
    await first.create({ id: 'krasj', kind: 'send', activity: announcement, recipients: list });
    first.start();
    await waitFor(() => firstMessenger.calls.length >= 80, 10_000, 'half the sends');
    // The process dies: no request is answered, no write or lease renewal happens any more.
    crashing.kill();
    crashingLease.kill();
    firstMessenger.dead = true;
    const sentBeforeCrash = firstMessenger.calls.length;

    const secondMessenger = new FakeMessenger(1);
    const { engine: second, reports } = engineOn(await openTables(tables.tableName), secondMessenger, { limits: { requestsPerSecond: 100 }, leaseMs: 1500, instanceId: 'second' });
    const restartedAt = testClock();
    second.start();
    try {
      const report = await finalReport(reports, 'krasj');
      // The lease ran out before the second instance could take over.
      expect((secondMessenger.calls[0]?.at as number) - restartedAt).toBeGreaterThan(0);
      expect(report).toMatchObject({ total: 200, sent: 200, remaining: 0 });
      const counts = new Map<string, number>();
      for (const call of [...firstMessenger.calls, ...secondMessenger.calls]) counts.set(call.conversationId, (counts.get(call.conversationId) ?? 0) + 1);
      expect(counts.size).toBe(200);
      const duplicates = [...counts.values()].filter((count) => count > 1).length;
      // The claimed-ahead and the requests out (their number depends on storage latency), not the whole first half.
      expect(report.possibleDuplicates).toBeGreaterThan(0);
      expect(duplicates).toBeLessThanOrEqual(report.possibleDuplicates);
      // Those the first instance had confirmed were not sent again: the second sent only the rest and the unconfirmed.
      expect(secondMessenger.calls.length).toBeLessThanOrEqual(200 - sentBeforeCrash + report.possibleDuplicates);
      expect(await tables.store.get('krasj')).toMatchObject({ status: 'done', possibleDuplicates: report.possibleDuplicates });
    } finally {
      await second.stop();
    }
  });

  describe('a large send starts with its first recipients, before the rest are stored', () => {
    it('on the sending instance', async () => {
      const tables = await openTables();
      const messenger = new FakeMessenger(1);
      // The rest of the rows wait until a first card is out (or 5 s pass).
      const holdingStore = new Proxy(tables.store, {
        get(object, property, receiver): unknown {
          if (property !== 'create') return Reflect.get(object, property, receiver);
          const create: BroadcastStore['create'] = (request, now, hooks = {}) =>
            object.create(request, now, {
              ...hooks,
              visible: async (broadcast) => {
                await hooks.visible?.(broadcast);
                await waitFor(() => messenger.calls.length > 0, 5000).catch(() => undefined);
              },
            });
          return create;
        },
      });
      const { engine, reports } = engineOn({ ...tables, store: holdingStore }, messenger, { limits: { requestsPerSecond: 500 } });
      engine.start();
      try {
        await waitFor(() => engine.sending, 5000, 'the lease');
        await engine.create({ id: 'tidlig', kind: 'send', activity: announcement, recipients: recipients(600) });
        const storedAt = testClock();
        expect(messenger.calls[0]?.at).toBeLessThan(storedAt);
        expect(await finalReport(reports, 'tidlig')).toMatchObject({ total: 600, sent: 600, remaining: 0 });
        expect(messenger.calls).toHaveLength(600);
        expect(messenger.countsByConversation().size).toBe(600);
        // In the order given: the first batch first.
        expect(messenger.calls.slice(0, 100).map((call) => call.conversationId)).toEqual(recipients(100).map((recipient) => recipient.conversationId));
      } finally {
        await engine.stop();
      }
    });

    it('made on another instance: the sender takes up each batch as it is stored', async () => {
      const tables = await openTables();
      const messenger = new FakeMessenger(1);
      const { engine: sender, reports } = engineOn(tables, messenger, { limits: { requestsPerSecond: 500 }, instanceId: 'sender' });
      sender.start();
      try {
        await waitFor(() => sender.sending, 5000, 'the lease');
        const creator = (await openTables(tables.tableName)).store;
        await creator.create({ id: 'andre', kind: 'send', activity: announcement, recipients: recipients(600) }, new Date(), {
          visible: () =>
            waitFor(() => messenger.calls.length > 0, 5000).then(
              () => undefined,
              () => undefined,
            ),
        });
        const storedAt = testClock();
        expect(messenger.calls[0]?.at).toBeLessThan(storedAt);
        expect(await finalReport(reports, 'andre')).toMatchObject({ total: 600, sent: 600, remaining: 0 });
        expect(messenger.calls).toHaveLength(600);
        expect(messenger.countsByConversation().size).toBe(600);
      } finally {
        await sender.stop();
      }
    });
  });

  it('after the sender dies, another instance takes over within about its (default) lease, and reports the requests that were out, not every claimed recipient', async () => {
    const tables = await openTables();
    const list = recipients(600);
    const crashing = killable(tables.store);
    const crashingLease = killable(tables.lease);
    const firstMessenger = new FakeMessenger(20);
    const defaults = { leaseMs: undefined, limits: { requestsPerSecond: 200 } };
    const first = engineOn({ ...tables, store: crashing.subject, lease: crashingLease.subject }, firstMessenger, { ...defaults, instanceId: 'first' }).engine;
    const secondMessenger = new FakeMessenger(1);
    const { engine: second, reports } = engineOn(await openTables(tables.tableName), secondMessenger, { ...defaults, instanceId: 'second' });
    first.start();
    await waitFor(() => first.sending, 5000, 'the first instance to take the lease');
    second.start();
    try {
      await first.create({ id: 'overtak', kind: 'send', activity: announcement, recipients: list });
      await waitFor(() => firstMessenger.calls.length >= 200, 10_000, 'a third of the sends');
      // The process dies without giving the lease up: nothing is answered, written or renewed any more.
      crashing.kill();
      crashingLease.kill();
      firstMessenger.dead = true;
      const killedAt = testClock();

      await waitFor(() => secondMessenger.calls.length > 0, 12_000, 'the other instance to take over');
      // The lease (5 s by default) runs out, the other instance asks within a fifth of it, then waits out the app's one-second window.
      expect((secondMessenger.calls[0]?.at as number) - killedAt).toBeLessThan(5000 * 1.2 + 1025 + 1000);
      const report = await finalReport(reports, 'overtak');
      expect(report).toMatchObject({ total: 600, sent: 600, remaining: 0 });
      const counts = new Map<string, number>();
      for (const call of [...firstMessenger.calls, ...secondMessenger.calls]) counts.set(call.conversationId, (counts.get(call.conversationId) ?? 0) + 1);
      expect(counts.size).toBe(600);
      const duplicates = [...counts.values()].filter((count) => count > 1).length;
      expect(duplicates).toBeLessThanOrEqual(report.possibleDuplicates);
      // Claimed but never sent: those claimed ahead, at most half a second's worth however slow storage is (a few when it is quick).
      expect(report.possibleDuplicates - duplicates).toBeLessThanOrEqual(200 * 0.5 + 1);
    } finally {
      await second.stop();
    }
  });

  it("gives way to the app's other requests on the shared rate limit, keeping all of them within it", async () => {
    const tables = await openTables();
    const messenger = new FakeMessenger(2);
    const rateLimit = new AppRateLimit({ limits: { requestsPerSecond: 20 }, clock: testClock });
    const { engine, reports } = engineOn(tables, messenger, { rateLimit, limits: { requestsPerSecond: 1000 } });
    engine.start();
    try {
      await engine.create({ id: 'delt', kind: 'send', activity: announcement, recipients: recipients(50) });
      await waitFor(() => messenger.calls.length >= 10, 10_000, 'the broadcast under way');
      // The coordinator's progress card, say, updated while the broadcast runs.
      const others: number[] = [];
      const waits: number[] = [];
      for (let index = 0; index < 5; index += 1) {
        const askedAt = testClock();
        const sentAt = await rateLimit.take('a:coordinator');
        others.push(sentAt);
        waits.push(sentAt - askedAt);
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
      expect(await finalReport(reports, 'delt')).toMatchObject({ sent: 50 });
      const all = [...messenger.calls.map((call) => call.at), ...others];
      expect(mostInAnyWindow(all, 1000)).toBeLessThanOrEqual(20);
      // Each took the next free slot (one every 50 ms), not a place behind the broadcast's queue.
      expect(Math.max(...waits)).toBeLessThan(500);
    } finally {
      await engine.stop();
    }
  });

  it('resumes after a clean stop with no duplicates at all', async () => {
    const tables = await openTables();
    const messenger = new FakeMessenger(3);
    const first = engineOn(tables, messenger, { limits: { requestsPerSecond: 100 } }).engine;
    await first.create({ id: 'pause', kind: 'send', activity: announcement, recipients: recipients(120) });
    first.start();
    await waitFor(() => messenger.calls.length >= 40, 10_000, 'a third of the sends');
    await first.stop();
    const stoppedAfter = messenger.calls.length;
    expect(stoppedAfter).toBeLessThan(120);

    const { engine: second, reports } = engineOn(await openTables(tables.tableName), messenger, { limits: { requestsPerSecond: 100 } });
    second.start();
    try {
      expect(await finalReport(reports, 'pause')).toMatchObject({ sent: 120, possibleDuplicates: 0 });
      expect(messenger.calls).toHaveLength(120);
      expect([...messenger.countsByConversation().values()].every((count) => count === 1)).toBe(true);
    } finally {
      await second.stop();
    }
  });

  it('sends from one instance at a time; another takes over when the sender can no longer renew its lease', async () => {
    const tables = await openTables();
    const list = recipients(150);
    let cut = false;
    const cuttableLease = new Proxy(tables.lease, {
      get(object, property, receiver): unknown {
        if (property === 'acquire' && cut) return () => Promise.reject(new Error('storage unreachable from this instance'));
        return Reflect.get(object, property, receiver);
      },
    });
    const oneMessenger = new FakeMessenger(2);
    const twoMessenger = new FakeMessenger(2);
    const one = engineOn({ ...tables, lease: cuttableLease }, oneMessenger, { instanceId: 'one', leaseMs: 1200, limits: { requestsPerSecond: 40 } }).engine;
    const two = engineOn(await openTables(tables.tableName), twoMessenger, { instanceId: 'two', leaseMs: 1200, limits: { requestsPerSecond: 40 } });
    one.start();
    await waitFor(() => one.sending, 5000, 'the first instance to take the lease');
    two.engine.start();
    await one.create({ id: 'bytte', kind: 'send', activity: announcement, recipients: list });
    try {
      await waitFor(() => oneMessenger.calls.length >= 30, 10_000, 'the first instance sending');
      expect(twoMessenger.calls).toHaveLength(0);
      cut = true;
      const cutAt = testClock();
      const report = await finalReport(two.reports, 'bytte');
      expect(report).toMatchObject({ sent: 150, possibleDuplicates: 0 });
      // The first stopped before the second began (no overlap), within the lease.
      const lastOfOne = Math.max(...oneMessenger.calls.map((call) => call.at));
      const firstOfTwo = Math.min(...twoMessenger.calls.map((call) => call.at));
      expect(lastOfOne).toBeLessThan(firstOfTwo);
      expect(lastOfOne - cutAt).toBeLessThan(1200);
      // Within the lease and a third, plus the one-second window a new sender stays quiet for (the old one's requests may still count).
      expect(firstOfTwo - cutAt).toBeLessThan(1200 * (1 + 1 / 3) + 1025 + 500);
      expect(oneMessenger.calls.length + twoMessenger.calls.length).toBe(150);
      expect(two.engine.sending).toBe(true);
      expect(one.sending).toBe(false);
    } finally {
      await one.stop();
      await two.engine.stop();
    }
  });

  it('updates every delivered message in place, from the stored ids, after the send and in the order made', async () => {
    const tables = await openTables();
    const messenger = new FakeMessenger(1);
    messenger.answer('a:person-0003', deliveryErrorFor(403, 'blocked'));
    const { engine, reports } = engineOn(tables, messenger);
    engine.start();
    try {
      await engine.create({ id: 'kurs', kind: 'send', activity: announcement, recipients: recipients(6) });
      // Made while the send may still be going: they wait for it, and the second for the first.
      await engine.create({ id: 'kurs-flyttet', kind: 'update', activity: { type: 'message', text: 'Flyttet til fredag' }, updates: 'kurs' });
      await engine.create({ id: 'kurs-avlyst', kind: 'update', activity: { type: 'message', text: 'AVLYST' }, updates: 'kurs' });
      expect(await finalReport(reports, 'kurs-avlyst')).toMatchObject({ total: 5, sent: 5 });
      const sent = await statesOf(tables, 'kurs');
      const sends = messenger.calls.filter((call) => call.kind === 'send');
      const updates = messenger.calls.filter((call) => call.kind === 'update');
      expect(updates).toHaveLength(10);
      expect(Math.max(...sends.map((call) => call.at))).toBeLessThan(Math.min(...updates.map((call) => call.at)));
      for (const call of updates) expect(call.activityId).toBe(sent.get(call.conversationId)?.activityId);
      expect(updates.some((call) => call.conversationId === 'a:person-0003')).toBe(false);
      for (const { conversationId } of recipients(6).filter((recipient) => recipient.conversationId !== 'a:person-0003')) {
        expect(
          messenger
            .callsTo(conversationId)
            .filter((call) => call.kind === 'update')
            .map((call) => call.activity.text),
        ).toEqual(['Flyttet til fredag', 'AVLYST']);
      }
      const updated = await statesOf(tables, 'kurs-avlyst');
      expect(updated.get('a:person-0000')).toMatchObject({
        state: 'sent',
        activityId: sent.get('a:person-0000')?.activityId,
        targetActivityId: sent.get('a:person-0000')?.activityId,
      });
    } finally {
      await engine.stop();
    }
  });

  it('reports an update for a message that got no id as failed, with why', async () => {
    const tables = await openTables();
    class NoIds extends FakeMessenger {
      override async send(reference: ConversationReferenceJson, activity: ActivityPayload): Promise<string> {
        await super.send(reference, activity);
        return '';
      }
    }
    const { engine, reports } = engineOn(tables, new NoIds());
    engine.start();
    try {
      await engine.create({ id: 'uten-id', kind: 'send', activity: announcement, recipients: recipients(1) });
      await engine.create({ id: 'uten-id-endret', kind: 'update', activity: announcement, updates: 'uten-id' });
      expect(await finalReport(reports, 'uten-id-endret')).toMatchObject({ total: 1, failed: 1 });
      expect((await engine.failures('uten-id-endret'))[0]?.lastError).toMatch(/no id/);
    } finally {
      await engine.stop();
    }
  });

  it('reports progress every interval with rate and ETA, then a final report', async () => {
    const tables = await openTables();
    const messenger = new FakeMessenger(1);
    const { engine, reports } = engineOn(tables, messenger, { limits: { requestsPerSecond: 20 }, progressIntervalMs: 300 });
    await engine.create({ id: 'fremdrift', kind: 'send', activity: announcement, recipients: recipients(40) });
    engine.start();
    try {
      const live = await waitFor(async () => {
        const progress = await engine.progress('fremdrift');
        return progress !== null && progress.sent >= 20 ? progress : null;
      });
      expect(live.ratePerSecond).toBeGreaterThan(0);
      expect(live.etaSeconds).toBeCloseTo(live.remaining / (live.ratePerSecond as number), 5);
      // Another instance sees the stored figures, without a rate.
      const elsewhere = await new BroadcastEngine({ store: tables.store, lease: tables.lease, messenger, logger }).progress('fremdrift');
      expect(elsewhere).toMatchObject({ total: 40, ratePerSecond: null, etaSeconds: null, done: false });

      const final = await finalReport(reports, 'fremdrift');
      expect(final).toMatchObject({ total: 40, sent: 40, remaining: 0, etaSeconds: 0, done: true });
      const during = reports.filter((report) => !report.done);
      expect(during.length).toBeGreaterThanOrEqual(1);
      for (const report of during) expect(report.sent + report.failed + report.unreachable + report.remaining).toBe(40);
      const etas = during.filter((report) => report.etaSeconds !== null && report.sent > 5).map((report) => report.etaSeconds as number);
      expect(etas.every((eta, index) => index === 0 || eta <= (etas[index - 1] as number) + 0.5)).toBe(true);
      expect(reports.filter((report) => report.done)).toHaveLength(1);
      expect(await engine.progress('ukjent')).toBeNull();
    } finally {
      await engine.stop();
    }
  });

  it('goes on with the other broadcasts when one cannot be read', async () => {
    const tables = await openTables();
    const messenger = new FakeMessenger();
    const { engine, reports } = engineOn(tables, messenger);
    await engine.create({ id: 'skadet', kind: 'send', activity: announcement, recipients: recipients(2, 'a:skadet') });
    await engine.create({ id: 'frisk', kind: 'send', activity: announcement, recipients: recipients(2, 'a:frisk') });
    // Its activity row is gone: the broadcast cannot be sent as stored.
    await TableClient.fromConnectionString(testConnectionString(), tables.tableName, { allowInsecureConnection: true }).deleteEntity('b|skadet', 'a|0000');
    engine.start();
    try {
      expect(await finalReport(reports, 'frisk')).toMatchObject({ sent: 2 });
      expect(messenger.callsTo('a:skadet-0000')).toHaveLength(0);
      expect((await tables.store.get('skadet'))?.status).toBe('active');
    } finally {
      await engine.stop();
    }
  });

  it('keeps delivering when the progress callback fails', async () => {
    const tables = await openTables();
    let calls = 0;
    const { engine } = engineOn(tables, new FakeMessenger(), {
      onProgress: () => {
        calls += 1;
        throw new Error('the card could not be updated');
      },
    });
    engine.start();
    try {
      await engine.create({ id: 'feil-kort', kind: 'send', activity: announcement, recipients: recipients(10) });
      await waitFor(async () => (await tables.store.get('feil-kort'))?.status === 'done', 10_000, 'the broadcast to finish');
      expect(calls).toBeGreaterThanOrEqual(2);
    } finally {
      await engine.stop();
    }
  });

  it('recovers from a failed storage write by starting again from storage', async () => {
    const tables = await openTables();
    const messenger = new FakeMessenger(2);
    const flaky = failingOnce(tables.store, 'writeRecipients', new Error('503 Server Busy'), 2);
    const { engine, reports } = engineOn({ ...tables, store: flaky }, messenger);
    engine.start();
    try {
      await engine.create({ id: 'ustabil-lagring', kind: 'send', activity: announcement, recipients: recipients(30) });
      const report = await finalReport(reports, 'ustabil-lagring');
      expect(report).toMatchObject({ sent: 30, remaining: 0 });
      const counts = messenger.countsByConversation();
      expect(counts.size).toBe(30);
      expect([...counts.values()].filter((count) => count > 1).length).toBeLessThanOrEqual(report.possibleDuplicates);
    } finally {
      await engine.stop();
    }
  });

  it('keeps trying to take the lease while storage refuses, and sends once it can', async () => {
    const tables = await openTables();
    const messenger = new FakeMessenger();
    const flaky = failingOnce(tables.lease, 'acquire', new Error('storage unavailable'), 2);
    const { engine, reports } = engineOn({ ...tables, lease: flaky }, messenger, { leaseMs: 300 });
    await engine.create({ id: 'sen-start', kind: 'send', activity: announcement, recipients: recipients(3) });
    engine.start();
    try {
      expect(await finalReport(reports, 'sen-start')).toMatchObject({ sent: 3 });
    } finally {
      await engine.stop();
    }
  });
  it('sends what prepare makes of the activity as each batch is claimed, and skips the rest once it is withdrawn', async () => {
    const tables = await openTables();
    const messenger = new FakeMessenger();
    let version: 'first' | 'changed' | 'withdrawn' = 'first';
    const prepared: string[] = [];
    const { engine, reports } = engineOn(tables, messenger, {
      // Slow enough that the broadcast is still running when its content changes.
      limits: { requestsPerSecond: 20 },
      prepare: async (activity, kind) => {
        prepared.push(kind);
        return version === 'withdrawn' ? null : { ...activity, text: `${String(activity.text)} (${version})` };
      },
    });
    engine.start();
    try {
      await engine.create({ id: 'trekkes', kind: 'send', activity: announcement, recipients: recipients(60) });
      await waitFor(() => messenger.calls.length >= 10, 15_000, 'the first sends');
      version = 'changed';
      await waitFor(() => messenger.calls.some((call) => String(call.activity.text).endsWith('(changed)')), 15_000, 'a changed send');
      version = 'withdrawn';
      const report = await finalReport(reports, 'trekkes');
      expect(report.skipped).toBeGreaterThan(0);
      expect(report).toMatchObject({ total: 60, failed: 0, unreachable: 0, remaining: 0, done: true });
      expect(report.sent + report.skipped).toBe(60);
      // Nobody skipped was sent anything, and nobody got anything twice.
      expect(messenger.calls.length).toBe(report.sent);
      expect([...messenger.countsByConversation().values()].every((count) => count === 1)).toBe(true);
      expect(messenger.calls[0]?.activity.text).toBe(`${String(announcement.text)} (first)`);
      const stored = await tables.store.recipients('trekkes', ['skipped']);
      expect(stored).toHaveLength(report.skipped);
      expect(stored.every((recipient) => recipient.activityId === null && recipient.attempts === recipient.settled)).toBe(true);
      expect(prepared.every((kind) => kind === 'send')).toBe(true);

      // An update of it reaches only those who got the message.
      await engine.create({ id: 'trekkes-avlyst', kind: 'update', activity: { type: 'message', text: 'AVLYST' }, updates: 'trekkes' });
      version = 'first';
      expect(await finalReport(reports, 'trekkes-avlyst')).toMatchObject({ total: report.sent, sent: report.sent, skipped: 0 });
    } finally {
      await engine.stop();
    }
  });

  it('resumes from storage when prepare fails, without counting anyone twice', async () => {
    const tables = await openTables();
    const messenger = new FakeMessenger();
    let failures = 1;
    const { engine, reports } = engineOn(tables, messenger, {
      prepare: async (activity) => {
        if (failures > 0) {
          failures -= 1;
          throw new Error('the announcement could not be read');
        }
        return activity;
      },
    });
    engine.start();
    try {
      await engine.create({ id: 'les-feil', kind: 'send', activity: announcement, recipients: recipients(5) });
      expect(await finalReport(reports, 'les-feil')).toMatchObject({ sent: 5, skipped: 0, possibleDuplicates: 0 });
      expect([...messenger.countsByConversation().values()]).toEqual(Array(5).fill(1));
    } finally {
      await engine.stop();
    }
  });
});
