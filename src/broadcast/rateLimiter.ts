/**
 * Keeps a broadcast within Teams' limits. Times are milliseconds on the caller's
 * clock; nothing here reads the time or sets a timer, so it is exact under test.
 *
 * The limits, from Microsoft's "Optimize your bot with rate limiting in Teams"
 * (learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit):
 * - "The global limit per app per tenant is 50 Requests Per Second (RPS)"
 *   (earlier versions of the page said 30: hence configurable);
 * - "per bot per thread", a thread being a personal chat, group chat or channel,
 *   "Send to conversation": 7 operations in 1 s, 8 in 2 s, 60 in 30 s, 1800 in 3600 s;
 * - exceeding them is answered 429; back off exponentially with random jitter,
 *   and retry 412, 502 and 504 as well.
 *
 * Why not a library: bottleneck (last released 2019) and limiter (token bucket
 * or fixed window) both wait for capacity inside their own timers, read the
 * wall clock themselves, and have one limit per instance. The engine instead
 * needs to ask "when may this conversation go next?" without blocking on it
 * (it sends to another conversation meanwhile), several sliding windows per
 * conversation, a rate that drops on 429 and climbs back, and a clock it
 * controls in tests. That is the ~150 lines below.
 */

export interface WindowLimit {
  /** At most this many requests… */
  limit: number;
  /** …in any window of this length. */
  windowMs: number;
}

export interface RateLimits {
  /** For the app as a whole (default 50). */
  requestsPerSecond: number;
  /** For each conversation (default: the documented send-to-conversation limits). */
  perConversation: readonly WindowLimit[];
  /**
   * Added to every window. Teams counts requests when they arrive, the engine
   * when it sends them; requests that take different times to get there could
   * otherwise put one too many in Teams' window. Costs margin/(1000+margin) of the rate.
   */
  safetyMarginMs: number;
}

export interface ThrottleResponse {
  /** On a 429 the allowed rate is multiplied by this (default 0.9)… */
  decreaseFactor: number;
  /** …and climbs back linearly, from zero to the full rate in this long (default 2 s). */
  rampUpMs: number;
  /** The rate never drops below this (default 1 request a second). */
  minRequestsPerSecond: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  requestsPerSecond: 50,
  perConversation: [
    { limit: 7, windowMs: 1000 },
    { limit: 8, windowMs: 2000 },
    { limit: 60, windowMs: 30_000 },
    { limit: 1800, windowMs: 3_600_000 },
  ],
  // 25 ms let a few requests in 5,000 arrive one too many in a window (bench/broadcast.ts, 2 busy cores); 40 none.
  safetyMarginMs: 40,
};

export const DEFAULT_THROTTLE_RESPONSE: ThrottleResponse = { decreaseFactor: 0.9, rampUpMs: 2000, minRequestsPerSecond: 1 };

/** The times of past requests, as far back as the longest window; answers when the next may go. */
export class SlidingWindowLog {
  private readonly times: number[] = [];
  private readonly longestMs: number;

  constructor(private readonly windows: readonly WindowLimit[]) {
    for (const window of windows) {
      if (!(window.limit >= 1 && window.windowMs > 0)) throw new Error(`A rate window needs a limit of at least 1 and a positive length (got ${window.limit} in ${window.windowMs} ms).`);
    }
    this.longestMs = Math.max(0, ...windows.map((window) => window.windowMs));
  }

  /** The earliest time at or after `now` when one more request stays within every window. */
  nextAllowedAt(now: number): number {
    this.forget(now);
    let at = now;
    for (const { limit, windowMs } of this.windows) {
      // A window ending at t holds the requests in (t - windowMs, t]: the limit-th latest must have left it.
      const blocking = this.times[this.times.length - limit];
      if (blocking !== undefined) at = Math.max(at, blocking + windowMs);
    }
    return at;
  }

  record(at: number): void {
    this.times.push(at);
  }

