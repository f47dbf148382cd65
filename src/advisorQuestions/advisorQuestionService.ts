import type { ChannelRegistrationStore } from '../conversations/channelRegistrations';
import { isCoordinator, processesManagedBy } from '../conversations/coordinators';
import type { Actor } from '../core/actor';
import type { Outbox } from '../delivery/outboxJobs';
import type { DirectoryIndex } from '../directory/directoryIndex';
import type { ReplyLanguage } from '../language/detectLanguage';
import { chooseRoute, receivedRoutedCard, routeRecipients, routeToProcessManagers, type Posting, type UndeliverableCause } from '../routing/processRoutes';
import { QuestionConflictError, type AdvisorQuestionStore, type StoredQuestion } from './advisorQuestionStore';
import { applyQuestionAction, availableQuestionActions, type QuestionStanding } from './lifecycle';
import { FINAL_QUESTION_STATES, type AdvisorQuestion, type CurationAction, type QuestionAction, type QuestionHistoryEntry, type SharedAnswerCuration } from './model';
import { findSharedAnswers, isCuratable, isSharedAnswer, type SharedAnswer, type SharedAnswerQuery } from './sharedAnswers';
import { QUESTION_TEXT_LIMIT, validateQuestion, type QuestionField, type QuestionProblem, type RawQuestion } from './validateQuestion';

/** Message kinds this capability puts in the outbox; the Teams layer delivers them. */
export const QUESTION_MESSAGES = {
  /** Post the question's card to one recipient of its route. */
  route: 'advisor-question-route',
  /** Tell the asker about a change (with the answer, when it is one). */
  notify: 'advisor-question-notify',
  /** Update every posted copy of the card in place. */
  refresh: 'advisor-question-refresh',
} as const;

export interface QuestionRoutePayload {
  questionId: string;
  /** `channel:<conversation id>`, or the e-mail of a person routed to one to one. */
  recipient: string;
}
export interface QuestionNotifyPayload {
  questionId: string;
  historyIndex: number;
}
export interface QuestionRefreshPayload {
  questionId: string;
}

/** The payload of each kind of message this capability puts in the outbox. */
export interface QuestionMessagePayloads {
  [QUESTION_MESSAGES.route]: QuestionRoutePayload;
  [QUESTION_MESSAGES.notify]: QuestionNotifyPayload;
  [QUESTION_MESSAGES.refresh]: QuestionRefreshPayload;
}

/** Turns a question into an improvement suggestion filed by the handler, prefilled from it; the suggestion's id. Converting the same question again gives the same suggestion. */
export type SuggestionFromQuestion = (question: AdvisorQuestion, by: Actor, potential: string | null, language: ReplyLanguage) => Promise<string>;

export interface AdvisorQuestionDependencies {
  directory: () => DirectoryIndex;
  store: AdvisorQuestionStore;
  registrations: ChannelRegistrationStore;
  outbox: Outbox<QuestionMessagePayloads>;
  /** Configured coordinators (e-mail addresses or user ids), who may act on every question. */
  coordinators: ReadonlySet<string>;
  toSuggestion: SuggestionFromQuestion;
  now?: () => Date;
}

export type AskResult =
  | { kind: 'invalid'; problems: Partial<Record<QuestionField, QuestionProblem>>; values: Record<QuestionField, string> }
  | { kind: 'submitted'; question: AdvisorQuestion; duplicate: boolean }
  /** The submission key is another user's submission: nothing of it is shown. */
  | { kind: 'outsider' };

/** A question as one reader may see it; an outsider learns nothing of it. */
export type QuestionReadResult = { kind: 'shown'; question: AdvisorQuestion; standing: QuestionStanding } | { kind: 'outsider' } | { kind: 'not-found' };

export type QuestionActResult =
  | { kind: 'applied'; question: AdvisorQuestion }
  /** The actor may not even read it: no card, no state, nothing. */
  | { kind: 'outsider' }
  | { kind: 'refused'; reason: 'outsider' | 'wrong-state' | 'not-for-process'; question: AdvisorQuestion }
  | { kind: 'comment-required'; question: AdvisorQuestion }
  | { kind: 'conflict'; question: AdvisorQuestion; lastChange: QuestionHistoryEntry | null }
  | { kind: 'not-found' };

/** A coordinator's change to a shared answer: edit its shared text, hide or unhide it, promote or demote it as a standing answer. */
export type CurationChange = { action: 'edit'; text: string } | { action: Exclude<CurationAction, 'edit'> };

