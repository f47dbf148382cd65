import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import { TableOutboxStore, type OutboxMessage } from '../../src/delivery/outbox';
import { OutboxWorker, type DeliveryHandler, type DeliveryOutcome, type OutboxWorkerOptions } from '../../src/delivery/outboxWorker';
import { sharedOutbox, type OutboxJobs } from '../../src/delivery/outboxJobs';
import { createLogger } from '../../src/logger';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';
import { fakeClock, type FakeClock } from './support';

const logger = createLogger('silent');

async function setUp(clock: FakeClock = fakeClock(), tableName = uniqueTablePrefix('outbox')) {
  const store = await TableOutboxStore.open(testConnectionString(), tableName, { clock: clock.now });
  const worker = (handlers: Record<string, DeliveryHandler>, options: Partial<OutboxWorkerOptions> = {}) =>
    new OutboxWorker({ store, handlers, logger, clock: clock.now, random: () => 0.5, ...options });
  return { store, clock, tableName, worker };
}

/** A handler that answers with the given outcomes in turn (the last one repeats), recording each call. */
function scripted(...outcomes: (DeliveryOutcome | Error)[]) {
  const calls: OutboxMessage[] = [];
  const handler: DeliveryHandler = async (message) => {
    calls.push(message);
    const outcome = outcomes[Math.min(calls.length, outcomes.length) - 1];
    if (outcome === undefined || outcome instanceof Error) throw outcome ?? new Error('no outcome');
    return outcome;
  };
  return { handler, calls };
}

/** A handler that never finishes: its worker is as good as crashed mid-send. */
function hanging() {
  let started!: () => void;
  const called = new Promise<void>((resolve) => (started = resolve));
  const handler: DeliveryHandler = () => {
    started();
    return new Promise<DeliveryOutcome>(() => undefined);
  };
  return { handler, called };
}

