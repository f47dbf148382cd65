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
 * - exceeding them is answered 429; "as the exact values of rate limits are
 *   subject to change", back off on 429, exponentially with random jitter, and
 *   retry 412, 502 and 504 as well.
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
   * How long after it leaves a request is taken to have reached Teams when the
   * limiter is not told of its answer (requests other than the engine's, and
   * another instance's before a handover). Teams counts requests when they
   * arrive; a request whose answer the limiter is told of counts until then
   * instead (it cannot have arrived later), which needs no guess.
   */
  safetyMarginMs: number;
}

export interface ThrottleResponse {
  /** When Teams shows the app over its limit (see ThrottleDetector) the allowed rate is multiplied by this (default 0.9)… */
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
  // Only for the few requests whose answer the limiter is not told of (progress cards, welcome cards): a wide margin costs
  // little. 25 ms, when it applied to every request, let a few in 5,000 arrive one too many in a window on 2 busy cores.
  safetyMarginMs: 200,
};

export const DEFAULT_THROTTLE_RESPONSE: ThrottleResponse = { decreaseFactor: 0.9, rampUpMs: 2000, minRequestsPerSecond: 1 };

/**
 * The requests that may still count in a window of Teams: those out (not
 * answered yet), and those answered (or taken to have arrived) at a time, which
 * count until that time plus the window. Teams counts a request when it
 * arrives, at the latest when it is answered: a request may go when, counting
 * every earlier request that way, every window still has room. Arrival
 * jitter then needs no margin, only the answers' time.
 */
export class SlidingWindowLog {
  /** When the requests that are no longer out reached Teams at the latest, in order. */
  private readonly times: number[] = [];
  private out = 0;
  private readonly longestMs: number;

  constructor(private readonly windows: readonly WindowLimit[]) {
    for (const window of windows) {
      if (!(window.limit >= 1 && window.windowMs > 0))
        throw new Error(`A rate window needs a limit of at least 1 and a positive length (got ${window.limit} in ${window.windowMs} ms).`);
    }
    this.longestMs = Math.max(0, ...windows.map((window) => window.windowMs));
  }

  /** The earliest time at or after `now` when one more request stays within every window. */
  nextAllowedAt(now: number): number {
    this.forget(now);
    let at = now;
    for (const { limit, windowMs } of this.windows) {
      // As many out as the window allows: answered now at the earliest, they fill it for a window from then.
      if (this.out >= limit) at = Math.max(at, now + windowMs);
      // A window ending at t holds the requests in (t - windowMs, t]; beside those out, the (limit - out)-th latest must have left it.
      const blocking = this.times[this.times.length - (limit - this.out)];
      if (this.out < limit && blocking !== undefined) at = Math.max(at, blocking + windowMs);
    }
    return at;
  }

  /** A request goes now, and counts until it is answered (see answered). */
  sent(): void {
    this.out += 1;
  }

  /** A request out was answered at `at`: it reached Teams no later. */
  answered(at: number): void {
    this.out = Math.max(0, this.out - 1);
    this.record(at);
  }

  /** A request counted as having reached Teams at `at` (a time taken for it, its answer unknown). */
  record(at: number): void {
    let index = this.times.length;
    while (index > 0 && (this.times[index - 1] as number) > at) index -= 1;
    this.times.splice(index, 0, at);
  }