export type CurationResult =
  | { kind: 'applied'; question: AdvisorQuestion }
  | { kind: 'not-found' }
  /** Only coordinators curate shared answers. */
  | { kind: 'refused'; reason: 'not-coordinator' }
  /** Not an answered question whose asker let it be shared. */
  | { kind: 'refused'; reason: 'not-shareable'; question: AdvisorQuestion }
  | { kind: 'invalid'; problem: 'required' | 'too-long' }
  | { kind: 'conflict'; question: AdvisorQuestion };

/**
 * How long this instance answers "Dette er besvart før" from the shared answers it read: every directory turn that
 * is not a who-question (and every keystroke of the message extension's search) looks there, and the answers change
 * seldom. An action on this instance, and a deletion of someone's data, drop them at once; another instance's answer
 * shows here within this time.
 */
const SHARED_ANSWERS_FRESH_MS = 15_000;

/** How often an action is tried again when only the delivery's bookkeeping changed the question under it. */
const ACT_ATTEMPTS = 5;

/** Where the actor is acting from: the conversation the card sits in tells whether they received it. */
export interface QuestionActingContext {
  conversationId: string | null;
}

/**
 * Questions to the process advisors: submission, routing by the process rules
 * (as improvement suggestions) through the durable outbox, and the life cycle
 * with its permissions. Knows nothing of Teams.
 */
export class AdvisorQuestionService {
  private readonly now: () => Date;
  private shared: { readAt: number; questions: Promise<AdvisorQuestion[]> } | null = null;

  constructor(private readonly deps: AdvisorQuestionDependencies) {
    this.now = deps.now ?? (() => new Date());
  }

  /** Validates and stores a question, then routes it. */
  async ask(raw: RawQuestion, asker: Actor, idempotencyKey: string, language: ReplyLanguage): Promise<AskResult> {
    const index = this.deps.directory();
    const validation = validateQuestion(raw, index);
    if (!validation.ok) return { kind: 'invalid', problems: validation.problems, values: validation.values };
    const earlier = await this.deps.store.findBySubmission(idempotencyKey);
    if (earlier) return earlier.question.asker.id === asker.id ? { kind: 'submitted', question: earlier.question, duplicate: true } : { kind: 'outsider' };
    const route = await chooseRoute(validation.draft, index, this.deps.registrations);
    const { stored, created } = await this.deps.store.create({ draft: validation.draft, asker, route, now: this.now(), idempotencyKey, language });
    // Enqueued even for a repeated submission: enqueueing is idempotent, and a crash after storing must not strand it.
    await this.enqueueRoute(stored.question);
    return { kind: 'submitted', question: stored.question, duplicate: !created };
  }

  /** Puts the routing of every open question not yet delivered (back) in the outbox; run at start-up. */
  async resumeUndelivered(): Promise<number> {
    const waiting = (await this.deps.store.list()).filter((question) => !question.delivered && !FINAL_QUESTION_STATES.has(question.state));
    for (const question of waiting) await this.enqueueRoute(question);
    return waiting.length;
  }

  /** The question for the app's own work (delivery, refreshing posted cards); a user's read goes through `read`. */
  async get(id: string): Promise<AdvisorQuestion | null> {
    return (await this.deps.store.get(id.toUpperCase()))?.question ?? null;
  }

  /** Every user's read of one question: its asker and those who handle it see it; anyone else only learns that it is not theirs. */
  async read(id: string, actor: Actor, context: QuestionActingContext): Promise<QuestionReadResult> {
    const stored = await this.deps.store.get(id.toUpperCase());
    if (!stored) return { kind: 'not-found' };
    const standing = this.standing(stored.question, actor, context);
    return standing.asker || standing.handler ? { kind: 'shown', question: stored.question, standing } : { kind: 'outsider' };
  }

