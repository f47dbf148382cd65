import type { DirectoryIndex } from '../directory/directoryIndex';
import type { ChannelRegistrationStore } from '../conversations/channelRegistrations';
import { isCoordinator, processesManagedBy } from '../conversations/coordinators';
import { channelOf } from '../conversations/conversationIds';
import type { ReplyLanguage } from '../language/detectLanguage';
import { applyAction, availableActions, type ActorStanding } from './lifecycle';
import { FINAL_STATES, type Posting, type Suggestion, type SuggestionAction, type SuggestionDraft, type UndeliverableCause } from './model';
import type { Actor } from '../core/actor';
import { chooseRoute, receivedRoutedCard, routeRecipients as recipientsOf, routeToProcessManagers } from '../routing/processRoutes';
import { SuggestionConflictError, type StoredSuggestion, type SuggestionStore } from './suggestionStore';
import { findSimilarOpen } from './similarSuggestions';
import type { SupportTokens } from './supportTokens';
import { validateDraft, draftValues, type DraftField, type DraftProblem, type RawDraft } from './validateDraft';
import type { Outbox } from '../delivery/outboxJobs';

/** Message kinds this capability puts in the outbox; the Teams layer delivers them. */
export const SUGGESTION_MESSAGES = {
  /** Post the suggestion's card to one recipient of its route. */
  route: 'suggestion-route',
  /** Tell the submitter about a change. */
  notify: 'suggestion-notify',
  /** Update every posted copy of the card in place. */
  refresh: 'suggestion-refresh',
} as const;

export interface RoutePayload {
  suggestionId: string;
  /** `channel:<conversation id>`, or the e-mail of a person routed to one to one. */
  recipient: string;
}
export interface NotifyPayload {
  suggestionId: string;
  historyIndex: number;
}
export interface RefreshPayload {
  suggestionId: string;
}

/** The payload of each kind of message this capability puts in the outbox. */
export interface SuggestionMessagePayloads {
  [SUGGESTION_MESSAGES.route]: RoutePayload;
  [SUGGESTION_MESSAGES.notify]: NotifyPayload;
  [SUGGESTION_MESSAGES.refresh]: RefreshPayload;
}

/** The outbox as this capability needs it (see src/delivery). */
export type SuggestionOutbox = Outbox<SuggestionMessagePayloads>;

/** Who may act on every suggestion: the coordinators (e-mail addresses or user ids). */
export interface SuggestionDependencies {
  directory: () => DirectoryIndex;
  store: SuggestionStore;
  registrations: ChannelRegistrationStore;
  outbox: SuggestionOutbox;
  coordinators: ReadonlySet<string>;
  /** Signs and checks the proof on "Støtt dette forslaget" that the user was shown the suggestion. */
  supportTokens: SupportTokens;
  now?: () => Date;
}

export type SubmitResult =
  | { kind: 'invalid'; problems: Partial<Record<DraftField, DraftProblem>>; values: Record<DraftField, string> }
  /**
   * Open suggestions resemble this one: the submitter may support one of them
   * instead, with the token that proves they were shown it. Nothing is stored yet.
   */
  | { kind: 'similar'; similar: SimilarSuggestion[]; values: Record<DraftField, string> }
  | { kind: 'submitted'; suggestion: Suggestion; duplicate: boolean }
  /** The submission key is another user's submission: a repeat can only come from its submitter, so nothing is shown. */
  | { kind: 'outsider' };

export interface SimilarSuggestion {
  suggestion: Suggestion;
  supportToken: string;
  /** The submitter supports it already. */
  supported: boolean;
}

export type SupportResult =
  | { kind: 'supported' | 'already' | 'own'; suggestion: Suggestion }
  | { kind: 'closed'; suggestion: Suggestion }
  /** No valid token for this user and suggestion (never shown it, another's token, expired): nothing of it is told. */
  | { kind: 'not-offered' }
  | { kind: 'not-found' };

