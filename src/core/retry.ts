/** Exponential backoff: the ceiling doubles from the base with each attempt, up to the max. */
export interface BackoffOptions {
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * The wait before retry number `attempt` + 1: "full jitter" (uniform between zero
 * and an exponentially growing ceiling) spreads out the retries of many messages
 * that failed together, such as a fan-out hitting Teams' rate limit. A server's
 * Retry-After is a floor: never sooner than it asked.
 */
export function retryDelayMs(attempt: number, backoff: BackoffOptions, random: () => number, retryAfterMs?: number): number {
  const ceiling = Math.min(backoff.maxDelayMs, backoff.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.floor(random() * ceiling);
  return retryAfterMs === undefined ? jittered : Math.max(retryAfterMs, jittered);
}
