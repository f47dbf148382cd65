import { PeriodicPass } from '../core/periodicPass';
import type { DirectoryIndex } from '../directory/directoryIndex';
import type { Logger } from '../logger';
import type { QuestionDigestCounts } from '../advisorQuestions/questionFollowUp';
import { digestWeekDue, dueDigests, dueReminders, type FollowUpOutbox } from './followUp';
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
  private readonly passes: PeriodicPass;
  private countQuestions: ((now: Date) => Promise<QuestionDigestCounts>) | null = null;

  constructor(private readonly options: FollowUpSchedulerOptions) {
    this.passes = new PeriodicPass(
      () => this.runOnce(),
      (error) => options.logger.error({ err: error }, 'suggestion follow-up pass failed'),
    );
  }

  /**
   * Counts the questions to the advisors in the weekly digest too. Set by that capability, which opens after this one
   * (its conversion into suggestions needs the suggestions).
   */
  includeQuestionsInDigest(count: (now: Date) => Promise<QuestionDigestCounts>): void {
    this.countQuestions = count;
  }

  /** One look at the suggestions as of `now`. */
  async runOnce(now: Date = new Date()): Promise<FollowUpPass> {
    const suggestions = await this.options.suggestions.list();
    const reminders = dueReminders(suggestions, now, this.options.reminderDays);
    const week = digestWeekDue(now);
    const digests = dueDigests(suggestions, {
      now,
      reminderDays: this.options.reminderDays,
      index: this.options.directory(),
      coordinators: this.options.coordinators,
      // Counted only when a digest is due: the questions are not read every pass for nothing.
      ...(week !== null && this.countQuestions ? { questions: await this.countQuestions(now) } : {}),
    });
    for (const message of [...reminders, ...digests]) await this.options.outbox.enqueue(message);
    if (reminders.length + digests.length > 0) void this.options.outbox.kick();
    return { reminders: reminders.length, digests: digests.length };
  }

  /** Runs a pass now and then every `intervalMs`, in the background. */
  start(intervalMs: number): void {
    this.passes.start(intervalMs);
  }

  /** Stops the timer and waits for the pass in flight. */
  stop(): Promise<void> {
    return this.passes.stop();
  }
}
