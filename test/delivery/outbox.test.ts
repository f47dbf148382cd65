import { describe, expect, it } from 'vitest';
import { OutboxPayloadTooLargeError, TableOutboxStore } from '../../src/delivery/outbox';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';
import { fakeClock } from './support';

async function openStore(clock = fakeClock()) {
  const store = await TableOutboxStore.open(testConnectionString(), uniqueTablePrefix('outbox'), { clock: clock.now });
  return { store, clock };
}

describe('TableOutboxStore', () => {
  it('enqueues a pending message, due at once, and reads it back', async () => {
    const { store, clock } = await openStore();
    const message = await store.enqueue({ id: 'route:FF-2026-0042:channel', kind: 'route', payload: { suggestion: 'FF-2026-0042', at: clock.now() } });
    expect(message).toEqual({
      id: 'route:FF-2026-0042:channel',
      kind: 'route',
      // As stored: JSON, so the date is text.
      payload: { suggestion: 'FF-2026-0042', at: clock.now().toISOString() },
      status: 'pending',
      attempts: 0,
      nextAttemptAt: clock.now().toISOString(),
      lastError: null,
      createdAt: clock.now().toISOString(),
      deliveredAt: null,
      result: null,
      claimedBy: null,
      firstAttemptAt: null,
      progress: null,
    });
    expect(await store.get(message.id)).toEqual(message);
    expect(await store.due(clock.now(), 10)).toEqual([message]);
    expect(await store.get('route:unknown')).toBeNull();
  });

  it('is idempotent: enqueuing an existing id returns the stored message unchanged', async () => {
    const { store, clock } = await openStore();
    const first = await store.enqueue({ id: 'route:FF-1:channel', kind: 'route', payload: { text: 'first' } });
    clock.advance(5000);
    const again = await store.enqueue({ id: 'route:FF-1:channel', kind: 'other', payload: { text: 'second' }, notBefore: clock.at(60_000) });
    expect(again).toEqual(first);
    expect(await store.list({})).toEqual([first]);
    expect(await store.due(clock.now(), 10)).toEqual([first]);
  });

  it('lists due messages oldest first, up to the limit, and none that are not yet due', async () => {
    const { store, clock } = await openStore();
    await store.enqueue({ id: 'c', kind: 'k', payload: 3, notBefore: clock.at(3000) });
    await store.enqueue({ id: 'a', kind: 'k', payload: 1, notBefore: clock.at(1000) });
    await store.enqueue({ id: 'later', kind: 'k', payload: 4, notBefore: clock.at(60_000) });
    await store.enqueue({ id: 'b', kind: 'k', payload: 2, notBefore: clock.at(2000) });
    await store.enqueue({ id: 'now', kind: 'k', payload: 0 });

    expect((await store.due(clock.now(), 10)).map((m) => m.id)).toEqual(['now']);
    expect((await store.due(clock.at(2000), 10)).map((m) => m.id)).toEqual(['now', 'a', 'b']);
    expect((await store.due(clock.at(10_000), 10)).map((m) => m.id)).toEqual(['now', 'a', 'b', 'c']);
    expect((await store.due(clock.at(10_000), 2)).map((m) => m.id)).toEqual(['now', 'a']);
    expect(await store.due(clock.at(10_000), 0)).toEqual([]);

    await store.markDelivered('a', null);
    await store.markFailed('b', 'HTTP 403');
    expect((await store.due(clock.at(100_000), 10)).map((m) => m.id)).toEqual(['now', 'c', 'later']);
  });

  it('moves a retried message to its new time, and finished ones out of the due list for good', async () => {
    const { store, clock } = await openStore();
    await store.enqueue({ id: 'm', kind: 'k', payload: null });
    await store.markRetry('m', 'connector down', clock.at(30_000));
    expect(await store.due(clock.at(29_999), 10)).toEqual([]);
    expect(await store.due(clock.at(30_000), 10)).toMatchObject([{ id: 'm', lastError: 'connector down', status: 'pending' }]);
    clock.advance(30_000);
    // Put back to exactly when its lease would end: the due row stays where it is.
    expect(await store.claim('m', 'w', 1000)).toBe(true);
    await store.markRetry('m', 'throttled', clock.at(1000));
    expect(await store.due(clock.at(1000), 10)).toMatchObject([{ id: 'm', lastError: 'throttled', attempts: 1 }]);

    await store.markDelivered('m', { activityId: '1:abc' });
    // A late retry or failure (say, from a worker whose lease ran out) does not undo a delivery.
    await store.markRetry('m', 'late', clock.at(1000));
    await store.markFailed('m', 'late');
    expect(await store.get('m')).toMatchObject({ status: 'delivered', result: { activityId: '1:abc' }, lastError: 'throttled', deliveredAt: clock.now().toISOString() });
    expect(await store.due(clock.at(3_600_000), 10)).toEqual([]);
    await expect(store.markDelivered('missing', null)).rejects.toThrow(/no outbox message with id missing/);
  });

  it('lets exactly one of several racing claims win, and only while the message is due and unclaimed', async () => {
    const { store, clock } = await openStore();
    await store.enqueue({ id: 'm', kind: 'k', payload: null });
    await store.enqueue({ id: 'future', kind: 'k', payload: null, notBefore: clock.at(1000) });

    const wins = await Promise.all(['w1', 'w2', 'w3', 'w4', 'w5'].map((worker) => store.claim('m', worker, 60_000)));
    expect(wins.filter(Boolean)).toHaveLength(1);
    const claimed = await store.get('m');
    expect(claimed).toMatchObject({ attempts: 1, nextAttemptAt: clock.at(60_000).toISOString(), claimedBy: `w${wins.indexOf(true) + 1}` });
    expect(await store.due(clock.now(), 10)).toEqual([]);
    expect(await store.claim('m', 'w6', 60_000)).toBe(false);
    expect(await store.claim('future', 'w6', 60_000)).toBe(false);
    expect(await store.claim('unknown', 'w6', 60_000)).toBe(false);

    // The lease ran out without an outcome: the message is due again, and the attempt counted.
    clock.advance(60_000);
    expect((await store.due(clock.now(), 10)).map((m) => m.id)).toEqual(['future', 'm']);
    expect(await store.claim('m', 'w7', 60_000)).toBe(true);
    expect(await store.get('m')).toMatchObject({ attempts: 2, claimedBy: 'w7' });

    await store.markDelivered('m', null);
    clock.advance(60_000);
    expect(await store.claim('m', 'w8', 60_000)).toBe(false);
  });

  it("keeps an attempt's progress and the time of the first attempt across attempts, and no progress once finished", async () => {
    const { store, clock } = await openStore();
    await store.enqueue({ id: 'm', kind: 'k', payload: null, notBefore: clock.at(60_000) });
    clock.advance(60_000);
    const first = clock.now().toISOString();
    expect(await store.claim('m', 'w1', 1000)).toBe(true);
    await store.recordProgress('m', { conversationId: 'a:1', activityId: 'sent-1' });
    clock.advance(1001);
    expect(await store.claim('m', 'w2', 1000)).toBe(true);
    expect(await store.get('m')).toMatchObject({ attempts: 2, firstAttemptAt: first, progress: { conversationId: 'a:1', activityId: 'sent-1' } });
    await store.markDelivered('m', 'sent-1');
    await store.recordProgress('m', { late: true });
    expect((await store.get('m'))?.progress).toEqual({ conversationId: 'a:1', activityId: 'sent-1' });
  });

  it('lists by status and kind', async () => {
    const { store, clock } = await openStore();
    await store.enqueue({ id: 'r1', kind: 'route', payload: 1 });
    clock.advance(1);
    await store.enqueue({ id: 'r2', kind: 'route', payload: 2 });
    clock.advance(1);
    await store.enqueue({ id: 'a1', kind: 'announcement', payload: 3 });
    await store.markDelivered('r2', 'x');
    await store.markFailed('a1', 'HTTP 404');

    expect((await store.list({})).map((m) => m.id)).toEqual(['r1', 'r2', 'a1']);
    expect((await store.list({ kind: 'route' })).map((m) => m.id)).toEqual(['r1', 'r2']);
    expect((await store.list({ status: 'pending' })).map((m) => m.id)).toEqual(['r1']);
    expect((await store.list({ status: 'failed', kind: 'announcement' })).map((m) => m.id)).toEqual(['a1']);
    expect(await store.list({ status: 'failed', kind: 'route' })).toEqual([]);
  });

  it('accepts ids with characters Table Storage forbids in keys', async () => {
    const { store, clock } = await openStore();
    const awkward = ['route:29:1a/b\\c#d?e%f~2F', 'route:29:1a/b\\c#d?e%f/', 'personlig:ø|}~'];
    for (const id of awkward) await store.enqueue({ id, kind: 'k', payload: id });
    expect((await store.due(clock.now(), 10)).map((m) => m.id).sort()).toEqual([...awkward].sort());
    for (const id of awkward) expect((await store.get(id))?.payload).toBe(id);
    expect(await store.claim(awkward[0] ?? '', 'w', 1000)).toBe(true);
    await store.markDelivered(awkward[0] ?? '', null);
    expect((await store.list({ status: 'delivered' })).map((m) => m.id)).toEqual([awkward[0]]);
  });

  it('rejects a payload larger than one Table Storage property holds, and stores nothing', async () => {
    const { store, clock } = await openStore();
    // 32,768 UTF-16 code units (64 KiB) of JSON is the most one property holds.
    const largest = 'x'.repeat(32 * 1024 - 2);
    await expect(store.enqueue({ id: 'big', kind: 'k', payload: `${largest}x` })).rejects.toThrow(OutboxPayloadTooLargeError);
    await expect(store.enqueue({ id: 'big', kind: 'k', payload: { text: 'æ'.repeat(40_000) } })).rejects.toThrow(/payload is 40011 characters as JSON.*at most 32768/);
    expect(await store.get('big')).toBeNull();

    expect((await store.enqueue({ id: 'largest', kind: 'k', payload: largest })).payload).toBe(largest);
    expect((await store.due(clock.now(), 10)).map((m) => m.id)).toEqual(['largest']);
    await expect(store.markDelivered('largest', { echo: `${largest}xx` })).rejects.toThrow(OutboxPayloadTooLargeError);
    await expect(store.enqueue({ id: 'fn', kind: 'k', payload: undefined })).rejects.toThrow(/cannot be written as JSON/);
  });

  it('keeps long errors short enough to store', async () => {
    const { store, clock } = await openStore();
    await store.enqueue({ id: 'm', kind: 'k', payload: null });
    await store.markRetry('m', `<html>${'x'.repeat(100_000)}</html>`, clock.at(1000));
    const stored = await store.get('m');
    expect(stored?.lastError).toHaveLength(4000);
    expect(stored?.lastError?.endsWith('…')).toBe(true);
  });
});
