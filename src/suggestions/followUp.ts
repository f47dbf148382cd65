import type { DirectoryIndex } from '../directory/directoryIndex';
import { ROLE } from '../directory/model';
import { FINAL_STATES, SUGGESTION_STATES, type Suggestion, type SuggestionState } from './model';
import { inOslo } from '../core/osloTime';
import { routeRecipients } from './suggestionService';
import type { Outbox } from '../delivery/outboxJobs';
import { reachedRecipients, reminderRecipientKey, type ReminderRecipient } from '../routing/reminderRecipients';
import type { QuestionDigestCounts } from '../advisorQuestions/questionFollowUp';

/** Message kinds of the follow-up; the Teams layer delivers them. */
export const FOLLOW_UP_MESSAGES = {
  /** Remind whoever holds a suggestion that it has waited too long. */
  reminder: 'suggestion-reminder',
  /** The weekly overview for one coordinator. */
  digest: 'suggestion-digest',
} as const;

export interface ReminderPayload {
  suggestionId: string;
  /** When the suggestion's last change happened: the start of the quiet period the reminder is about. */
  quietSince: string;
  /** When the scheduler found it overdue; the delivery may come later (the recipient may not have the bot yet). */
  foundAt: string;
  recipient: ReminderRecipient;
}

export interface DigestPayload {
  /** The e-mail address of the coordinator it is for. */
  coordinator: string;
  digest: SuggestionDigest;
}

export interface ProcessCounts {
  process: string;
  counts: Record<SuggestionState, number>;
  total: number;
}

/** How many suggestions there are in each process and state, as of one moment. */
export interface SuggestionDigest {
  /** ISO week, e.g. 2026-W10. */
  week: string;
  asOf: string;
  reminderDays: number;
  /** Processes with at least one suggestion, in the directory's order. */
  processes: ProcessCounts[];
  total: number;
  /** Not yet final, and the card has not reached everyone it was routed to. */
  awaitingDelivery: number;
  /** Waiting for someone to act for longer than the reminder threshold. */
  overdue: number;
  /** The questions to the advisors still waiting for an answer (absent when the app has none, and in digests from before). */
  questions?: QuestionDigestCounts;
}

/** The payload of each kind of follow-up message. */
export interface FollowUpMessagePayloads {
  [FOLLOW_UP_MESSAGES.reminder]: ReminderPayload;
  [FOLLOW_UP_MESSAGES.digest]: DigestPayload;
}

/** A reminder or a digest, as it goes into the outbox. */
export type FollowUpMessage = { [K in keyof FollowUpMessagePayloads]: { id: string; kind: K; payload: FollowUpMessagePayloads[K] } }[keyof FollowUpMessagePayloads];

/** The outbox as the follow-up needs it (see src/delivery). */
export type FollowUpOutbox = Outbox<FollowUpMessagePayloads>;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Whether someone is expected to act. A parked suggestion was put aside on
 * purpose (its handler decided to wait, and can reopen it), so reminding about
 * it would only nag; the digest still counts it for the coordinators.
 */
export function awaitsAction(suggestion: Suggestion): boolean {
  return !FINAL_STATES.has(suggestion.state) && suggestion.state !== 'parkert';
}

/** When anything last happened to the suggestion (submission, support or a change of state). */
export function quietSince(suggestion: Suggestion): string {
  return suggestion.history.at(-1)?.at ?? suggestion.createdAt;
}

export function isOverdue(suggestion: Suggestion, now: Date, reminderDays: number): boolean {
  return awaitsAction(suggestion) && now.getTime() - Date.parse(quietSince(suggestion)) >= reminderDays * DAY_MS;
}

/**
 * Who is reminded: the assignee, who took the suggestion on; but once it has
 * been forwarded, the process managers it was forwarded to hold it. Route
 * recipients are reminded only where the card reached them: elsewhere the card
 * itself still waits in the outbox, and the digest counts it.
 */
export function reminderRecipients(suggestion: Suggestion): ReminderRecipient[] {
  if (suggestion.assignee && suggestion.state !== 'videresendt') {
    return [{ kind: 'assignee', id: suggestion.assignee.id, email: suggestion.assignee.email ?? null }];
  }
  return reachedRecipients(routeRecipients(suggestion), suggestion.postings);
}

/**
 * The reminders due at `now`: one per recipient of each overdue suggestion.
 * The id names the quiet period (the time of the last change), so however often
 * this runs, and on however many instances, a quiet period gives one reminder;
 * if it stays quiet after that, the weekly digest shows it to the coordinators.
 */
