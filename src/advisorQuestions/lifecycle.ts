import type { Actor } from '../core/actor';
import type { AdvisorQuestion, QuestionAction, QuestionState } from './model';

/** The parts an actor plays for one question; they decide which actions the actor may take. */
export interface QuestionStanding {
  asker: boolean;
  /** Received it (its channel or one to one), took it, manages its process, or a coordinator. */
  handler: boolean;
}

interface Transition {
  from: readonly QuestionState[];
  to: QuestionState;
  by: 'asker' | 'handler';
  /** An answer needs its text. */
  commentRequired: boolean;
}

const OPEN: readonly QuestionState[] = ['submitted', 'taken', 'forwarded'];

/**
 * The life cycle: submitted → taken → answered, forwarded to the process
 * manager (who then answers or converts it), or converted to an improvement
 * suggestion; the asker may withdraw it while it is open.
 */
export const QUESTION_TRANSITIONS: Record<QuestionAction, Transition> = {
  take: { from: ['submitted'], to: 'taken', by: 'handler', commentRequired: false },
  answer: { from: OPEN, to: 'answered', by: 'handler', commentRequired: true },
  forward: { from: ['submitted', 'taken'], to: 'forwarded', by: 'handler', commentRequired: false },
  convert: { from: OPEN, to: 'converted', by: 'handler', commentRequired: false },
  withdraw: { from: OPEN, to: 'withdrawn', by: 'asker', commentRequired: false },
};

export const QUESTION_ACTIONS = Object.keys(QUESTION_TRANSITIONS) as QuestionAction[];

/** The actions this actor may take now, in the order of the card's buttons. */
export function availableQuestionActions(question: AdvisorQuestion, standing: QuestionStanding): QuestionAction[] {
  return QUESTION_ACTIONS.filter((action) => {
    const transition = QUESTION_TRANSITIONS[action];
    if (!transition.from.includes(question.state)) return false;
    // A question that went to the process managers in the first place (the central processes) has nobody further to go to.
    if (action === 'forward' && question.route.level === 'process-manager') return false;
    return standing[transition.by];
  });
}

export type QuestionTransitionResult =
  { kind: 'applied'; question: AdvisorQuestion } | { kind: 'not-allowed'; reason: 'outsider' | 'wrong-state' | 'not-for-process' } | { kind: 'comment-required' };

/** Applies an action, recording who, when and the comment (for an answer, the answer itself); pure. */
export function applyQuestionAction(
  question: AdvisorQuestion,
  action: QuestionAction,
  actor: Actor,
  standing: QuestionStanding,
  options: { comment: string | null; now: Date },
): QuestionTransitionResult {
  const transition = QUESTION_TRANSITIONS[action];
  if (!transition.from.includes(question.state)) return { kind: 'not-allowed', reason: 'wrong-state' };
  if (!standing[transition.by]) return { kind: 'not-allowed', reason: 'outsider' };
  if (!availableQuestionActions(question, standing).includes(action)) return { kind: 'not-allowed', reason: 'not-for-process' };
  const comment = options.comment?.trim() || null;
  if (transition.commentRequired && !comment) return { kind: 'comment-required' };

  const at = options.now.toISOString();
  return {
    kind: 'applied',
    question: {
      ...question,
      state: transition.to,
      assignee: action === 'take' ? actor : question.assignee,
      answer: action === 'answer' && comment ? { text: comment, by: actor, at } : question.answer,
      updatedAt: at,
      history: [...question.history, { at, by: actor, action, from: question.state, to: transition.to, comment }],
    },
  };
}