/** A suggestion as one reader may see it; an outsider learns nothing of it. */
export type ReadResult = { kind: 'shown'; suggestion: Suggestion; standing: ActorStanding } | { kind: 'outsider' } | { kind: 'not-found' };

export type ActResult =
  | { kind: 'applied'; suggestion: Suggestion }
  /** The actor may not even read it: no card, no state, nothing. */
  | { kind: 'outsider' }
  | { kind: 'refused'; reason: 'outsider' | 'wrong-state' | 'not-for-process'; suggestion: Suggestion }
  | { kind: 'comment-required'; suggestion: Suggestion }
  | { kind: 'assignee-required'; suggestion: Suggestion }
  | { kind: 'conflict'; suggestion: Suggestion; lastChange: Suggestion['history'][number] | null }
  | { kind: 'not-found' };

/** How often an action is tried again when only the delivery's bookkeeping changed the suggestion under it. */
const ACT_ATTEMPTS = 5;

/** Where the actor is acting from: the conversation the card sits in tells whether they received it. */
export interface ActingContext {
  conversationId: string | null;
}

/**
 * Improvement suggestions: submission, routing through the durable outbox,
 * and the life cycle with its permissions. Knows nothing of Teams.
 */
export class SuggestionService {
  private readonly now: () => Date;

  constructor(private readonly deps: SuggestionDependencies) {
    this.now = deps.now ?? (() => new Date());
  }

  /**
   * Validates and stores a suggestion, then routes it. Unless `confirmedNew`,
   * similar open suggestions for the process are offered first.
   */
  async submit(raw: RawDraft, submitter: Actor, idempotencyKey: string, language: ReplyLanguage, confirmedNew = false): Promise<SubmitResult> {
    const index = this.deps.directory();
    const validation = validateDraft(raw, index);
    if (!validation.ok) return { kind: 'invalid', problems: validation.problems, values: validation.values };
    const earlier = await this.deps.store.findBySubmission(idempotencyKey);
    if (earlier) return earlier.suggestion.submitter.id === submitter.id ? { kind: 'submitted', suggestion: earlier.suggestion, duplicate: true } : { kind: 'outsider' };
    if (!confirmedNew) {
      const similar = await this.similarOffers(validation.draft, submitter);
      if (similar.length > 0) return { kind: 'similar', similar, values: draftValues(raw) };
    }
    const route = await chooseRoute(validation.draft, index, this.deps.registrations);
    const { stored, created } = await this.deps.store.create({ draft: validation.draft, submitter, route, now: this.now(), idempotencyKey, language });
    // Enqueued even for a repeated activity: enqueueing is idempotent, and a crash after storing must not strand it.
    await this.enqueueRoute(stored.suggestion);
    return { kind: 'submitted', suggestion: stored.suggestion, duplicate: !created };
  }

  /**
   * Adds the actor's support to an open suggestion (instead of filing a
   * duplicate); the cards show the count. Only with the token issued to this
   * actor when the suggestion was offered to them as similar to their draft.
   */
  /**
   * The open suggestions like the draft that the submitter could support instead (their own left out), each with the
   * token that lets them; none for a draft that is not valid.
   */
  async similarTo(raw: RawDraft, submitter: Actor): Promise<SimilarSuggestion[]> {
    const validation = validateDraft(raw, this.deps.directory());
    return validation.ok ? this.similarOffers(validation.draft, submitter) : [];
  }

  private async similarOffers(draft: SuggestionDraft, submitter: Actor): Promise<SimilarSuggestion[]> {
    const others = (await this.deps.store.list()).filter((suggestion) => suggestion.submitter.id !== submitter.id);
    return findSimilarOpen(draft, others).map((suggestion) => ({
      suggestion,
      supportToken: this.deps.supportTokens.issue(submitter.id, suggestion.id),
      supported: suggestion.supporters.some((supporter) => supporter.id === submitter.id),
    }));
  }

