import { PeriodicPass } from '../core/periodicPass';
import type { Logger } from '../logger';
import type { AnnouncementService } from './announcementService';

/** How often each instance looks for announcements due for sending. */
export const ANNOUNCEMENT_SCHEDULER_INTERVAL_MS = 60_000;

/**
 * Sends scheduled announcements when their time comes. Every instance runs
 * one; the outbox ids name the announcement and its send time, and the
 * dispatch moves it from scheduled to sending under an etag, so two instances
 * (or two passes) finding the same announcement still send it once.
 */
export class AnnouncementScheduler {
  private readonly passes: PeriodicPass;

  constructor(
    private readonly service: Pick<AnnouncementService, 'enqueueDue'>,
    logger: Logger,
  ) {
    this.passes = new PeriodicPass(
      () => this.runOnce(),
      (error) => logger.error({ err: error }, 'announcement scheduler pass failed'),
    );
  }

  /** One look as of `now`; returns how many announcements were handed to the outbox. */
  runOnce(now: Date = new Date()): Promise<number> {
    return this.service.enqueueDue(now);
  }

  /** Runs a pass now and then every `intervalMs`, in the background. */
  start(intervalMs = ANNOUNCEMENT_SCHEDULER_INTERVAL_MS): void {
    this.passes.start(intervalMs);
  }

  /** Stops the timer and waits for the pass in flight. */
  stop(): Promise<void> {
    return this.passes.stop();
  }
}