  /** A request recorded at `from` really went at `to` (later): it counts from then (a new one if it is no longer here). */
  move(from: number, to: number): void {
    const index = this.times.lastIndexOf(from);
    if (index >= 0) this.times.splice(index, 1);
    let at = this.times.length;
    while (at > 0 && (this.times[at - 1] as number) > to) at -= 1;
    this.times.splice(at, 0, to);
  }

  /** Nothing recorded within the longest window. */
  isEmpty(now: number): boolean {
    this.forget(now);
    return this.times.length === 0;
  }

  private forget(now: number): void {
    let expired = 0;
    while (expired < this.times.length && (this.times[expired] as number) <= now - this.longestMs) expired += 1;
    if (expired > 0) this.times.splice(0, expired);
  }
}

/**
 * Slots a late sender may make up at once. A busy event loop (or a busy machine)
 * sends late; without catching up those slots would be lost for good. The window
 * log still holds every window to the limit, so catching up cannot exceed it.
 */
const CATCH_UP_INTERVALS = 3;
/**
 * …but never more than this long's worth: at a low rate three intervals would
 * be a burst a good part of Teams' one-second window long, and requests that
 * leave together may arrive closer still.
 */
const CATCH_UP_MAX_MS = 60;

/**
 * The app's rate: requests evenly spaced (so Teams sees no bursts beyond a few
 * made-up slots), as a "generic cell rate algorithm" with a tolerance of a few
 * intervals; the allowed rate drops by a factor on each 429 and climbs back.
 */
class AdaptivePacer {
  /** When the next request is due if the rate were kept exactly (the "theoretical arrival time"). */
  private dueAt = Number.NEGATIVE_INFINITY;
  private factor = 1;
  private factorAt = Number.NEGATIVE_INFINITY;
  private lastCutAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly maxPerMs: number,
    private readonly response: ThrottleResponse,
  ) {}

  ratePerSecond(now: number): number {
    return this.currentFactor(now) * this.maxPerMs * 1000;
  }

  nextAllowedAt(now: number): number {
    return Math.max(now, this.dueAt - Math.min(CATCH_UP_INTERVALS * this.intervalMs(now), CATCH_UP_MAX_MS));
  }

  record(at: number): void {
    this.dueAt = Math.max(this.dueAt, at) + this.intervalMs(at);
  }

  /**
   * Cuts the rate, once per round trip: 429s for requests sent before the last
   * cut answer a rate already cut, and must not cut it again.
   */
  throttled(sentAt: number, now: number): boolean {
    if (sentAt < this.lastCutAt) return false;
    const floor = this.response.minRequestsPerSecond / 1000 / this.maxPerMs;
    this.factor = Math.max(Math.min(1, floor), this.currentFactor(now) * this.response.decreaseFactor);
    this.factorAt = now;
    this.lastCutAt = now;
    return true;
  }

  private currentFactor(now: number): number {
    if (this.factor >= 1) return 1;
    return Math.min(1, this.factor + Math.max(0, now - this.factorAt) / this.response.rampUpMs);
  }

  private intervalMs(now: number): number {
    return 1 / (this.maxPerMs * this.currentFactor(now));
  }
}

/** How often the per-conversation logs are swept for conversations no longer in any window. */
const SWEEP_EVERY = 1000;