  async support(id: string, actor: Actor, supportToken: string | null): Promise<SupportResult> {
    if (supportToken === null || this.deps.supportTokens.check(supportToken, actor.id, id) !== 'valid') return { kind: 'not-offered' };
    for (let attempt = 0; attempt < 5; attempt++) {
      const stored = await this.deps.store.get(id);
      if (!stored) return { kind: 'not-found' };
      const suggestion = stored.suggestion;
      if (FINAL_STATES.has(suggestion.state)) return { kind: 'closed', suggestion };
      if (suggestion.submitter.id === actor.id) return { kind: 'own', suggestion };
      if (suggestion.supporters.some((supporter) => supporter.id === actor.id)) return { kind: 'already', suggestion };
      const at = this.now().toISOString();
      const updated: Suggestion = {
        ...suggestion,
        supporters: [...suggestion.supporters, actor],
        history: [...suggestion.history, { at, by: actor, action: 'supported', from: suggestion.state, to: suggestion.state, comment: null }],
        updatedAt: at,
      };
      try {
        const saved = await this.deps.store.update(updated, stored.etag);
        await this.deps.outbox.enqueue({ id: `refresh:${id}:${saved.suggestion.history.length - 1}`, kind: SUGGESTION_MESSAGES.refresh, payload: { suggestionId: id } });
        void this.deps.outbox.kick();
        return { kind: 'supported', suggestion: saved.suggestion };
      } catch (error) {
        if (!(error instanceof SuggestionConflictError)) throw error;
      }
    }
    throw new Error(`Could not add support to ${id}: it kept changing`);
  }

  /** Puts the routing of every suggestion not yet delivered (back) in the outbox; run at start-up. */
  async resumeUndelivered(): Promise<number> {
    const waiting = (await this.deps.store.list()).filter((suggestion) => !suggestion.delivered && !FINAL_STATES.has(suggestion.state));
    for (const suggestion of waiting) await this.enqueueRoute(suggestion);
    return waiting.length;
  }

  /** The suggestion for the app's own work (delivery, refreshing posted cards); a user's read goes through `read`. */
  async get(id: string): Promise<Suggestion | null> {
    return (await this.deps.store.get(id.toUpperCase()))?.suggestion ?? null;
  }

  /**
   * Every read of one suggestion (status, card refresh, the card after an
   * action) goes through here: its submitter, its supporters and those who
   * handle it (see `standing`) see it; anyone else only learns that it is not theirs.
   */
  async read(id: string, actor: Actor, context: ActingContext): Promise<ReadResult> {
    const stored = await this.deps.store.get(id.toUpperCase());
    if (!stored) return { kind: 'not-found' };
    const suggestion = stored.suggestion;
    const standing = this.standing(suggestion, actor, context);
    return this.mayRead(suggestion, actor, standing) ? { kind: 'shown', suggestion, standing } : { kind: 'outsider' };
  }

  async mine(userId: string): Promise<Suggestion[]> {
    return (await this.deps.store.list()).filter((suggestion) => suggestion.submitter.id === userId).sort(newestFirst);
  }

  /** Suggestions routed to a channel that nobody has taken yet ("@bot åpne forslag"). */
  async openInConversation(conversationId: string): Promise<Suggestion[]> {
    return (await this.deps.store.list())
      .filter(
        (suggestion) => suggestion.state === 'ny' && suggestion.route.target.kind === 'channel' && channelOf(suggestion.route.target.conversationId) === channelOf(conversationId),
      )
      .sort(newestFirst);
  }

  /** Suggestions whose card has not reached anyone yet: for coordinators only, as they span every process. */
  async awaitingDelivery(actor: Actor): Promise<{ kind: 'listed'; suggestions: Suggestion[] } | { kind: 'refused' }> {
    if (!this.isCoordinator(actor)) return { kind: 'refused' };
    const suggestions = (await this.deps.store.list()).filter((suggestion) => !suggestion.delivered && !FINAL_STATES.has(suggestion.state)).sort(newestFirst);
    return { kind: 'listed', suggestions };
  }