  /** "mine spørsmål": the user's own questions, newest first. */
  async mine(userId: string): Promise<AdvisorQuestion[]> {
    return (await this.deps.store.list()).filter((question) => question.asker.id === userId).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** "Dette er besvart før": the shared answers to a message, most alike first; anyone may see these, and only these. */
  async sharedAnswers(query: SharedAnswerQuery, limit = 1): Promise<SharedAnswer[]> {
    const at = this.now().getTime();
    if (this.shared === null || at - this.shared.readAt >= SHARED_ANSWERS_FRESH_MS) {
      // Kept as a promise: turns at the same moment share one read.
      const reading = this.deps.store.list().then((questions) => questions.filter(isSharedAnswer));
      this.shared = { readAt: at, questions: reading };
      reading.catch(() => {
        if (this.shared?.questions === reading) this.shared = null;
      });
    }
    return findSharedAnswers(query, await this.shared.questions, limit);
  }

  /** Forgets the shared answers read (after a change to a question, or a deletion of someone's data). */
  dropSharedAnswers(): void {
    this.shared = null;
  }

  /**
   * A coordinator's curation of a question's shared answer. `basedOn` is the version (updatedAt) the coordinator saw;
   * a change in between is a conflict. The asker's answer and the question's own history stay as they were.
   */
  async curate(id: string, change: CurationChange, actor: Actor, basedOn?: string): Promise<CurationResult> {
    if (!isCoordinator(actor, this.deps.coordinators, this.deps.directory())) return { kind: 'refused', reason: 'not-coordinator' };
    const text = change.action === 'edit' ? change.text.trim() : null;
    if (change.action === 'edit' && !text) return { kind: 'invalid', problem: 'required' };
    if (text !== null && text.length > QUESTION_TEXT_LIMIT) return { kind: 'invalid', problem: 'too-long' };
    const stored = await this.deps.store.get(id.toUpperCase());
    if (!stored) return { kind: 'not-found' };
    if (!isCuratable(stored.question)) return { kind: 'refused', reason: 'not-shareable', question: stored.question };
    if (basedOn && basedOn !== stored.question.updatedAt) return { kind: 'conflict', question: stored.question };
    const at = this.now().toISOString();
    const before: SharedAnswerCuration = stored.question.curation ?? { text: null, hidden: false, standing: false, history: [] };
    const curation: SharedAnswerCuration = {
      text: text ?? before.text,
      hidden: change.action === 'hide' ? true : change.action === 'unhide' ? false : before.hidden,
      standing: change.action === 'promote' ? true : change.action === 'demote' ? false : before.standing,
      history: [...before.history, { at, by: actor, action: change.action, ...(text !== null ? { text } : {}) }],
    };
    try {
      const saved = await this.deps.store.update({ ...stored.question, curation, updatedAt: at }, stored.etag);
      this.dropSharedAnswers();
      return { kind: 'applied', question: saved.question };
    } catch (error) {
      if (!(error instanceof QuestionConflictError)) throw error;
      return { kind: 'conflict', question: error.current.question };
    }
  }

  actionsFor(question: AdvisorQuestion, actor: Actor, context: QuestionActingContext): QuestionAction[] {
    return availableQuestionActions(question, this.standing(question, actor, context));
  }

  /** Applies an action if the actor may; the first of two concurrent actions wins. */
  async act(
    id: string,
    action: QuestionAction,
    actor: Actor,
    context: QuestionActingContext,
    details: { comment: string | null; basedOn?: string; language: ReplyLanguage },
  ): Promise<QuestionActResult> {
    for (let attempt = 1; ; attempt++) {
      const result = await this.tryAct(id, action, actor, context, details);
      if (result.kind !== 'bookkeeping-changed') return result;
      // Only the app's own bookkeeping (where the card was posted) came in between, no one's action: act on what it left.
      if (attempt >= ACT_ATTEMPTS) return conflict(result.current);
    }
  }

  private async tryAct(
    id: string,
    action: QuestionAction,
    actor: Actor,
    context: QuestionActingContext,
    details: { comment: string | null; basedOn?: string; language: ReplyLanguage },
  ): Promise<QuestionActResult | { kind: 'bookkeeping-changed'; current: StoredQuestion }> {
    const stored = await this.deps.store.get(id);
    if (!stored) return { kind: 'not-found' };
    const standing = this.standing(stored.question, actor, context);
    // Before anything that answers with the question (a conflict, a wrong state): an outsider is told nothing of it.
    if (!standing.asker && !standing.handler) return { kind: 'outsider' };
    // The card shows a version of the question; acting on a stale one means someone acted in between.
    if (details.basedOn && details.basedOn !== stored.question.updatedAt) return conflict(stored);
    const options = { comment: details.comment, now: this.now() };
    const checked = applyQuestionAction(stored.question, action, actor, standing, options);
    if (checked.kind === 'not-allowed') return { kind: 'refused', reason: checked.reason, question: stored.question };
    if (checked.kind === 'comment-required') return { kind: 'comment-required', question: stored.question };

    let changed = checked.question;
    if (action === 'convert') {
      // Filed before the question records it: a retry after a lost race finds the same suggestion (its key is the question).
      const suggestionId = await this.deps.toSuggestion(stored.question, actor, options.comment?.trim() || null, details.language);
      const last = changed.history.length - 1;
      changed = { ...changed, suggestionId, history: changed.history.map((entry, i) => (i === last ? { ...entry, suggestionId } : entry)) };
    }
    if (action === 'forward') {
      changed = { ...changed, route: await routeToProcessManagers(changed.process, this.deps.directory(), this.deps.registrations), delivered: false };
    }
    let saved: StoredQuestion;
    try {
      saved = await this.deps.store.update(changed, stored.etag);
      this.dropSharedAnswers();
    } catch (error) {
      if (!(error instanceof QuestionConflictError)) throw error;
      // Every action sets updatedAt; the delivery's records of where the card went do not.
      return error.current.question.updatedAt === stored.question.updatedAt ? { kind: 'bookkeeping-changed', current: error.current } : conflict(error.current);
    }
    const historyIndex = saved.question.history.length - 1;
    await this.deps.outbox.enqueue({ id: `question-notify:${id}:${historyIndex}`, kind: QUESTION_MESSAGES.notify, payload: { questionId: id, historyIndex } });
    await this.deps.outbox.enqueue({ id: `question-refresh:${id}:${historyIndex}`, kind: QUESTION_MESSAGES.refresh, payload: { questionId: id } });
    if (action === 'forward') await this.enqueueRoute(saved.question);
    void this.deps.outbox.kick();
    return { kind: 'applied', question: saved.question };
  }

  /** Records that the card reached a recipient of its route (called by the delivery job); retried on concurrent changes. */
  async recordPosting(id: string, posting: Posting): Promise<AdvisorQuestion | null> {
    return this.change(id, (question) => {
      const postings = [...question.postings.filter((existing) => existing.conversationId !== posting.conversationId), posting];
      const reached = new Set(postings.map((existing) => existing.recipient));
      return { ...question, postings, delivered: routeRecipients(question.route).every((recipient) => reached.has(recipient)) };
    });
  }

  /** Records that the card will not reach a recipient of its route (the outbox gave up), so the card says so. */
  async recordUndeliverable(payload: QuestionRoutePayload, reason: string, cause: UndeliverableCause): Promise<void> {
    await this.change(payload.questionId, (question) => ({
      ...question,
      undeliverable: [
        ...question.undeliverable.filter((entry) => entry.recipient !== payload.recipient),
        { recipient: payload.recipient, reason, cause, at: this.now().toISOString() },
      ],
    }));
  }

  /** The question after one delivery attempt, waiting at most `timeoutMs`: the confirmation can then say whether it arrived. */
  async afterDeliveryAttempt(id: string, timeoutMs: number): Promise<AdvisorQuestion | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([this.deps.outbox.kick(), timeout]);
    clearTimeout(timer);
    return this.get(id);
  }

