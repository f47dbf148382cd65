import { describe, expect, it } from 'vitest';
import type { BroadcastSummary, RecipientState } from '../../src/broadcast/model';
import { countRecipients, progressOf, progressSpacingMs, RateMeter } from '../../src/broadcast/progress';

const summary: BroadcastSummary = {
  id: 'kurs-1',
  kind: 'send',
  updates: null,
  status: 'active',
  createdAt: '2026-03-02T08:00:00.000Z',
  startedAt: '2026-03-02T08:00:01.000Z',
  finishedAt: null,
  total: 100,
  possibleDuplicates: 2,
  loading: null,
};

describe('RateMeter', () => {
  it('measures over the time since the start until the window is full, then over the window', () => {
    const meter = new RateMeter(0, 10_000);
    for (let at = 100; at <= 2000; at += 100) meter.record(at);
    // 20 in the first 2 s.
    expect(meter.perSecond(2000)).toBe(10);
    for (let at = 2050; at <= 12_000; at += 50) meter.record(at);
    // The last 10 s: (2000, 12000] holds 200 at 20 a second.
    expect(meter.perSecond(12_000)).toBe(20);
    // Nothing more for 5 s: half of the window is empty.
    expect(meter.perSecond(17_000)).toBe(10);
  });

  it('is zero before any time has passed', () => {
    expect(new RateMeter(5000).perSecond(5000)).toBe(0);
  });
});

describe('progressOf', () => {
  it('counts, and estimates the time left at the current rate', () => {
    const counts = countRecipients([
      ...Array<RecipientState>(60).fill('sent'),
      ...Array<RecipientState>(3).fill('failed'),
      ...Array<RecipientState>(2).fill('unreachable'),
      ...Array<RecipientState>(7).fill('skipped'),
      ...Array<RecipientState>(28).fill('pending'),
    ]);
    expect(counts).toEqual({ total: 100, sent: 60, failed: 3, unreachable: 2, skipped: 7 });
    expect(progressOf(summary, counts, { inFlight: 4, ratePerSecond: 14 })).toEqual({
      broadcastId: 'kurs-1',
      kind: 'send',
      total: 100,
      sent: 60,
      failed: 3,
      unreachable: 2,
      skipped: 7,
      remaining: 28,
      inFlight: 4,
      ratePerSecond: 14,
      etaSeconds: 2,
      startedAt: '2026-03-02T08:00:01.000Z',
      finishedAt: null,
      possibleDuplicates: 2,
      done: false,
    });
  });

  it('has no ETA while nothing settles or when not sent here, and zero when nothing is left', () => {
    const counts = countRecipients(['pending', 'sent']);
    expect(progressOf(summary, counts, { inFlight: 1, ratePerSecond: 0 }).etaSeconds).toBeNull();
    expect(progressOf(summary, counts, null)).toMatchObject({ ratePerSecond: null, etaSeconds: null, inFlight: 0 });
    const done = progressOf({ ...summary, status: 'done', finishedAt: '2026-03-02T08:02:00.000Z' }, countRecipients(['sent', 'failed']), null);
    expect(done).toMatchObject({ remaining: 0, etaSeconds: 0, done: true, finishedAt: '2026-03-02T08:02:00.000Z' });
  });
});

describe('progressSpacingMs', () => {
  it('reports every interval at first, then further apart, at most a minute apart', () => {
    expect(progressSpacingMs(5000, 0)).toBe(5000);
    expect(progressSpacingMs(5000, 15_000)).toBe(5000);
    expect(progressSpacingMs(5000, 30_000)).toBe(10_000);
    expect(progressSpacingMs(5000, 3_600_000)).toBe(60_000);
  });

  it('gives a 5,000-person send at 50 a second about ten reports, not one every five seconds', () => {
    let reports = 0;
    for (let at = 0; at < 100_000; at += progressSpacingMs(5000, at)) reports += 1;
    expect(reports).toBeLessThanOrEqual(11);
    expect(reports).toBeGreaterThanOrEqual(8);
  });
});