  /** A configured coordinator (COORDINATORS), or the management coordinator named in the directory. */
  isCoordinator(actor: Actor): boolean {
    return isCoordinator(actor, this.deps.coordinators, this.deps.directory());
  }

  isProcessManager(actor: Actor, processCode: string): boolean {
    return processesManagedBy(actor, this.deps.directory()).includes(processCode);
  }

  private standing(suggestion: Suggestion, actor: Actor, context: ActingContext): ActorStanding {
    const receivedIt = receivedRoutedCard(suggestion.route, suggestion.postings, actor, context.conversationId);
    return {
      submitter: suggestion.submitter.id === actor.id,
      handler: receivedIt || suggestion.assignee?.id === actor.id || this.isProcessManager(actor, suggestion.process) || this.isCoordinator(actor),
    };
  }

  /** Who may see a suggestion at all: those with a part in it, and those who support it (they were shown it). */
  private mayRead(suggestion: Suggestion, actor: Actor, standing: ActorStanding): boolean {
    return standing.submitter || standing.handler || suggestion.supporters.some((supporter) => supporter.id === actor.id);
  }

  actionsFor(suggestion: Suggestion, actor: Actor, context: ActingContext): SuggestionAction[] {
    return availableActions(suggestion, this.standing(suggestion, actor, context), this.isLocal(suggestion.process));
  }

  /** Applies an action if the actor may; the first of two concurrent actions wins. */
  async act(
    id: string,
    action: SuggestionAction,
    actor: Actor,
    context: ActingContext,
    details: { comment: string | null; basedOn?: string; assignee?: Actor | null },
  ): Promise<ActResult> {
    for (let attempt = 1; ; attempt++) {
      const result = await this.tryAct(id, action, actor, context, details);
      if (result.kind !== 'bookkeeping-changed') return result;
      // Only the app's own bookkeeping (where the card was posted) came in between, no one's action: act on what it left.
      if (attempt >= ACT_ATTEMPTS) return conflict(result.current);
    }
  }

  private async tryAct(
    id: string,
    action: SuggestionAction,
    actor: Actor,
    context: ActingContext,
    details: { comment: string | null; basedOn?: string; assignee?: Actor | null },
  ): Promise<ActResult | { kind: 'bookkeeping-changed'; current: StoredSuggestion }> {
    const { comment, basedOn } = details;
    const stored = await this.deps.store.get(id);
    if (!stored) return { kind: 'not-found' };
    const standing = this.standing(stored.suggestion, actor, context);
    // Before anything that answers with the suggestion (a conflict, a wrong state): an outsider is told nothing of it.
    if (!this.mayRead(stored.suggestion, actor, standing)) return { kind: 'outsider' };
    // The card shows a version of the suggestion; acting on a stale one means someone acted in between.
    if (basedOn && basedOn !== stored.suggestion.updatedAt) return conflict(stored);
    const result = applyAction(stored.suggestion, action, actor, standing, {
      comment,
      assignee: details.assignee ?? null,
      localProcess: this.isLocal(stored.suggestion.process),
      now: this.now(),
    });
    if (result.kind === 'not-allowed') return { kind: 'refused', reason: result.reason, suggestion: stored.suggestion };
    if (result.kind === 'comment-required' || result.kind === 'assignee-required') return { kind: result.kind, suggestion: stored.suggestion };

    let changed = result.suggestion;
    if (action === 'forward') {
      changed = { ...changed, route: await routeToProcessManagers(changed.process, this.deps.directory(), this.deps.registrations), delivered: false };
    }
    let saved: StoredSuggestion;
    try {
      saved = await this.deps.store.update(changed, stored.etag);
    } catch (error) {
      if (!(error instanceof SuggestionConflictError)) throw error;
      // Every action and support sets updatedAt; the delivery's records of where the card went do not.
      return error.current.suggestion.updatedAt === stored.suggestion.updatedAt ? { kind: 'bookkeeping-changed', current: error.current } : conflict(error.current);
    }
    const historyIndex = saved.suggestion.history.length - 1;
    await this.deps.outbox.enqueue({ id: `notify:${id}:${historyIndex}`, kind: SUGGESTION_MESSAGES.notify, payload: { suggestionId: id, historyIndex } });
    await this.deps.outbox.enqueue({ id: `refresh:${id}:${historyIndex}`, kind: SUGGESTION_MESSAGES.refresh, payload: { suggestionId: id } });
    if (action === 'forward') await this.enqueueRoute(saved.suggestion);
    void this.deps.outbox.kick();
    return { kind: 'applied', suggestion: saved.suggestion };
  }

