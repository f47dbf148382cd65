import { addNorwegianWorkingDays } from '../core/workingDays';
import type { Outbox } from '../delivery/outboxJobs';
import { routeRecipients } from '../routing/processRoutes';
import { reachedRecipients, reminderRecipientKey, type ReminderRecipient } from '../routing/reminderRecipients';
import type { AdvisorQuestion, QuestionState } from './model';

/** Message kinds of the questions' follow-up; the Teams layer delivers them. */
export const QUESTION_FOLLOW_UP_MESSAGES = {
  /** Remind whoever received (or took) a question that it still waits for an answer. */
  reminder: 'advisor-question-reminder',
} as const;

export interface QuestionReminderPayload {
  questionId: string;
  /** When the question's last step happened: the start of the wait the reminder is about. */
  quietSince: string;
  /** When the scheduler found it due; the delivery may come later (the recipient may not have the bot yet). */
  foundAt: string;
  recipient: ReminderRecipient;
}

export interface QuestionFollowUpPayloads {
  [QUESTION_FOLLOW_UP_MESSAGES.reminder]: QuestionReminderPayload;
}

export type QuestionFollowUpOutbox = Outbox<QuestionFollowUpPayloads>;

/**
 * The states in which the receivers owe the asker an answer. A forwarded question has left them for the process
 * manager, and the other states are final.
 */
const AWAITING_ANSWER: ReadonlySet<QuestionState> = new Set(['submitted', 'taken']);

export function awaitsAnswer(question: AdvisorQuestion): boolean {
  return AWAITING_ANSWER.has(question.state);
}

/** When the question's last step happened (its submission, or its being taken). */
export function questionQuietSince(question: AdvisorQuestion): string {
  return question.history.at(-1)?.at ?? question.createdAt;
}

/** Whether the question has waited `workingDays` Norwegian working days or more since its last step. */
export function isQuestionOverdue(question: AdvisorQuestion, now: Date, workingDays: number): boolean {
  return awaitsAnswer(question) && addNorwegianWorkingDays(questionQuietSince(question), workingDays).getTime() <= now.getTime();
}

/**
 * Who is reminded: the advisor who took it; otherwise the receivers of its route, but only where the card reached them
 * (elsewhere the card itself still waits in the outbox, and the digest counts it).
 */
export function questionReminderRecipients(question: AdvisorQuestion): ReminderRecipient[] {
  if (question.state === 'taken' && question.assignee) return [{ kind: 'assignee', id: question.assignee.id, email: question.assignee.email ?? null }];
  return reachedRecipients(routeRecipients(question.route), question.postings);
}

export type QuestionReminderMessage = { id: string; kind: typeof QUESTION_FOLLOW_UP_MESSAGES.reminder; payload: QuestionReminderPayload };

/**
 * The reminders due at `now`: one per recipient of each overdue question. The id names the step it waits after (the
 * time of its last change), so however often this runs, and on however many instances, each step reminds once: a
 * submitted question once, and once more after it is taken.
 */
export function dueQuestionReminders(questions: readonly AdvisorQuestion[], now: Date, workingDays: number): QuestionReminderMessage[] {
  return questions
    .filter((question) => isQuestionOverdue(question, now, workingDays))
    .flatMap((question) =>
      questionReminderRecipients(question).map((recipient) => ({
        id: `question-remind:${question.id}:${questionQuietSince(question)}:${reminderRecipientKey(recipient)}`,
        kind: QUESTION_FOLLOW_UP_MESSAGES.reminder,
        payload: { questionId: question.id, quietSince: questionQuietSince(question), foundAt: now.toISOString(), recipient },
      })),
    );
}

/** The questions' line in the coordinators' weekly digest. */
export interface QuestionDigestCounts {
  /** Submitted or taken: waiting for an answer. */
  unanswered: number;
  /** Of those, waiting longer than the reminder threshold. */
  overdue: number;
  /** With the process manager. */
  forwarded: number;
  reminderWorkingDays: number;
}

export function countQuestionsForDigest(questions: readonly AdvisorQuestion[], now: Date, workingDays: number): QuestionDigestCounts {
  return {
    unanswered: questions.filter(awaitsAnswer).length,
    overdue: questions.filter((question) => isQuestionOverdue(question, now, workingDays)).length,
    forwarded: questions.filter((question) => question.state === 'forwarded').length,
    reminderWorkingDays: workingDays,
  };
}
