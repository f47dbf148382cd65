/**
 * Questions to the process advisors ("Spør prosessrådgiveren"): what the bot
 * could not answer, put to the people the process's rules name, with its life
 * from submission to answer.
 */

import type { Actor } from '../core/actor';
import type { ReplyLanguage } from '../language/detectLanguage';
import type { Posting, Route, UndeliverableRecipient } from '../routing/processRoutes';

export const QUESTION_STATES = ['submitted', 'taken', 'answered', 'forwarded', 'converted', 'withdrawn'] as const;
export type QuestionState = (typeof QUESTION_STATES)[number];

/** States in which nothing more is expected. */
export const FINAL_QUESTION_STATES: ReadonlySet<QuestionState> = new Set(['answered', 'converted', 'withdrawn']);

/** The form's fields, as the asker fills them in. */
export interface QuestionDraft {
  process: string;
  unit: string;
  text: string;
  /** The asker lets the answer be shown to colleagues who ask the same. */
  shareable: boolean;
}

export type QuestionAction = 'take' | 'answer' | 'forward' | 'convert' | 'withdraw';

export interface QuestionHistoryEntry {
  at: string;
  by: Actor;
  action: QuestionAction | 'submitted';
  from: QuestionState | null;
  to: QuestionState;
  /** The answer, or what the handler wrote with the step. */
  comment: string | null;
  /** For a conversion: the improvement suggestion it became. */
  suggestionId?: string;
}

export interface QuestionAnswer {
  text: string;
  by: Actor;
  at: string;
}

export type CurationAction = 'edit' | 'hide' | 'unhide' | 'promote' | 'demote';

/** One coordinator's change to how a question's answer is shared. */
export interface CurationEntry {
  at: string;
  by: Actor;
  action: CurationAction;
  /** For an edit: the shared text it set. */
  text?: string;
}

/**
 * How a coordinator curated a shared answer. The asker keeps the answer they were sent (`answer`); `text` is what later
 * askers see instead. A standing answer ("Fast svar") is adopted by the coordinator: shown first, at a lower threshold,
 * and kept after the asker has their data deleted (the asker is never shown, and the answer is now the coordinator's).
 */
export interface SharedAnswerCuration {
  text: string | null;
  hidden: boolean;
  standing: boolean;
  history: CurationEntry[];
}

export interface AdvisorQuestion extends QuestionDraft {
  /** Readable id, e.g. SP-2026-0001. */
  id: string;
  asker: Actor;
  state: QuestionState;
  /** Who took it. */
  assignee: Actor | null;
  route: Route;
  /** Whether the routed card has reached every recipient of its route (false: waiting in the outbox). */
  delivered: boolean;
  postings: Posting[];
  undeliverable: UndeliverableRecipient[];
  answer: QuestionAnswer | null;
  /** The improvement suggestion it was turned into. */
  suggestionId: string | null;
  history: QuestionHistoryEntry[];
  /** The asker's language, for the messages they get about it. */
  language: ReplyLanguage;
  createdAt: string;
  updatedAt: string;
  /** Absent until a coordinator first curates its shared answer. */
  curation?: SharedAnswerCuration;
}
