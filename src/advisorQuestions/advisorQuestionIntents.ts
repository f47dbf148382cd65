import type { IntentRule } from '../understanding/intents';
import { parseAdvisorQuestionCommand, type AdvisorQuestionCommand } from './advisorQuestionCommands';

export interface AdvisorQuestionIntent {
  capability: 'advisorQuestions';
  command: AdvisorQuestionCommand;
}

/** "mine spørsmål", only as the whole message: after the suggestions' commands, before a who-question. */
export const advisorQuestionIntentRules: readonly IntentRule<AdvisorQuestionIntent>[] = [
  {
    name: 'questions to the advisors: "mine spørsmål"',
    priority: 350,
    recognise: (reading) => {
      const command = parseAdvisorQuestionCommand(reading);
      return command ? { capability: 'advisorQuestions', command } : null;
    },
  },
];