describe('OutboxWorker', () => {
  it('delivers each message once when two workers race over the same store', async () => {
    const { store, worker } = await setUp();
    const sent = new Map<string, string[]>();
    const send =
      (workerId: string): DeliveryHandler =>
      async (message) => {
        await sleep(5);
        sent.set(message.id, [...(sent.get(message.id) ?? []), workerId]);
        return { kind: 'delivered', result: { activityId: `${workerId}:${message.id}` } };
      };
    const ids = Array.from({ length: 12 }, (_, index) => `route:FF-2026-${String(index).padStart(4, '0')}:channel`);
    for (const id of ids) await store.enqueue({ id, kind: 'route', payload: { id } });

    const one = worker({ route: send('one') }, { workerId: 'one', batchSize: 50 });
    const two = worker({ route: send('two') }, { workerId: 'two', batchSize: 50 });
    const [a, b] = await Promise.all([one.runOnce(), two.runOnce()]);

    expect(a.delivered + b.delivered).toBe(12);
    // Whatever one worker read as due and the other then delivered, it skipped.
    expect(a.skipped + b.skipped).toBe(a.due + b.due - 12);
    expect([...sent.values()].every((senders) => senders.length === 1)).toBe(true);
    expect([...sent.keys()].sort()).toEqual(ids);
    for (const message of await store.list({})) {
      expect(message).toMatchObject({ status: 'delivered', attempts: 1, result: { activityId: `${message.claimedBy}:${message.id}` } });
    }
  });

  it('retries with exponential backoff (a thrown error counts as a retry), then delivers', async () => {
    const { store, clock, worker } = await setUp();
    const { handler, calls } = scripted({ kind: 'retry', error: 'connector down' }, new Error('socket hang up'), { kind: 'delivered', result: '1:activity' });
    const outbox = worker({ route: handler });
    await store.enqueue({ id: 'm', kind: 'route', payload: { to: 'channel' } });

    expect(await outbox.runOnce()).toMatchObject({ due: 1, retried: 1 });
    // Attempt 1: half (the random draw) of the 1 s base.
    expect(await store.get('m')).toMatchObject({ status: 'pending', attempts: 1, lastError: 'connector down', nextAttemptAt: clock.at(500).toISOString() });
    expect(await outbox.runOnce(clock.at(499))).toMatchObject({ due: 0 });

    clock.advance(500);
    expect(await outbox.runOnce()).toMatchObject({ due: 1, retried: 1 });
    expect(await store.get('m')).toMatchObject({ attempts: 2, lastError: 'socket hang up', nextAttemptAt: clock.at(1000).toISOString() });

    clock.advance(1000);
    expect(await outbox.runOnce()).toMatchObject({ due: 1, delivered: 1 });
    expect(await store.get('m')).toMatchObject({ status: 'delivered', attempts: 3, result: '1:activity', deliveredAt: clock.now().toISOString() });
    expect(calls.map((message) => message.attempts)).toEqual([1, 2, 3]);
    expect(calls[0]?.payload).toEqual({ to: 'channel' });
  });

  it('honours retryAfterMs', async () => {
    const { store, clock, worker } = await setUp();
    const { handler } = scripted({ kind: 'retry', error: 'HTTP 429', retryAfterMs: 30_000 }, { kind: 'delivered' });
    const outbox = worker({ route: handler }, { random: () => 0 });
    await store.enqueue({ id: 'm', kind: 'route', payload: null });

    await outbox.runOnce();
    expect((await store.get('m'))?.nextAttemptAt).toBe(clock.at(30_000).toISOString());
    expect(await outbox.runOnce(clock.at(29_999))).toMatchObject({ due: 0 });
    clock.advance(30_000);
    expect(await outbox.runOnce()).toMatchObject({ delivered: 1 });
  });

  it('does not retry a permanent failure', async () => {
    const { store, clock, worker } = await setUp();
    const { handler, calls } = scripted({ kind: 'failed', error: 'HTTP 403: the bot is not in this team' });
    const outbox = worker({ route: handler });
    await store.enqueue({ id: 'm', kind: 'route', payload: null });

    expect(await outbox.runOnce()).toMatchObject({ failed: 1 });
    clock.advance(3_600_000);
    expect(await outbox.runOnce()).toMatchObject({ due: 0 });
    expect(calls).toHaveLength(1);
    expect(await store.get('m')).toMatchObject({ status: 'failed', attempts: 1, lastError: 'HTTP 403: the bot is not in this team' });
  });

  it('gives up after maxAttempts', async () => {
    const { store, clock, worker } = await setUp();
    const { handler, calls } = scripted({ kind: 'retry', error: 'HTTP 502' });
    const outbox = worker({ route: handler }, { maxAttempts: 3 });
    await store.enqueue({ id: 'm', kind: 'route', payload: null });

    for (let pass = 0; pass < 5; pass += 1) {
      await outbox.runOnce();
      clock.advance(300_000);
    }
    expect(calls).toHaveLength(3);
    expect(await store.get('m')).toMatchObject({ status: 'failed', attempts: 3, lastError: 'Gave up after 3 attempts: HTTP 502' });
  });

  it('gives up on a message still failing maxAgeMs after its first attempt (not after enqueuing), tells its dead-letter handler once, and stops', async () => {
    const { store, clock, worker } = await setUp();
    const { handler, calls } = scripted({ kind: 'retry', error: 'the bot is not installed for ola@ntnu.example' });
    const deadLetters: Array<{ id: string; reason: string }> = [];
    const logged: string[] = [];
    const outbox = worker(
      { route: handler },
      {
        maxAgeMs: 3_600_000,
        backoff: { baseDelayMs: 600_000, maxDelayMs: 600_000 },
        random: () => 0.999,
        logger: {
          ...logger,
          info: (_fields: unknown, message: string) => void logged.push(message),
          warn: (_fields: unknown, message: string) => void logged.push(message),
        } as unknown as typeof logger,
        deadLetterHandlers: { route: async (message, reason) => void deadLetters.push({ id: message.id, reason }) },
      },
    );
    // Enqueued a day before it is due, like a reminder: the age counts from the first attempt.
    await store.enqueue({ id: 'm', kind: 'route', payload: null, notBefore: clock.at(86_400_000) });
    clock.advance(86_400_000);
    for (let pass = 0; pass < 12; pass += 1) {
      await outbox.runOnce();
      clock.advance(600_000);
    }
    // Attempts at 0, 10, …, 60 minutes; the one at 60 minutes is past the hour and gives up.
    expect(calls).toHaveLength(7);
    const dead = await store.get('m');
    expect(dead).toMatchObject({ status: 'failed', attempts: 7, lastError: 'Gave up after 1 hours and 7 attempts: the bot is not installed for ola@ntnu.example' });
    expect(deadLetters).toEqual([{ id: 'm', reason: dead?.lastError }]);
    expect(logged.filter((message) => message === 'outbox message will be retried')).toHaveLength(6);
    expect(logged.filter((message) => message === 'outbox message failed for good')).toHaveLength(1);
  });

  it('keeps a dead letter a dead letter when its dead-letter handler fails', async () => {
    const { store, worker } = await setUp();
    const outbox = worker(
      { route: async () => ({ kind: 'failed', error: '403: blocked' }) },
      { deadLetterHandlers: { route: async () => Promise.reject(new Error('storage down')) } },
    );
    await store.enqueue({ id: 'm', kind: 'route', payload: null });
    expect(await outbox.runOnce()).toMatchObject({ failed: 1, errors: 0 });
    expect(await store.get('m')).toMatchObject({ status: 'failed', lastError: '403: blocked' });
  });

  it('marks messages of unknown kinds failed', async () => {
    const { store, worker } = await setUp();
    const outbox = worker({ route: scripted({ kind: 'delivered' }).handler });
    await store.enqueue({ id: 'a', kind: 'announcement', payload: null });
    await store.enqueue({ id: 'b', kind: 'constructor', payload: null });

    expect(await outbox.runOnce()).toMatchObject({ due: 2, failed: 2 });
    expect(await store.get('a')).toMatchObject({ status: 'failed', lastError: 'No handler for outbox message kind "announcement".' });
    expect(await store.get('b')).toMatchObject({ status: 'failed', lastError: 'No handler for outbox message kind "constructor".' });
  });

  it('recovers a message from a worker that died mid-send, once its lease runs out', async () => {
    const { store, clock, worker } = await setUp();
    const stuck = hanging();
    const crashed = worker({ route: stuck.handler }, { workerId: 'crashed', leaseMs: 60_000 });
    const { handler, calls } = scripted({ kind: 'delivered', result: 'sent' });
    const survivor = worker({ route: handler }, { workerId: 'survivor', leaseMs: 60_000 });
    await store.enqueue({ id: 'm', kind: 'route', payload: null });

    void crashed.runOnce();
    await stuck.called;
    expect(await survivor.runOnce()).toMatchObject({ due: 0 });
    clock.advance(59_999);
    expect(await survivor.runOnce()).toMatchObject({ due: 0 });

    clock.advance(1);
    expect(await survivor.runOnce()).toMatchObject({ due: 1, delivered: 1 });
    expect(calls).toHaveLength(1);
    expect(await store.get('m')).toMatchObject({ status: 'delivered', attempts: 2, claimedBy: 'survivor', result: 'sent' });
  });

  it('counts attempts that never finished towards maxAttempts', async () => {
    const { store, clock, worker } = await setUp();
    await store.enqueue({ id: 'poison', kind: 'route', payload: null });
    for (const name of ['first', 'second']) {
      const stuck = hanging();
      void worker({ route: stuck.handler }, { workerId: name, leaseMs: 60_000, maxAttempts: 2 }).runOnce();
      await stuck.called;
      clock.advance(60_000);
    }
    const { handler, calls } = scripted({ kind: 'delivered' });
    expect(await worker({ route: handler }, { maxAttempts: 2 }).runOnce()).toMatchObject({ failed: 1 });
    expect(calls).toHaveLength(0);
    expect(await store.get('poison')).toMatchObject({ status: 'failed', attempts: 3, lastError: 'Gave up after 2 attempts; the last did not finish.' });
  });

  it('after a restart, new store and worker objects deliver what was pending', async () => {
    const before = await setUp();
    // Stored, then the process died before routing it.
    await before.store.enqueue({ id: 'route:FF-1:channel', kind: 'route', payload: { n: 1 } });
    await before.store.enqueue({ id: 'route:FF-2:channel', kind: 'route', payload: { n: 2 } });
    // Tried once: the bot was not installed there yet.
    await before.worker({ route: scripted({ kind: 'retry', error: 'bot not installed' }).handler }).runOnce();
    await before.store.enqueue({ id: 'route:FF-3:channel', kind: 'route', payload: { n: 3 } });

    before.clock.advance(5000);
    const after = await setUp(before.clock, before.tableName);
    // The untried one first: the others were put back half a second (the backoff).
    expect((await after.store.due(after.clock.now(), 10)).map((message) => message.id)).toEqual(['route:FF-3:channel', 'route:FF-1:channel', 'route:FF-2:channel']);
    const { handler, calls } = scripted({ kind: 'delivered' });
    expect(await after.worker({ route: handler }).runOnce()).toMatchObject({ due: 3, delivered: 3 });
    expect(calls.map((message) => message.id).sort()).toEqual(['route:FF-1:channel', 'route:FF-2:channel', 'route:FF-3:channel']);
    expect((await after.store.list({ status: 'delivered' })).map((message) => message.attempts).sort()).toEqual([1, 2, 2]);
  });

  it('sends a freshly enqueued message at once when kicked, not at the next poll', async () => {
    const { store, worker } = await setUp();
    const { handler, calls } = scripted({ kind: 'delivered' });
    const outbox = worker({ route: handler });
    outbox.start(3_600_000);
    try {
      await store.enqueue({ id: 'm', kind: 'route', payload: null });
      await outbox.kick();
      expect(calls).toHaveLength(1);
      expect((await store.get('m'))?.status).toBe('delivered');
    } finally {
      await outbox.stop();
    }
    await expect(outbox.kick()).resolves.toBeUndefined();
  });

  it('polls in the background, and drains a backlog larger than one batch without waiting for the next poll', async () => {
    const { store, worker } = await setUp();
    for (let index = 0; index < 5; index += 1) await store.enqueue({ id: `backlog-${index}`, kind: 'route', payload: index });
    const { handler, calls } = scripted({ kind: 'delivered' });
    const outbox = worker({ route: handler }, { batchSize: 2, concurrency: 1 });
    outbox.start(3_600_000);
    try {
      await vi.waitFor(async () => expect(await store.list({ status: 'delivered' })).toHaveLength(5), { timeout: 5000 });
      expect(calls).toHaveLength(5);
    } finally {
      await outbox.stop();
    }

    const polled = worker({ route: handler });
    polled.start(20);
    try {
      await sleep(50);
      await store.enqueue({ id: 'late', kind: 'route', payload: null });
      await vi.waitFor(async () => expect((await store.get('late'))?.status).toBe('delivered'), { timeout: 5000 });
    } finally {
      await polled.stop();
    }
  });

  it("takes on a capability's jobs: each kind's payload as enqueued through the shared outbox, and its dead-letter hook", async () => {
    const { store, worker } = await setUp();
    const outbox = worker({});
    const delivered: string[] = [];
    const deadLetters: { id: string; reason: string }[] = [];
    const jobs: OutboxJobs<{ greet: { name: string }; refuse: { why: string } }> = {
      greet: { deliver: async (message) => (delivered.push(message.payload.name), { kind: 'delivered' }) },
      refuse: {
        deliver: async (message) => ({ kind: 'failed', error: message.payload.why }),
        deadLetter: async (message, reason) => void deadLetters.push({ id: message.id, reason }),
      },
    };
    outbox.register(jobs);
    const enqueue = sharedOutbox(store, outbox);
    await enqueue.enqueue({ id: 'g', kind: 'greet', payload: { name: 'Kari' } });
    await enqueue.enqueue({ id: 'r', kind: 'refuse', payload: { why: 'HTTP 403' } });

    expect(await outbox.runOnce()).toMatchObject({ delivered: 1, failed: 1 });
    expect(delivered).toEqual(['Kari']);
    expect(deadLetters).toEqual([{ id: 'r', reason: 'HTTP 403' }]);
  });

  it('refuses a second handler for a kind, so two capabilities cannot both claim it', async () => {
    const { worker } = await setUp();
    const { handler } = scripted({ kind: 'delivered' });
    const outbox = worker({ route: handler });
    expect(() => outbox.register({ route: { deliver: handler } })).toThrow('The outbox message kind "route" has a handler already.');
    outbox.register({ notify: { deliver: handler } });
    expect(() => outbox.register({ notify: { deliver: handler } })).toThrow('"notify"');
  });
});
