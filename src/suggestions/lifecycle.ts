import type { Suggestion, SuggestionAction, SuggestionState } from './model';
import type { Actor } from '../core/actor';

/** The parts an actor plays for one suggestion; they decide which actions the actor may take. */
export interface ActorStanding {
  submitter: boolean;
  /** Member of the team (or a person) the suggestion was routed to, its assignee, its process manager, or a coordinator. */
  handler: boolean;
}

interface Transition {
  from: readonly SuggestionState[];
  to: SuggestionState;
  by: 'submitter' | 'handler';
  /** A comment the actor must give (a rejection needs its reason). */
  commentRequired: boolean;
  /** Only where it makes sense for the process (forwarding exists for the local processes). */
  onlyForLocalProcesses?: boolean;
}

const OPEN_FOR_HANDLING: readonly SuggestionState[] = ['under-vurdering', 'videresendt', 'sendt-bott'];

/**
 * The life cycle: Ny → Under vurdering → (Videresendt til prosessansvarlig) →
 * Sendt til BOTT forvaltning → Gjennomført / Avslått / Parkert, plus
 * withdrawal by the submitter while it is new, and reopening a parked one.
 */
export const TRANSITIONS: Record<SuggestionAction, Transition> = {
  take: { from: ['ny'], to: 'under-vurdering', by: 'handler', commentRequired: false },
  assign: { from: ['ny', 'under-vurdering'], to: 'under-vurdering', by: 'handler', commentRequired: false },
  forward: { from: ['under-vurdering'], to: 'videresendt', by: 'handler', commentRequired: false, onlyForLocalProcesses: true },
  'send-to-bott': { from: ['under-vurdering', 'videresendt'], to: 'sendt-bott', by: 'handler', commentRequired: false },
  implement: { from: OPEN_FOR_HANDLING, to: 'gjennomfort', by: 'handler', commentRequired: false },
  reject: { from: ['ny', ...OPEN_FOR_HANDLING], to: 'avslatt', by: 'handler', commentRequired: true },
  park: { from: OPEN_FOR_HANDLING, to: 'parkert', by: 'handler', commentRequired: false },
  reopen: { from: ['parkert'], to: 'under-vurdering', by: 'handler', commentRequired: false },
  withdraw: { from: ['ny'], to: 'trukket', by: 'submitter', commentRequired: false },
};

export const ACTIONS = Object.keys(TRANSITIONS) as SuggestionAction[];

/** The actions this actor may take now, in a sensible order for buttons. */
export function availableActions(suggestion: Suggestion, standing: ActorStanding, localProcess: boolean): SuggestionAction[] {
  return ACTIONS.filter((action) => {
    const transition = TRANSITIONS[action];
    if (!transition.from.includes(suggestion.state)) return false;
    if (transition.onlyForLocalProcesses && !localProcess) return false;
    // Forwarding happens once: after it the process manager has it.
    if (action === 'forward' && suggestion.history.some((entry) => entry.action === 'forward')) return false;
    return standing[transition.by];
  });
}

export type TransitionResult =
  | { kind: 'applied'; suggestion: Suggestion }
  | { kind: 'not-allowed'; reason: 'outsider' | 'wrong-state' | 'not-for-process' }
  | { kind: 'comment-required' }
  | { kind: 'assignee-required' };

/** Applies an action, recording who, when and the comment; pure. */
export function applyAction(
  suggestion: Suggestion,
  action: SuggestionAction,
  actor: Actor,
  standing: ActorStanding,
  options: { comment: string | null; localProcess: boolean; now: Date; assignee?: Actor | null },
): TransitionResult {
  const transition = TRANSITIONS[action];
  if (!transition.from.includes(suggestion.state)) return { kind: 'not-allowed', reason: 'wrong-state' };
  if (!standing[transition.by]) return { kind: 'not-allowed', reason: 'outsider' };
  if (!availableActions(suggestion, standing, options.localProcess).includes(action)) return { kind: 'not-allowed', reason: 'not-for-process' };
  const comment = options.comment?.trim() || null;
  if (transition.commentRequired && !comment) return { kind: 'comment-required' };
  if (action === 'assign' && !options.assignee) return { kind: 'assignee-required' };

  const at = options.now.toISOString();
  return {
    kind: 'applied',
    suggestion: {
      ...suggestion,
      state: transition.to,
      assignee: action === 'assign' ? (options.assignee ?? null) : action === 'take' || action === 'reopen' ? actor : suggestion.assignee,
      updatedAt: at,
      history: [
        ...suggestion.history,
        {
          at,
          by: actor,
          action,
          from: suggestion.state,
          to: transition.to,
          comment,
          ...(action === 'assign' && options.assignee ? { assignee: options.assignee.name } : {}),
        },
      ],
    },
  };
}
