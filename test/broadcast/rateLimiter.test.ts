import { describe, expect, it } from 'vitest';
import { BroadcastRateLimiter, SlidingWindowLog, type RateLimits } from '../../src/broadcast/rateLimiter';

/** Sends as fast as the limiter allows from `start` until `until` (fake time, each answered at once), returning when each went. */
function sendGreedily(limiter: BroadcastRateLimiter, conversations: (index: number) => string, start: number, until: number): number[] {
  const times: number[] = [];
  let now = start;
  for (let index = 0; now < until; index += 1) {
    const conversation = conversations(index);
    now = Math.max(limiter.appNextAllowedAt(now), limiter.conversationNextAllowedAt(conversation, now));
    if (now >= until) break;
    limiter.record(conversation, now);
    limiter.answered(conversation, now);
    times.push(now);
  }
  return times;
}

/** The most events in any window of `windowMs` that ends at an event ((t - windowMs, t]). */
function mostInAnyWindow(times: readonly number[], windowMs: number): number {
  let most = 0;
  let first = 0;
  for (let last = 0; last < times.length; last += 1) {
    while ((times[first] as number) <= (times[last] as number) - windowMs) first += 1;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

const limits = (overrides: Partial<RateLimits> = {}): RateLimits => ({
  requestsPerSecond: 50,
  perConversation: [{ limit: 7, windowMs: 1000 }],
  safetyMarginMs: 0,
  ...overrides,
});

describe('SlidingWindowLog', () => {
  it('allows the limit in a window, then the next when the oldest leaves it', () => {
    const log = new SlidingWindowLog([{ limit: 3, windowMs: 1000 }]);
    for (const at of [0, 10, 20]) {
      expect(log.nextAllowedAt(at)).toBe(at);
      log.record(at);
    }
    expect(log.nextAllowedAt(30)).toBe(1000);
    log.record(1000);
    expect(log.nextAllowedAt(1000)).toBe(1010);
  });

  it('honours every window: the tightest one at each moment decides', () => {
    const log = new SlidingWindowLog([
      { limit: 7, windowMs: 1000 },
      { limit: 8, windowMs: 2000 },
    ]);
    for (let i = 0; i < 7; i += 1) log.record(i);
    expect(log.nextAllowedAt(7)).toBe(1000);
    log.record(1000);
    // 8 in 2 s: the ninth waits for the first to leave the 2-second window.
    expect(log.nextAllowedAt(1001)).toBe(2000);
  });

  it('counts a request out as in every window until it is answered, then for a window from its answer', () => {
    const log = new SlidingWindowLog([{ limit: 2, windowMs: 1000 }]);
    log.sent();
    log.record(0);
    // The one recorded at 0 leaves the window at 1000; the one out stays in it.
    expect(log.nextAllowedAt(10)).toBe(1000);
    log.sent();
    // Two out fill it: answered now at the earliest, they would count until a window from now.
    expect(log.nextAllowedAt(1000)).toBe(2000);
    // One answered at 1500 (it may have reached Teams as late as that): it counts until 2500, beside the other out.
    log.answered(1500);
    expect(log.nextAllowedAt(1500)).toBe(2500);
    log.answered(1600);
    expect(log.nextAllowedAt(1600)).toBe(2500);
    expect(log.isEmpty(2599)).toBe(false);
    expect(log.isEmpty(2600)).toBe(true);
  });

  it('is not empty while a request is out, however long ago it went', () => {
    const log = new SlidingWindowLog([{ limit: 1, windowMs: 100 }]);
    log.sent();
    expect(log.isEmpty(10_000)).toBe(false);
    log.answered(10_000);
    expect(log.isEmpty(10_100)).toBe(true);
  });

  it('forgets what left the longest window', () => {
    const log = new SlidingWindowLog([{ limit: 1, windowMs: 100 }]);
    log.record(0);
    expect(log.isEmpty(50)).toBe(false);
    expect(log.isEmpty(100)).toBe(true);
  });

  it('refuses malformed windows', () => {
    expect(() => new SlidingWindowLog([{ limit: 0, windowMs: 1000 }])).toThrow(/limit of at least 1/);
    expect(() => new SlidingWindowLog([{ limit: 5, windowMs: 0 }])).toThrow(/positive length/);
  });
});

describe('BroadcastRateLimiter', () => {
  it('keeps the app at its limit in every one-second window, evenly spaced, and reaches it', () => {
    const limiter = new BroadcastRateLimiter(limits());
    const times = sendGreedily(limiter, (index) => `conversation-${index}`, 0, 10_000);
    expect(mostInAnyWindow(times, 1000)).toBeLessThanOrEqual(50);
    // Ten seconds at 50 a second (the start may take one extra, which the window absorbs).
    expect(times.length).toBeGreaterThanOrEqual(499);
    expect(times.length).toBeLessThanOrEqual(501);
    // Spaced, not bursts of 50: at most four together (a request and three made-up slots).
    expect(mostInAnyWindow(times, 20)).toBeLessThanOrEqual(4);
    expect(mostInAnyWindow(times, 100)).toBeLessThanOrEqual(8);
  });

  it('needs no margin for requests whose answers it is told: each counts until its answer and a window after', () => {
    const limiter = new BroadcastRateLimiter(limits({ safetyMarginMs: 200 }));
    const times = sendGreedily(limiter, (index) => `conversation-${index}`, 0, 10_000);
    expect(times.length).toBeGreaterThanOrEqual(499);
    // Answered 30 ms after they went: at most 50 went in any window of 1030 ms, whenever they reached Teams in between.
    const slow = new BroadcastRateLimiter(limits());
    const sent: number[] = [];
    let now = 0;
    const out: Array<{ conversation: string; answerAt: number }> = [];
    for (let index = 0; now < 10_000; index += 1) {
      const conversation = `conversation-${index}`;
      for (;;) {
        for (const request of out.filter((candidate) => candidate.answerAt <= now)) slow.answered(request.conversation, request.answerAt);
        out.splice(0, out.length, ...out.filter((candidate) => candidate.answerAt > now));
        const at = Math.max(slow.appNextAllowedAt(now), slow.conversationNextAllowedAt(conversation, now));
        if (at <= now) break;
        now = Math.min(at, ...out.map((request) => request.answerAt));
      }
      slow.record(conversation, now);
      out.push({ conversation, answerAt: now + 30 });
      sent.push(now);
    }
    expect(mostInAnyWindow(sent, 1030)).toBeLessThanOrEqual(50);
    expect(sent.length).toBeGreaterThanOrEqual(Math.floor((10_000 / 1030) * 50) - 1);
  });

  it('counts a request whose answer it is not told as reaching Teams within the safety margin', () => {
    const limiter = new BroadcastRateLimiter(limits({ requestsPerSecond: 2, safetyMarginMs: 200 }));
    limiter.recordUnanswered('a', 0);
    limiter.recordUnanswered('b', 500);
    // Both count until a window after their margin: the first until 1200.
    expect(limiter.appNextAllowedAt(1000)).toBe(1200);
    expect(limiter.conversationNextAllowedAt('a', 0)).toBe(0);
  });

  it('makes up for up to three slots a stalled sender missed, then keeps the schedule', () => {
    const limiter = new BroadcastRateLimiter(limits());
    for (let i = 0; i < 4; i += 1) {
      expect(limiter.appNextAllowedAt(0)).toBe(0);
      limiter.record(`c${i}`, 0);
    }
    expect(limiter.appNextAllowedAt(0)).toBe(20);
    limiter.record('on-time', 20);
    // The event loop stalls until 95: the slots at 40, 60 and 80 are made up at once, the next is at 100.
    for (let i = 0; i < 3; i += 1) {
      expect(limiter.appNextAllowedAt(95)).toBe(95);
      limiter.record(`late${i}`, 95);
    }
    expect(limiter.appNextAllowedAt(95)).toBe(100);
  });

  it('at a low rate makes up no more than 60 ms of missed slots, so requests do not leave in a burst', () => {
    const limiter = new BroadcastRateLimiter(limits({ requestsPerSecond: 5 }));
    limiter.record('first', 0);
    // Idle for a second: the next goes at once, and the one after is still spaced, not three intervals early.
    expect(limiter.appNextAllowedAt(1000)).toBe(1000);
    limiter.record('second', 1000);
    expect(limiter.appNextAllowedAt(1000)).toBe(1000 + 200 - 60);
  });

  it('keeps each conversation within its windows, and other conversations are not held up by it', () => {
    const limiter = new BroadcastRateLimiter(
      limits({
        perConversation: [
          { limit: 7, windowMs: 1000 },
          { limit: 8, windowMs: 2000 },
        ],
      }),
    );
    const busy = sendGreedily(limiter, () => 'busy', 0, 4000);
    expect(mostInAnyWindow(busy, 1000)).toBeLessThanOrEqual(7);
    expect(mostInAnyWindow(busy, 2000)).toBeLessThanOrEqual(8);
    expect(busy).toHaveLength(16);
    // Meanwhile the app's own pace is all another conversation waits for.
    expect(limiter.conversationNextAllowedAt('quiet', 3000)).toBe(3000);
    expect(limiter.conversationNextAllowedAt('busy', busy.at(-1) as number)).toBeGreaterThan((busy.at(-1) as number) + 20);
  });

  it('slows the whole app on 429 and climbs back over the ramp', () => {
    const limiter = new BroadcastRateLimiter(limits(), { decreaseFactor: 0.5, rampUpMs: 1000, minRequestsPerSecond: 1 });
    expect(limiter.ratePerSecond(0)).toBe(50);
    limiter.record('a', 0);
    expect(limiter.throttled('a', 0, 100, 1000)).toBe(true);
    expect(limiter.ratePerSecond(100)).toBe(25);
    // The ramp climbs from zero to full in 1 s: a quarter of it later, at three quarters; at full rate from half of it.
    expect(limiter.ratePerSecond(350)).toBeCloseTo(37.5, 5);
    expect(limiter.ratePerSecond(600)).toBe(50);

    // Every conversation, not only the throttled one, goes at the lower rate meanwhile.
    const slowed = new BroadcastRateLimiter(limits(), { decreaseFactor: 0.5, rampUpMs: 1e12, minRequestsPerSecond: 1 });
    slowed.throttled('a', 0, 0, null);
    const times = sendGreedily(slowed, (index) => `conversation-${index}`, 0, 2000);
    expect(times.length).toBeGreaterThanOrEqual(50);
    expect(times.length).toBeLessThanOrEqual(54);
  });

  it('cuts once per round trip: 429s for requests sent before the cut do not cut again', () => {
    const limiter = new BroadcastRateLimiter(limits(), { decreaseFactor: 0.5, rampUpMs: 10_000, minRequestsPerSecond: 1 });
    expect(limiter.throttled('a', 0, 100, null)).toBe(true);
    expect(limiter.throttled('b', 50, 120, null)).toBe(false);
    expect(limiter.ratePerSecond(120)).toBeCloseTo(25 + 50 * (20 / 10_000), 5);
    expect(limiter.throttled('c', 130, 200, null)).toBe(true);
    expect(limiter.ratePerSecond(200)).toBeLessThan(13);
  });

  it('does not slow the app for the odd 429 among many requests, only when 429s are more than 5% of the last 2 s', () => {
    const limiter = new BroadcastRateLimiter(limits(), { decreaseFactor: 0.5, rampUpMs: 10_000, minRequestsPerSecond: 1 });
    sendGreedily(limiter, (index) => `conversation-${index}`, 0, 2000);
    // A hundred requests in the last 2 s: five 429s are the background Teams gives any app, each waits its Retry-After.
    for (let i = 0; i < 5; i += 1) expect(limiter.throttled(`conversation-${90 + i}`, 1800 + i * 20, 1900 + i, 1000)).toBe(false);
    expect(limiter.ratePerSecond(1905)).toBe(50);
    expect(limiter.conversationNextAllowedAt('conversation-90', 1905)).toBe(2900);
    // The sixth is more than 5%: the app is over a limit lower than it was told, and slows down.
    expect(limiter.throttled('conversation-95', 1900, 1906, 1000)).toBe(true);
    expect(limiter.ratePerSecond(1906)).toBe(25);
  });

  it('counts a 429 told twice (by the pipeline and by the engine) once', () => {
    const limiter = new BroadcastRateLimiter(limits(), { decreaseFactor: 0.5, rampUpMs: 10_000, minRequestsPerSecond: 1 });
    sendGreedily(limiter, (index) => `conversation-${index}`, 0, 2000);
    for (let i = 0; i < 5; i += 1) {
      expect(limiter.throttled(`conversation-${90 + i}`, 1800 + i * 20, 1900 + i, 1000)).toBe(false);
      expect(limiter.throttled(`conversation-${90 + i}`, 1800 + i * 20, 1900 + i, 1000)).toBe(false);
    }
    expect(limiter.ratePerSecond(1905)).toBe(50);
  });

  it('never goes below the minimum rate', () => {
    const limiter = new BroadcastRateLimiter(limits(), { decreaseFactor: 0.1, rampUpMs: 1_000_000, minRequestsPerSecond: 2 });
    for (let i = 0; i < 10; i += 1) limiter.throttled('a', i * 10, i * 10 + 1, null);
    expect(limiter.ratePerSecond(100)).toBeCloseTo(2, 1);
  });

  it('holds a throttled conversation for its Retry-After', () => {
    const limiter = new BroadcastRateLimiter(limits());
    limiter.record('a', 0);
    limiter.throttled('a', 0, 10, 1000);
    expect(limiter.conversationNextAllowedAt('a', 20)).toBe(1010);
    expect(limiter.conversationNextAllowedAt('b', 20)).toBe(20);
  });

  it('refuses nonsense settings', () => {
    expect(() => new BroadcastRateLimiter(limits({ requestsPerSecond: 0 }))).toThrow(/positive number/);
    expect(() => new BroadcastRateLimiter(limits({ safetyMarginMs: -1 }))).toThrow(/negative/);
    expect(() => new BroadcastRateLimiter(limits(), { decreaseFactor: 1, rampUpMs: 1000, minRequestsPerSecond: 1 })).toThrow(/between 0 and 1/);
    expect(() => new BroadcastRateLimiter(limits({ perConversation: [{ limit: 0, windowMs: 1000 }] }))).toThrow(/limit of at least 1/);
  });
  it('stays quiet for one window after another sender may have sent, whose requests it never saw', () => {
    const limiter = new BroadcastRateLimiter(limits({ safetyMarginMs: 25 }));
    expect(limiter.appNextAllowedAt(10_000)).toBe(10_000);
    limiter.afterOtherSender(9_800);
    expect(limiter.appNextAllowedAt(10_000)).toBe(10_825);
    expect(limiter.appNextAllowedAt(10_900)).toBe(10_900);
    // A sender that stopped long ago holds nothing up.
    const fresh = new BroadcastRateLimiter(limits({ safetyMarginMs: 25 }));
    fresh.afterOtherSender(1_000);
    expect(fresh.appNextAllowedAt(10_000)).toBe(10_000);
  });
});
