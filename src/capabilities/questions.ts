import type { SharedAnswerLookup } from '../advisorQuestions/sharedAnswers';
import { DirectoryAssistant } from '../questions/directoryAssistant';
import { ReplyCards } from '../teams/cards/replyCards';
import { registerQuestionHandlers } from '../teams/questions/questionHandlers';
import type { Capability } from './capability';
import type { SharedInfrastructure } from './infrastructure';

export interface QuestionsCapability extends Capability {
  /** Understands the messages and answers the directory questions, for the directory version in use. */
  assistant: DirectoryAssistant;
  /** The reply cards, in the directory's words. */
  cards: ReplyCards;
}

/**
 * Directory questions: who to contact for which process and unit, explanations, and the user's own unit. Colleagues'
 * shared answers (from the questions to the advisors) come with the replies to how-tos and explanations.
 */
export function openQuestions(shared: SharedInfrastructure, others: { sharedAnswers: SharedAnswerLookup }): QuestionsCapability {
  const { directory } = shared;
  const assistant = new DirectoryAssistant(directory.index, shared.profiles);
  directory.onChange((index) => assistant.useDirectory(index));
  const cards = new ReplyCards(() => directory.index);
  return {
    name: 'questions',
    assistant,
    cards,
    registerTeams: (bot) => registerQuestionHandlers(bot, { assistant, directory, cards, memory: shared.memory, sharedAnswers: others.sharedAnswers }),
  };
}