/** The app's limit and each conversation's, together. */
export class BroadcastRateLimiter {
  private readonly appLog: SlidingWindowLog;
  private readonly pacer: AdaptivePacer;
  private readonly conversations = new Map<string, { log: SlidingWindowLog; blockedUntil: number }>();
  private recordsSinceSweep = 0;
  private readonly appWindowMs: number;
  /** No request before this (see afterOtherSender). */
  private quietUntil = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly limits: RateLimits = DEFAULT_RATE_LIMITS,
    response: ThrottleResponse = DEFAULT_THROTTLE_RESPONSE,
  ) {
    if (!(limits.requestsPerSecond > 0)) throw new Error('The rate limit needs a positive number of requests a second.');
    if (!(limits.safetyMarginMs >= 0)) throw new Error('The safety margin cannot be negative.');
    if (!(response.decreaseFactor > 0 && response.decreaseFactor < 1)) throw new Error('The decrease factor on 429 must be between 0 and 1.');
    const appWindow = { limit: Math.max(1, Math.floor(limits.requestsPerSecond)), windowMs: 1000 + limits.safetyMarginMs };
    this.appWindowMs = appWindow.windowMs;
    this.appLog = new SlidingWindowLog([appWindow]);
    this.pacer = new AdaptivePacer(appWindow.limit / appWindow.windowMs, response);
    // Fails now, not at the first send, if a window is malformed.
    this.conversationLog();
  }

  /** Requests a second the app may send now (below the limit for a while after a 429). */
  ratePerSecond(now: number): number {
    return this.pacer.ratePerSecond(now);
  }

  /** The earliest time the app may send its next request, to any conversation. */
  appNextAllowedAt(now: number): number {
    return Math.max(this.quietUntil, this.appLog.nextAllowedAt(now), this.pacer.nextAllowedAt(now));
  }

  /**
   * This instance has just become the sender, and another may have sent until
   * `lastRequestAt`, up to the limit, in a window this one's log does not
   * hold. Waiting until that window has passed keeps the app within its limit
   * across the handover.
   */
  afterOtherSender(lastRequestAt: number): void {
    this.quietUntil = Math.max(this.quietUntil, lastRequestAt + this.appWindowMs);
  }

  /** The earliest time this conversation may get its next request (the app's limit aside). */
  conversationNextAllowedAt(conversationId: string, now: number): number {
    const conversation = this.conversations.get(conversationId);
    if (conversation === undefined) return now;
    return Math.max(conversation.blockedUntil, conversation.log.nextAllowedAt(now));
  }

  /** A request to the conversation goes out now. */
  record(conversationId: string, now: number): void {
    this.appLog.record(now);
    this.pacer.record(now);
    let conversation = this.conversations.get(conversationId);
    if (conversation === undefined) {
      conversation = { log: this.conversationLog(), blockedUntil: now };
      this.conversations.set(conversationId, conversation);
    }
    conversation.log.record(now);
    if (++this.recordsSinceSweep >= SWEEP_EVERY) this.sweep(now);
  }

  /**
   * A request recorded at `recordedAt` left only at `leftAt`: Teams counts it from when it arrives, so the
   * windows count it from when it left (its sender took the slot a moment before, while the request was made).
   */
  left(conversationId: string, recordedAt: number, leftAt: number): void {
    this.appLog.move(recordedAt, leftAt);
    this.conversations.get(conversationId)?.log.move(recordedAt, leftAt);
  }

  /**
   * A request sent at `sentAt` was answered 429: the conversation waits as long
   * as Teams asked, and the whole app slows down. Returns whether the rate was cut.
   */
  throttled(conversationId: string, sentAt: number, now: number, retryAfterMs: number | null): boolean {
    const conversation = this.conversations.get(conversationId);
    if (conversation !== undefined && retryAfterMs !== null) conversation.blockedUntil = Math.max(conversation.blockedUntil, now + retryAfterMs);
    return this.pacer.throttled(sentAt, now);
  }

  private conversationLog(): SlidingWindowLog {
    return new SlidingWindowLog(this.limits.perConversation.map(({ limit, windowMs }) => ({ limit, windowMs: windowMs + this.limits.safetyMarginMs })));
  }

  private sweep(now: number): void {
    this.recordsSinceSweep = 0;
    for (const [id, conversation] of this.conversations) {
      if (conversation.blockedUntil <= now && conversation.log.isEmpty(now)) this.conversations.delete(id);
    }
  }
}
