import type { DirectoryIndex } from '../directory/directoryIndex';
import type { Logger } from '../logger';
import { dueDigests, dueReminders, type FollowUpOutbox } from './followUp';
import type { Suggestion } from './model';

export interface FollowUpSchedulerOptions {
  suggestions: { list(): Promise<Suggestion[]> };
  directory: () => DirectoryIndex;
  outbox: FollowUpOutbox;
  /** COORDINATORS: e-mail addresses or user ids, lower-cased. */
  coordinators: ReadonlySet<string>;
  reminderDays: number;
  logger: Logger;
}

export interface FollowUpPass {
  /** Reminders and digests handed to the outbox; those already there are counted too (enqueueing is idempotent). */
  reminders: number;
  digests: number;
}

/**
 * Looks for overdue suggestions and, from Monday 08:00, the week's digest, and
 * puts what is due in the outbox. Every instance runs one: the outbox ids name
 * the quiet period and the week, so enqueueing is idempotent and two instances
 * (or two passes) finding the same thing still send it once.
 */
export class FollowUpScheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(private readonly options: FollowUpSchedulerOptions) {}

  /** One look at the suggestions as of `now`. */
  async runOnce(now: Date = new Date()): Promise<FollowUpPass> {
    const suggestions = await this.options.suggestions.list();
    const reminders = dueReminders(suggestions, now, this.options.reminderDays);
    const digests = dueDigests(suggestions, {
      now,
      reminderDays: this.options.reminderDays,
      index: this.options.directory(),
      coordinators: this.options.coordinators,
    });
    for (const message of [...reminders, ...digests]) await this.options.outbox.enqueue(message);
    if (reminders.length + digests.length > 0) this.options.outbox.kick();
    return { reminders: reminders.length, digests: digests.length };
  }

  /** Runs a pass now and then every `intervalMs`; the timer does not keep the process alive. */
  start(intervalMs: number): void {
    if (this.timer !== null) return;
    const tick = () => {
      this.running = this.runOnce()
        .catch((error: unknown) => this.options.logger.error({ err: error }, 'suggestion follow-up pass failed'))
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
