/**
 * Improvement suggestions (forbedringsforslag): what an employee submits, where
 * it was routed, and its life from submission to decision.
 */

import type { Actor } from '../core/actor';
import type { ReplyLanguage } from '../language/detectLanguage';

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

export type RouteTarget =
  /** A Teams channel registered for the process (and unit), by its registration key. */
  | { kind: 'channel'; registrationKey: string; conversationId: string; label: string }
  /** People messaged one to one (advisors or process managers), by e-mail. */
  | { kind: 'people'; people: Array<{ name: string; email: string }>; label: string };

/** Where a suggestion went and why (the routing rule that chose it). */
export interface Route {
  target: RouteTarget;
  /** 'local' advisor level, the service centre, or the process managers. */
  level: 'local' | 'service-centre' | 'process-manager';
  /** The unit whose registration or advisors were used (after falling back up the tree). */
  unitCode: string | null;
}

export interface Posting {
  /** The route recipient it was posted for: `channel:<conversation id>` or a person's e-mail. */
  recipient: string;
  conversationId: string;
  activityId: string;
}

/** A recipient of the route the card could not reach, given up on by the outbox (a dead letter). */
export interface UndeliverableRecipient {
  /** As in Posting. */
  recipient: string;
  /** Why, as the delivery reported it (for the coordinators' list of undelivered messages). */
  reason: string;
  /** Why, as the card tells everyone in their language. */
  cause: UndeliverableCause;
  at: string;
}

/** The kinds of reason a card could not reach a route recipient: the bot is not in their chat, no stored channel, Teams refused it, or it kept failing. */
export type UndeliverableCause = 'not-installed' | 'no-channel' | 'refused' | 'failing';

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
