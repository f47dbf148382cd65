import { describe, expect, it } from 'vitest';
import { ACTIONS, applyAction, availableActions, TRANSITIONS } from '../../src/suggestions/lifecycle';
import type { Suggestion, SuggestionState } from '../../src/suggestions/model';
import type { Actor } from '../../src/core/actor';

const submitter: Actor = { id: 'u-submitter', name: 'Kari Ansatt' };
const advisor: Actor = { id: 'u-advisor', name: 'Audun Brekke' };
const now = new Date('2026-11-27T10:00:00Z');

function suggestion(state: SuggestionState, extra: Partial<Suggestion> = {}): Suggestion {
  return {
    id: 'FF-2026-0001',
    process: 'BTB',
    unit: 'IDI',
    title: 't',
    description: 'd',
    potential: 'p',
    system: 'unit4',
    mayContact: true,
    submitter,
    state,
    assignee: null,
    route: { target: { kind: 'people', people: [], label: '' }, level: 'local', unitCode: 'IE' },
    delivered: true,
    supporters: [],
    history: [{ at: now.toISOString(), by: submitter, action: 'submitted', from: null, to: 'ny', comment: null }],
    postings: [],
    language: 'nb',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    ...extra,
  };
}

const handler = { submitter: false, handler: true };
const onlySubmitter = { submitter: true, handler: false };
const nobody = { submitter: false, handler: false };

describe('the suggestion life cycle', () => {
  it('offers handlers only the steps that make sense from each state', () => {
    expect(availableActions(suggestion('ny'), handler, true)).toEqual(['take', 'assign', 'reject']);
    expect(availableActions(suggestion('under-vurdering'), handler, true)).toEqual(['assign', 'forward', 'send-to-bott', 'implement', 'reject', 'park']);
    expect(availableActions(suggestion('under-vurdering'), handler, false)).toEqual(['assign', 'send-to-bott', 'implement', 'reject', 'park']);
    expect(availableActions(suggestion('videresendt'), handler, true)).toEqual(['send-to-bott', 'implement', 'reject', 'park']);
    expect(availableActions(suggestion('parkert'), handler, true)).toEqual(['reopen']);
    for (const final of ['gjennomfort', 'avslatt', 'trukket'] as const) expect(availableActions(suggestion(final), handler, true)).toEqual([]);
  });

  it('lets the submitter withdraw only while the suggestion is new, and nothing else', () => {
    expect(availableActions(suggestion('ny'), onlySubmitter, true)).toEqual(['withdraw']);
    expect(availableActions(suggestion('under-vurdering'), onlySubmitter, true)).toEqual([]);
  });

  it('offers nothing to an outsider and refuses every action', () => {
    for (const action of ACTIONS) {
      const state = TRANSITIONS[action].from[0] as SuggestionState;
      expect(availableActions(suggestion(state), nobody, true)).toEqual([]);
      expect(applyAction(suggestion(state), action, advisor, nobody, { comment: 'x', localProcess: true, now })).toEqual({ kind: 'not-allowed', reason: 'outsider' });
    }
  });

  it('records who, when and the comment, and makes the taker the assignee', () => {
    const result = applyAction(suggestion('ny'), 'take', advisor, handler, { comment: '  Ser på det  ', localProcess: true, now });
    expect(result.kind).toBe('applied');
    if (result.kind !== 'applied') return;
    expect(result.suggestion.state).toBe('under-vurdering');
    expect(result.suggestion.assignee).toEqual(advisor);
    expect(result.suggestion.history.at(-1)).toEqual({ at: now.toISOString(), by: advisor, action: 'take', from: 'ny', to: 'under-vurdering', comment: 'Ser på det' });
  });

  it('assigns to a named member, who becomes the assignee, and needs someone to assign to', () => {
    const colleague: Actor = { id: 'u-colleague', name: 'Per Kollega' };
    expect(applyAction(suggestion('ny'), 'assign', advisor, handler, { comment: null, localProcess: true, now })).toEqual({ kind: 'assignee-required' });
    const result = applyAction(suggestion('ny'), 'assign', advisor, handler, { comment: null, localProcess: true, now, assignee: colleague });
    expect(result.kind === 'applied' && result.suggestion.assignee).toEqual(colleague);
    expect(result.kind === 'applied' && result.suggestion.history.at(-1)).toMatchObject({ action: 'assign', assignee: 'Per Kollega', to: 'under-vurdering' });
  });

  it('needs a reason to reject', () => {
    expect(applyAction(suggestion('under-vurdering'), 'reject', advisor, handler, { comment: ' ', localProcess: true, now })).toEqual({ kind: 'comment-required' });
    expect(applyAction(suggestion('under-vurdering'), 'reject', advisor, handler, { comment: 'Dekket av annet tiltak', localProcess: true, now }).kind).toBe('applied');
  });

  it('refuses steps from the wrong state and forwarding for central processes or twice', () => {
    expect(applyAction(suggestion('ny'), 'implement', advisor, handler, { comment: null, localProcess: true, now })).toEqual({ kind: 'not-allowed', reason: 'wrong-state' });
    expect(applyAction(suggestion('under-vurdering'), 'forward', advisor, handler, { comment: null, localProcess: false, now })).toEqual({
      kind: 'not-allowed',
      reason: 'not-for-process',
    });
    const forwardedOnce = suggestion('under-vurdering', {
      history: [...suggestion('ny').history, { at: now.toISOString(), by: advisor, action: 'forward', from: 'under-vurdering', to: 'videresendt', comment: null }],
    });
    expect(availableActions(forwardedOnce, handler, true)).not.toContain('forward');
  });
});