  /** Nothing out, nor recorded within the longest window. */
  isEmpty(now: number): boolean {
    this.forget(now);
    return this.out === 0 && this.times.length === 0;
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
 * intervals; the allowed rate drops by a factor when cut and climbs back.
 */
class AdaptivePacer {
  /** When the next request is due if the rate were kept exactly (the "theoretical arrival time"). */
  private dueAt = Number.NEGATIVE_INFINITY;
  private factor = 1;
  private factorAt = Number.NEGATIVE_INFINITY;

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

  cut(now: number): void {
    const floor = this.response.minRequestsPerSecond / 1000 / this.maxPerMs;
    this.factor = Math.max(Math.min(1, floor), this.currentFactor(now) * this.response.decreaseFactor);
    this.factorAt = now;
  }

  private currentFactor(now: number): number {
    if (this.factor >= 1) return 1;
    return Math.min(1, this.factor + Math.max(0, now - this.factorAt) / this.response.rampUpMs);
  }

  private intervalMs(now: number): number {
    return 1 / (this.maxPerMs * this.currentFactor(now));
  }
}

/** Over how long 429s are set against the requests sent… */
const THROTTLE_WINDOW_MS = 2000;
/** …and the share of them beyond which the app, not one request, is over the limit. */
const THROTTLED_SHARE = 0.05;

/**
 * Tells a 429 that shows the app over Teams' limit from the occasional one.
 * Microsoft's guidance (the rate-limit page above) is to back off on 429 "with
 * random jitter … so that multiple requests don't introduce collisions on
 * retries": the refused request waits (Retry-After), and nothing says the
 * others were too many. Teams refuses a few requests of an app well within its
 * limits too (the bench's stand-in 2%); cutting the whole app's rate for each
 * cost it a rate cut about every second at 50/s. Only when 429s are more than
 * THROTTLED_SHARE of the requests of the last THROTTLE_WINDOW_MS is the app
 * taken to be over a limit lower than it was told ("subject to change"), and
 * slowed down; once per round trip, as 429s for requests sent before a cut
 * answer a rate already cut. A 429 told twice (by the request's pipeline and by
 * the engine that made it: same conversation, same sent time) counts once.
 */
class ThrottleDetector {
  private readonly sentTimes: number[] = [];
  private readonly throttles: Array<{ conversationId: string; sentAt: number; at: number }> = [];
  private lastCutAt = Number.NEGATIVE_INFINITY;

  sent(at: number): void {
    this.sentTimes.push(at);
  }

  /** A 429 for a request sent at `sentAt`: whether the app should slow down for it. */
  throttled(conversationId: string, sentAt: number, now: number): boolean {
    this.forget(now);
    if (this.throttles.some((throttle) => throttle.conversationId === conversationId && throttle.sentAt === sentAt)) return false;
    this.throttles.push({ conversationId, sentAt, at: now });
    if (sentAt < this.lastCutAt) return false;
    const since = now - THROTTLE_WINDOW_MS;
    const sent = this.sentTimes.filter((at) => at > since).length;
    const throttled = this.throttles.filter((throttle) => throttle.sentAt >= this.lastCutAt).length;
    if (throttled <= THROTTLED_SHARE * sent) return false;
    this.lastCutAt = now;
    return true;
  }

  private forget(now: number): void {
    const since = now - THROTTLE_WINDOW_MS;
    while (this.sentTimes.length > 0 && (this.sentTimes[0] as number) <= since) this.sentTimes.shift();
    while (this.throttles.length > 0 && (this.throttles[0] as { at: number }).at <= since) this.throttles.shift();
  }
}

/** How often the per-conversation logs are swept for conversations no longer in any window. */
const SWEEP_EVERY = 1000;

/** The app's limit and each conversation's, together. */
export class BroadcastRateLimiter {
  private readonly appLog: SlidingWindowLog;
  private readonly pacer: AdaptivePacer;
  private readonly detector = new ThrottleDetector();
  private readonly conversations = new Map<string, { log: SlidingWindowLog; blockedUntil: number }>();
  private recordsSinceSweep = 0;
  /** No request before this (see afterOtherSender). */
  private quietUntil = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly limits: RateLimits = DEFAULT_RATE_LIMITS,
    response: ThrottleResponse = DEFAULT_THROTTLE_RESPONSE,
  ) {
    if (!(limits.requestsPerSecond > 0)) throw new Error('The rate limit needs a positive number of requests a second.');
    if (!(limits.safetyMarginMs >= 0)) throw new Error('The safety margin cannot be negative.');
    if (!(response.decreaseFactor > 0 && response.decreaseFactor < 1)) throw new Error('The decrease factor on 429 must be between 0 and 1.');
    const appWindow = { limit: Math.max(1, Math.floor(limits.requestsPerSecond)), windowMs: 1000 };
    this.appLog = new SlidingWindowLog([appWindow]);
    this.pacer = new AdaptivePacer(appWindow.limit / appWindow.windowMs, response);
    // Fails now, not at the first send, if a window is malformed.
    this.conversationLog();
  }

  /** Requests a second the app may send now (below the limit for a while after it was found over it). */
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
   * hold. Waiting until that window has passed (the margin for its last
   * requests to arrive included) keeps the app within its limit across the handover.
   */
  afterOtherSender(lastRequestAt: number): void {
    this.quietUntil = Math.max(this.quietUntil, lastRequestAt + this.limits.safetyMarginMs + 1000);
  }

  /** The earliest time this conversation may get its next request (the app's limit aside). */
  conversationNextAllowedAt(conversationId: string, now: number): number {
    const conversation = this.conversations.get(conversationId);
    if (conversation === undefined) return now;
    return Math.max(conversation.blockedUntil, conversation.log.nextAllowedAt(now));
  }

  /** A request to the conversation goes now; it counts until its answer is told (answered). */
  record(conversationId: string, now: number): void {
    this.appLog.sent();
    this.conversation(conversationId, now).log.sent();
    this.recorded(now);
  }

  /** The request to the conversation recorded earlier was answered now (whatever the answer). */
  answered(conversationId: string, now: number): void {
    this.appLog.answered(now);
    this.conversations.get(conversationId)?.log.answered(now);
  }

  /** A request to the conversation goes now whose answer will not be told: it counts as reaching Teams within the safety margin. */
  recordUnanswered(conversationId: string, now: number): void {
    const arrivedBy = now + this.limits.safetyMarginMs;
    this.appLog.record(arrivedBy);
    this.conversation(conversationId, now).log.record(arrivedBy);
    this.recorded(now);
  }

  /**
   * A request sent at `sentAt` was answered 429: the conversation waits as long
   * as Teams asked, and, when 429s show the app over its limit (ThrottleDetector),
   * the whole app slows down. Returns whether it did.
   */
  throttled(conversationId: string, sentAt: number, now: number, retryAfterMs: number | null): boolean {
    const conversation = this.conversations.get(conversationId);
    if (conversation !== undefined && retryAfterMs !== null) conversation.blockedUntil = Math.max(conversation.blockedUntil, now + retryAfterMs);
    if (!this.detector.throttled(conversationId, sentAt, now)) return false;
    this.pacer.cut(now);
    return true;
  }

  private conversation(conversationId: string, now: number): { log: SlidingWindowLog; blockedUntil: number } {
    let conversation = this.conversations.get(conversationId);
    if (conversation === undefined) {
      conversation = { log: this.conversationLog(), blockedUntil: now };
      this.conversations.set(conversationId, conversation);
    }
    return conversation;
  }

  private recorded(now: number): void {
    this.pacer.record(now);
    this.detector.sent(now);
    if (++this.recordsSinceSweep >= SWEEP_EVERY) this.sweep(now);
  }

  private conversationLog(): SlidingWindowLog {
    return new SlidingWindowLog(this.limits.perConversation);
  }

  private sweep(now: number): void {
    this.recordsSinceSweep = 0;
    for (const [id, conversation] of this.conversations) {
      if (conversation.blockedUntil <= now && conversation.log.isEmpty(now)) this.conversations.delete(id);
    }
  }
}