export function dueReminders(suggestions: readonly Suggestion[], now: Date, reminderDays: number): FollowUpMessage[] {
  return suggestions
    .filter((suggestion) => isOverdue(suggestion, now, reminderDays))
    .flatMap((suggestion) =>
      reminderRecipients(suggestion).map((recipient) => ({
        id: `remind:${suggestion.id}:${quietSince(suggestion)}:${reminderRecipientKey(recipient)}`,
        kind: FOLLOW_UP_MESSAGES.reminder,
        payload: { suggestionId: suggestion.id, quietSince: quietSince(suggestion), foundAt: now.toISOString(), recipient },
      })),
    );
}

/** The digest is sent from Monday 08:00 Norwegian time. */
const DIGEST_WEEKDAY = 1;
const DIGEST_HOUR = 8;

/** The ISO week (e.g. 2026-W10) that an instant falls in, in Norway. */
export function isoWeek(at: Date): string {
  return inOslo(at).toFormat("kkkk-'W'WW");
}

/**
 * The week whose digest is due at `now`, or null before Monday 08:00 in Norway.
 * Any time later in the week counts, so a week whose Monday every instance
 * missed (a deployment, an outage) still gets its digest.
 */
export function digestWeekDue(now: Date): string | null {
  const local = inOslo(now);
  if (local.weekday === DIGEST_WEEKDAY && local.hour < DIGEST_HOUR) return null;
  return isoWeek(now);
}

/** Counts by process and state, in the given process order (codes the directory no longer has come last). */
export function computeDigest(suggestions: readonly Suggestion[], options: { now: Date; reminderDays: number; processOrder: readonly string[] }): SuggestionDigest {
  const byProcess = new Map<string, ProcessCounts>();
  for (const suggestion of suggestions) {
    let row = byProcess.get(suggestion.process);
    if (!row) {
      row = { process: suggestion.process, counts: Object.fromEntries(SUGGESTION_STATES.map((state) => [state, 0])) as Record<SuggestionState, number>, total: 0 };
      byProcess.set(suggestion.process, row);
    }
    row.counts[suggestion.state] += 1;
    row.total += 1;
  }
  const rank = (code: string) => {
    const index = options.processOrder.indexOf(code);
    return index === -1 ? options.processOrder.length : index;
  };
  return {
    week: isoWeek(options.now),
    asOf: options.now.toISOString(),
    reminderDays: options.reminderDays,
    processes: [...byProcess.values()].sort((a, b) => rank(a.process) - rank(b.process) || a.process.localeCompare(b.process)),
    total: suggestions.length,
    awaitingDelivery: suggestions.filter((suggestion) => !suggestion.delivered && !FINAL_STATES.has(suggestion.state)).length,
    overdue: suggestions.filter((suggestion) => isOverdue(suggestion, options.now, options.reminderDays)).length,
  };
}

/**
 * Who gets the digest: the configured coordinators given by e-mail (user ids
 * cannot be looked up without a conversation) and the directory's management
 * coordinator(s); lower-cased, each once.
 */
export function digestRecipients(configured: ReadonlySet<string>, index: DirectoryIndex): string[] {
  const emails = [...configured].filter((entry) => entry.includes('@'));
  for (const person of index.holdersOfRole(ROLE.managementCoordinator)) emails.push(person.email);
  return [...new Set(emails.map((email) => email.toLowerCase()))];
}

/** This week's digest for each coordinator, if it is due; the id makes it one per coordinator and week. */
export function dueDigests(
  suggestions: readonly Suggestion[],
  options: { now: Date; reminderDays: number; index: DirectoryIndex; coordinators: ReadonlySet<string>; questions?: QuestionDigestCounts },
): FollowUpMessage[] {
  const week = digestWeekDue(options.now);
  if (week === null) return [];
  const digest: SuggestionDigest = {
    ...computeDigest(suggestions, {
      now: options.now,
      reminderDays: options.reminderDays,
      processOrder: options.index.directory.processes.map((process) => process.code),
    }),
    ...(options.questions ? { questions: options.questions } : {}),
  };
  return digestRecipients(options.coordinators, options.index).map((coordinator) => ({
    id: `digest:${week}:${coordinator}`,
    kind: FOLLOW_UP_MESSAGES.digest,
    payload: { coordinator, digest },
  }));
}