  /** Records that the card reached a recipient of its route (called by the delivery handler); retried on concurrent changes. */
  async recordPosting(id: string, posting: Posting): Promise<Suggestion | null> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const stored = await this.deps.store.get(id);
      if (!stored) return null;
      const postings = [...stored.suggestion.postings.filter((existing) => existing.conversationId !== posting.conversationId), posting];
      const reached = new Set(postings.map((existing) => existing.recipient));
      const updated: Suggestion = { ...stored.suggestion, postings, delivered: routeRecipients(stored.suggestion).every((recipient) => reached.has(recipient)) };
      try {
        return (await this.deps.store.update(updated, stored.etag)).suggestion;
      } catch (error) {
        if (!(error instanceof SuggestionConflictError)) throw error;
      }
    }
    throw new Error(`Could not record where suggestion ${id} was posted: it kept changing`);
  }

  /**
   * Records that the card will not reach a recipient of the route (the outbox gave up on it), so the suggestion's
   * card says so; retried on concurrent changes.
   */
  async recordUndeliverable(payload: RoutePayload, reason: string, cause: UndeliverableCause): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const stored = await this.deps.store.get(payload.suggestionId);
      if (!stored) return;
      const others = (stored.suggestion.undeliverable ?? []).filter((entry) => entry.recipient !== payload.recipient);
      const undeliverable = [...others, { recipient: payload.recipient, reason, cause, at: this.now().toISOString() }];
      try {
        await this.deps.store.update({ ...stored.suggestion, undeliverable }, stored.etag);
        return;
      } catch (error) {
        if (!(error instanceof SuggestionConflictError)) throw error;
      }
    }
    throw new Error(`Could not record that suggestion ${payload.suggestionId} cannot be delivered: it kept changing`);
  }

  private isLocal(processCode: string): boolean {
    return this.deps.directory().process(processCode)?.advisorModel === 'local';
  }

  private async enqueueRoute(suggestion: Suggestion): Promise<void> {
    // The route's own identity is part of the key, so forwarding to the process manager is a new delivery.
    const routeKey = suggestion.history.filter((entry) => entry.action === 'forward').length;
    for (const recipient of routeRecipients(suggestion)) {
      await this.deps.outbox.enqueue({
        id: `route:${suggestion.id}:${routeKey}:${recipient}`,
        kind: SUGGESTION_MESSAGES.route,
        payload: { suggestionId: suggestion.id, recipient },
      });
    }
    void this.deps.outbox.kick();
  }

  /**
   * The suggestion after one delivery attempt, waiting at most `timeoutMs`: the
   * confirmation can then say whether it arrived or is waiting.
   */
  async afterDeliveryAttempt(id: string, timeoutMs: number): Promise<Suggestion | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([this.deps.outbox.kick(), timeout]);
    clearTimeout(timer);
    return this.get(id);
  }
}

/** The recipients of a suggestion's current route, as outbox and postings name them. */
export function routeRecipients(suggestion: Suggestion): string[] {
  return recipientsOf(suggestion.route);
}

function conflict(current: StoredSuggestion): ActResult {
  const history = current.suggestion.history;
  return { kind: 'conflict', suggestion: current.suggestion, lastChange: history[history.length - 1] ?? null };
}

function newestFirst(a: Suggestion, b: Suggestion): number {
  return b.createdAt.localeCompare(a.createdAt);
}
