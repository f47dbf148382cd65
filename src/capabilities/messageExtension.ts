import { registerMessageExtensionHandlers } from '../teams/messageExtension/messageExtensionHandlers';
import type { AdvisorQuestionsCapability } from './advisorQuestions';
import type { Capability } from './capability';
import type { EventsAndAnnouncementsCapability } from './eventsAndAnnouncements';
import type { SharedInfrastructure } from './infrastructure';
import type { QuestionsCapability } from './questions';
import type { SuggestionsCapability } from './suggestions';

/**
 * The message extension, one Teams surface over four capabilities: advisors, colleagues' shared answers and upcoming events in the compose box,
 * "Meld som forbedringsforslag" and "Spør prosessrådgiveren" on a message, and the unit typeahead of every card with a unit input.
 */
export function openMessageExtension(
  shared: SharedInfrastructure,
  capabilities: {
    questions: QuestionsCapability;
    suggestions: SuggestionsCapability;
    advisorQuestions: Pick<AdvisorQuestionsCapability, 'sharedAnswers' | 'forms'>;
    events: EventsAndAnnouncementsCapability;
  },
): Capability {
  return {
    name: 'message extension',
    registerTeams: (bot) => {
      registerMessageExtensionHandlers(bot, {
        assistant: capabilities.questions.assistant,
        directory: shared.directory,
        memory: shared.memory,
        cards: capabilities.questions.cards,
        sharedAnswers: capabilities.advisorQuestions.sharedAnswers,
        events: capabilities.events.events,
        suggestionForms: capabilities.suggestions.forms,
        questionForms: capabilities.advisorQuestions.forms,
        logger: shared.logger,
      });
      return [];
    },
  };
}
