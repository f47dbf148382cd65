import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppRateLimit } from '../../src/broadcast/appRateLimit';
import { mostInAnyWindow } from './support';

/** The rate limit's clock: vitest's fake time, which its timers follow too, so each slot is taken exactly when due. */
const clock = () => Date.now();

/** Runs the timers until every request given has its slot; resolves to when each took it. */
async function slotsOf(requests: readonly Promise<number>[]): Promise<number[]> {
  await vi.runAllTimersAsync();
  return Promise.all(requests);
}

describe('AppRateLimit', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: Date.parse('2026-03-02T08:00:00.000Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lets requests go at once while the app is under its limit, then spaces them within it', async () => {
    const rateLimit = new AppRateLimit({ limits: { requestsPerSecond: 10 }, clock });
    const askedAt = clock();
    const times = await slotsOf(Array.from({ length: 25 }, (_, index) => rateLimit.take(`a:person-${index}`)));
    // The first without waiting; 25 at 10 a second take two seconds and more.
    expect(Math.min(...times)).toBe(askedAt);
    expect(mostInAnyWindow(times, 1000)).toBeLessThanOrEqual(10);
    expect(Math.max(...times) - askedAt).toBeGreaterThan(2000);
  });

  it('keeps each conversation within its own limit without holding up the others', async () => {
    const rateLimit = new AppRateLimit({ limits: { requestsPerSecond: 100 }, clock });
    const toOne = Array.from({ length: 9 }, () => rateLimit.take('a:busy'));
    const startedAt = clock();
    const [toOther] = await slotsOf([rateLimit.take('a:quiet')]);
    const one = await slotsOf(toOne);
    // Teams allows a conversation 7 requests a second (and 8 in 2 s).
    expect(mostInAnyWindow(one, 1000)).toBeLessThanOrEqual(7);
    expect(one).toHaveLength(9);
    // The quiet conversation waited for the app's pace only, not behind the busy one's.
    expect((toOther as number) - startedAt).toBeLessThan(500);
    expect(toOther).toBeLessThan(Math.max(...one));
  });

  it('slows the whole app down after a 429', async () => {
    const rateLimit = new AppRateLimit({ limits: { requestsPerSecond: 50 }, clock });
    const [sentAt] = await slotsOf([rateLimit.take('a:person-0')]);
    expect(rateLimit.limiter.ratePerSecond(clock())).toBeGreaterThan(45);
    rateLimit.throttled('a:person-0', sentAt as number, 1000);
    expect(rateLimit.limiter.ratePerSecond(clock())).toBeLessThan(46);
    // The conversation itself waits as long as Teams asked.
    expect(rateLimit.limiter.conversationNextAllowedAt('a:person-0', clock())).toBe(clock() + 1000);
  });

  it('lets a paced request through at once, as of when its slot was taken, and counts it until it is answered', async () => {
    let now = 10_000;
    const rateLimit = new AppRateLimit({ limits: { requestsPerSecond: 1, safetyMarginMs: 200 }, clock: () => now });
    rateLimit.limiter.record('a:paced', now);
    let leftAs = 0;
    await rateLimit.paced('a:paced', now, async () => {
      leftAs = await rateLimit.leaving('a:paced');
      // On its way and answered 300 ms later: it may have reached Teams as late as that.
      now += 300;
    });
    expect(leftAs).toBe(10_000);
    expect(rateLimit.limiter.appNextAllowedAt(now)).toBe(11_300);
  });

  it('counts a request of any other sender, whose answer it is not told, as reaching Teams within the safety margin', async () => {
    let now = 10_000;
    const rateLimit = new AppRateLimit({ limits: { requestsPerSecond: 1, safetyMarginMs: 200 }, clock: () => now });
    expect(await rateLimit.leaving('a:welcome')).toBe(10_000);
    now += 50;
    expect(rateLimit.limiter.appNextAllowedAt(now)).toBe(11_200);
  });

  it('tells its listeners when waiting requests have gone (the engine sends on then)', async () => {
    const rateLimit = new AppRateLimit({ limits: { requestsPerSecond: 5 }, clock });
    let told = 0;
    rateLimit.onServed(() => (told += 1));
    expect(rateLimit.hasWaiting(clock())).toBe(false);
    await slotsOf(Array.from({ length: 7 }, (_, index) => rateLimit.take(`a:${index}`)));
    expect(told).toBeGreaterThanOrEqual(2);
    expect(rateLimit.hasWaiting(clock())).toBe(false);
  });
});
