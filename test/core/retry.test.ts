import { describe, expect, it } from 'vitest';
import { retryDelayMs } from '../../src/core/retry';

describe('retryDelayMs', () => {
  const backoff = { baseDelayMs: 1000, maxDelayMs: 300_000 };

  it('grows exponentially up to the cap, with full jitter', () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, backoff, () => 0.999_999))).toEqual([999, 1999, 3999, 7999]);
    expect(retryDelayMs(10, backoff, () => 0.5)).toBe(150_000);
    expect(retryDelayMs(40, backoff, () => 0.5)).toBe(150_000);
    expect(retryDelayMs(3, backoff, () => 0)).toBe(0);
  });

  it('never retries sooner than the server asked', () => {
    expect(retryDelayMs(1, backoff, () => 0.5, 30_000)).toBe(30_000);
    expect(retryDelayMs(12, backoff, () => 0.5, 30_000)).toBe(150_000);
    // Beyond the cap too: it is the server's word.
    expect(retryDelayMs(1, backoff, () => 0.5, 600_000)).toBe(600_000);
  });
});
