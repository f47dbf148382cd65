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
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly service: Pick<AnnouncementService, 'enqueueDue'>,
    private readonly logger: Logger,
  ) {}

  /** One look as of `now`; returns how many announcements were handed to the outbox. */
  runOnce(now: Date = new Date()): Promise<number> {
    return this.service.enqueueDue(now);
  }

  /** Runs a pass now and then every `intervalMs`; the timer does not keep the process alive. */
  start(intervalMs = ANNOUNCEMENT_SCHEDULER_INTERVAL_MS): void {
    if (this.timer !== null) return;
    const tick = () => {
      this.running = this.runOnce()
        .catch((error: unknown) => this.logger.error({ err: error }, 'announcement scheduler pass failed'))
        .finally(() => (this.running = null));
    };
    tick();
    this.timer = setInterval(() => {
      // A pass still running (slow storage) is not doubled up.
      if (this.running === null) tick();
    }, intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for the pass in flight. */
  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
