import { AsyncLocalStorage } from 'node:async_hooks';
import { BroadcastRateLimiter, DEFAULT_RATE_LIMITS, DEFAULT_THROTTLE_RESPONSE, type RateLimits, type ThrottleResponse } from './rateLimiter';

export interface AppRateLimitOptions {
  limits?: Partial<RateLimits>;
  throttle?: Partial<ThrottleResponse>;
  /** Milliseconds since the epoch, never going back (default: steadyClock); injectable for tests. */
  clock?: () => number;
}

/** A request whose sender took its slot already (the engine), while it is being made. */
interface PacedRequest {
  recordedAt: number;
  left: boolean;
}

interface Waiter {
  conversationId: string;
  resolve: (sentAt: number) => void;
}

/**
 * The app's one rate limit, for every request it makes to Teams on its own
 * account (Teams counts them all against the app): the broadcast engine's, and
 * everything else the app sends (welcome cards, notifications, routed cards,
 * the coordinator's progress card). The engine paces itself on `limiter`
 * without waiting, and gives way to the others: a request waiting here takes
 * the next free slot, so a card the app sends beside a broadcast is neither
 * held up for long nor refused (429). Within one process: each instance keeps
 * its own.
 */
export class AppRateLimit {
  readonly limiter: BroadcastRateLimiter;
  readonly clock: () => number;
  private readonly waiters: Waiter[] = [];
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Number.POSITIVE_INFINITY;
  private readonly servedListeners: Array<() => void> = [];
  private readonly pacedRequests = new AsyncLocalStorage<PacedRequest>();

  constructor(options: AppRateLimitOptions = {}) {
    this.limiter = new BroadcastRateLimiter({ ...DEFAULT_RATE_LIMITS, ...options.limits }, { ...DEFAULT_THROTTLE_RESPONSE, ...options.throttle });
    this.clock = options.clock ?? steadyClock();
  }

  /**
   * Waits for a slot for one request to the conversation, and takes it; resolves to when it was taken. Its answer is
   * not told: it counts as reaching Teams within the safety margin.
   */
  take(conversationId: string): Promise<number> {
    return new Promise((resolve) => {
      this.waiters.push({ conversationId, resolve });
      this.serve();
    });
  }

  /**
   * Makes a request whose slot the caller took on `limiter` at `recordedAt` (the engine does, pacing itself):
   * it does not wait again, and counts in the app's windows until it is answered (see SlidingWindowLog).
   */
  async paced<T>(conversationId: string, recordedAt: number, request: () => Promise<T>): Promise<T> {
    try {
      return await this.pacedRequests.run({ recordedAt, left: false }, request);
    } finally {
      this.limiter.answered(conversationId, this.clock());
    }
  }

  /**
   * Called right before a request leaves; resolves to when its slot was taken. A request of `paced` passes at once;
   * any other waits for a slot (see take).
   */
  async leaving(conversationId: string): Promise<number> {
    const paced = this.pacedRequests.getStore();
    if (paced !== undefined && !paced.left) {
      paced.left = true;
      return paced.recordedAt;
    }
    return this.take(conversationId);
  }

  /** Whether a request waiting here could go now: then the engine leaves the slot to it. */
  hasWaiting(now: number): boolean {
    return this.waiters.some((waiter) => this.limiter.conversationNextAllowedAt(waiter.conversationId, now) <= now);
  }

  /**
   * A request that took a slot at `sentAt` was answered 429 (see BroadcastRateLimiter.throttled). A request of
   * `paced` is told by its pipeline and by its sender, with the same sent time: it counts once.
   */
  throttled(conversationId: string, sentAt: number, retryAfterMs: number | null): void {
    this.limiter.throttled(conversationId, sentAt, this.clock(), retryAfterMs);
  }

  /** Called after waiting requests took their slots (the engine goes on then). */
  onServed(listener: () => void): void {
    this.servedListeners.push(listener);
  }

  private serve(): void {
    const now = this.clock();
    let served = false;
    let nextAt = Number.POSITIVE_INFINITY;
    while (this.waiters.length > 0) {
      const appAt = this.limiter.appNextAllowedAt(now);
      if (appAt > now) {
        nextAt = appAt;
        break;
      }
      // The first whose conversation may have a request now; the others keep their place.
      const index = this.waiters.findIndex((waiter) => this.limiter.conversationNextAllowedAt(waiter.conversationId, now) <= now);
      if (index < 0) {
        nextAt = Math.min(...this.waiters.map((waiter) => this.limiter.conversationNextAllowedAt(waiter.conversationId, now)));
        break;
      }
      const [waiter] = this.waiters.splice(index, 1) as [Waiter];
      this.limiter.recordUnanswered(waiter.conversationId, now);
      waiter.resolve(now);
      served = true;
    }
    this.schedule(nextAt);
    if (served) for (const listener of this.servedListeners) listener();
  }

  private schedule(at: number): void {
    if (at === this.timerAt) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = at;
    if (at === Number.POSITIVE_INFINITY) return;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.timerAt = Number.POSITIVE_INFINITY;
        this.serve();
      },
      Math.max(0, at - this.clock()),
    );
  }
}

/**
 * Wall-clock time that only moves forward: the time at start plus the
 * monotonic time since. The rate limits are windows over this clock, and a
 * wall clock stepped back (a VM's clock corrected) would let through more
 * requests than the window allows.
 */
export function steadyClock(): () => number {
  const startedAt = Date.now() - performance.now();
  return () => startedAt + performance.now();
}
