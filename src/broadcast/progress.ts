import type { BroadcastProgress, BroadcastSummary, RecipientState } from './model';

export interface RecipientCounts {
  total: number;
  sent: number;
  failed: number;
  unreachable: number;
  skipped: number;
}

/** Counts recipients by state. */
export function countRecipients(states: Iterable<RecipientState>): RecipientCounts {
  const counts: RecipientCounts = { total: 0, sent: 0, failed: 0, unreachable: 0, skipped: 0 };
  for (const state of states) {
    counts.total += 1;
    if (state !== 'pending') counts[state] += 1;
  }
  return counts;
}

/** How many things happened per second lately: over the last `windowMs`, or since the start if that is shorter. */
export class RateMeter {
  private readonly times: number[] = [];

  constructor(
    private readonly startedAt: number,
    private readonly windowMs = 10_000,
  ) {}

  record(at: number): void {
    this.times.push(at);
  }

  perSecond(now: number): number {
    while (this.times.length > 0 && (this.times[0] as number) <= now - this.windowMs) this.times.shift();
    const spanMs = Math.min(this.windowMs, now - this.startedAt);
    return spanMs > 0 ? (this.times.length * 1000) / spanMs : 0;
  }
}

export interface LiveFigures {
  inFlight: number;
  ratePerSecond: number;
}

/**
 * The progress of a broadcast: from its stored state, with the rate and ETA when
 * this instance is sending it (`live`), otherwise without.
 */
export function progressOf(summary: BroadcastSummary, counts: RecipientCounts, live: LiveFigures | null): BroadcastProgress {
  const remaining = counts.total - counts.sent - counts.failed - counts.unreachable - counts.skipped;
  const rate = live?.ratePerSecond ?? null;
  return {
    broadcastId: summary.id,
    kind: summary.kind,
    total: counts.total,
    sent: counts.sent,
    failed: counts.failed,
    unreachable: counts.unreachable,
    skipped: counts.skipped,
    remaining,
    inFlight: live?.inFlight ?? 0,
    ratePerSecond: rate,
    etaSeconds: remaining === 0 ? 0 : rate !== null && rate > 0 ? remaining / rate : null,
    startedAt: summary.startedAt,
    finishedAt: summary.finishedAt,
    possibleDuplicates: summary.possibleDuplicates,
    done: summary.status === 'done',
  };
}

/** A third of the time reported on so far: see progressSpacingMs. */
const PROGRESS_SPACING_SHARE = 1 / 3;
const MAX_PROGRESS_SPACING_MS = 60_000;

/**
 * How long until the next progress report: later reports come further apart, a third of the time reported on so far
 * (at least the interval, at most a minute). Each report is a request to Teams in the same rate limit as the
 * recipients' sends; a coordinator wants to see a send start and go on, not a card that changes every few seconds for
 * an hour (a 5,000-person send at 50/s gets 10 reports instead of 22).
 */
export function progressSpacingMs(intervalMs: number, sinceFirstReportMs: number): number {
  return Math.max(intervalMs, Math.min(MAX_PROGRESS_SPACING_MS, sinceFirstReportMs * PROGRESS_SPACING_SHARE));
}
