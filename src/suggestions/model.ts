/**
 * Improvement suggestions (forbedringsforslag): what an employee submits, where
 * it was routed, and its life from submission to decision.
 */

import type { Actor } from '../core/actor';
import type { ReplyLanguage } from '../language/detectLanguage';
import type { Posting, Route, UndeliverableRecipient } from '../routing/processRoutes';

/** Systems a suggestion can concern (domain.md: DFØ supplies Unit4, SAP, Selvbetjeningsportalen and DFØ-appen). */
export const AFFECTED_SYSTEMS = ['unit4', 'sap', 'selvbetjeningsportalen', 'dfo-appen', 'annet'] as const;
export type AffectedSystem = (typeof AFFECTED_SYSTEMS)[number];

export const SUGGESTION_STATES = ['ny', 'under-vurdering', 'videresendt', 'sendt-bott', 'gjennomfort', 'avslatt', 'parkert', 'trukket'] as const;
export type SuggestionState = (typeof SUGGESTION_STATES)[number];

/** States in which nothing more is expected. */
export const FINAL_STATES: ReadonlySet<SuggestionState> = new Set(['gjennomfort', 'avslatt', 'trukket']);

/** The form's fields, as the submitter fills them in. */
export interface SuggestionDraft {
  process: string;
  unit: string;
  title: string;
  description: string;
  potential: string;
  system: AffectedSystem;
  mayContact: boolean;
}

// Where a routed card goes and whether it arrived: shared with the advisor questions, which are routed by the same rules.
export type { Posting, Route, RouteTarget, UndeliverableCause, UndeliverableRecipient } from '../routing/processRoutes';

export interface HistoryEntry {
  at: string;
  by: Actor;
  action: SuggestionAction | 'submitted' | 'supported';
  from: SuggestionState | null;
  to: SuggestionState;
  comment: string | null;
  /** For an assignment: who got it. */
  assignee?: string;
}

export type SuggestionAction = 'take' | 'assign' | 'forward' | 'send-to-bott' | 'implement' | 'reject' | 'park' | 'reopen' | 'withdraw';

export interface Suggestion extends SuggestionDraft {
  /** Readable id, e.g. FF-2026-0042. */
  id: string;
  submitter: Actor;
  state: SuggestionState;
  assignee: Actor | null;
  route: Route;
  /** Whether the routed card has reached its destination (false: waiting in the outbox). */
  delivered: boolean;
  supporters: Actor[];
  history: HistoryEntry[];
  /** The submitter's language, for the messages they get about it. */
  language: ReplyLanguage;
  /** Where the routed card was posted, so every copy can be updated in place. */
  postings: Posting[];
  /** Recipients the card could not be delivered to (absent on suggestions stored before this was kept). */
  undeliverable?: UndeliverableRecipient[];
  createdAt: string;
  updatedAt: string;
}
