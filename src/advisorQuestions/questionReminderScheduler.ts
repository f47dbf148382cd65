import { PeriodicPass } from '../core/periodicPass';
import type { Logger } from '../logger';
import type { AdvisorQuestion } from './model';
import { dueQuestionReminders, type QuestionFollowUpOutbox } from './questionFollowUp';

export interface QuestionReminderSchedulerOptions {
  questions: { list(): Promise<AdvisorQuestion[]> };
  outbox: QuestionFollowUpOutbox;
  workingDays: number;
  logger: Logger;
}

/**
 * Looks for questions that have waited too long for an answer and puts their reminders in the outbox. Every instance
 * runs one: the outbox ids name the step waited after, so two instances (or two passes) finding the same thing send it once.
 */
export class QuestionReminderScheduler {
  private readonly passes: PeriodicPass;

  constructor(private readonly options: QuestionReminderSchedulerOptions) {
    this.passes = new PeriodicPass(
      () => this.runOnce(),
      (error) => options.logger.error({ err: error }, 'advisor question reminder pass failed'),
    );
  }

  /** One look at the questions as of `now`; the number of reminders handed to the outbox (those already there count too). */
  async runOnce(now: Date = new Date()): Promise<number> {
    const reminders = dueQuestionReminders(await this.options.questions.list(), now, this.options.workingDays);
    for (const reminder of reminders) await this.options.outbox.enqueue(reminder);
    if (reminders.length > 0) void this.options.outbox.kick();
    return reminders.length;
  }

  start(intervalMs: number): void {
    this.passes.start(intervalMs);
  }

  stop(): Promise<void> {
    return this.passes.stop();
  }
}