  private standing(question: AdvisorQuestion, actor: Actor, context: QuestionActingContext): QuestionStanding {
    const index = this.deps.directory();
    return {
      asker: question.asker.id === actor.id,
      handler:
        receivedRoutedCard(question.route, question.postings, actor, context.conversationId) ||
        question.assignee?.id === actor.id ||
        processesManagedBy(actor, index).includes(question.process) ||
        isCoordinator(actor, this.deps.coordinators, index),
    };
  }

  /** Applies a change the app makes itself (no permission involved) to the current version; retried on concurrent changes. */
  private async change(id: string, apply: (question: AdvisorQuestion) => AdvisorQuestion): Promise<AdvisorQuestion | null> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const stored = await this.deps.store.get(id);
      if (!stored) return null;
      try {
        return (await this.deps.store.update(apply(stored.question), stored.etag)).question;
      } catch (error) {
        if (!(error instanceof QuestionConflictError)) throw error;
      }
    }
    throw new Error(`Could not update question ${id}: it kept changing`);
  }

  private async enqueueRoute(question: AdvisorQuestion): Promise<void> {
    // The route's own identity is part of the key, so forwarding to the process manager is a new delivery.
    const routeKey = question.history.filter((entry) => entry.action === 'forward').length;
    for (const recipient of routeRecipients(question.route)) {
      await this.deps.outbox.enqueue({
        id: `question-route:${question.id}:${routeKey}:${recipient}`,
        kind: QUESTION_MESSAGES.route,
        payload: { questionId: question.id, recipient },
      });
    }
    void this.deps.outbox.kick();
  }
}

function conflict(current: StoredQuestion): QuestionActResult {
  const history = current.question.history;
  return { kind: 'conflict', question: current.question, lastChange: history[history.length - 1] ?? null };
}
