import { oncePerReading, type IntentRule } from '../understanding/intents';
import { parseSuggestionCommand, type SuggestionCommand } from './suggestionCommands';

export interface SuggestionIntent {
  capability: 'suggestions';
  command: SuggestionCommand;
}

const suggestionCommand = oncePerReading(parseSuggestionCommand);

/**
 * Two places in the order: the explicit commands (an FF- id, channel registration, export, "mine forslag", "åpne
 * forslag") before a who-question; a new suggestion ("forbedringsforslag") after it and after the events, since
 * "hvem kan jeg kontakte for å forbedre Btb ved IE?" asks for a person, not for the form.
 */
export const suggestionIntentRules: readonly IntentRule<SuggestionIntent>[] = [
  {
    name: 'suggestions: explicit commands (FF- id, channel registration, export, "mine forslag", "åpne forslag")',
    priority: 300,
    recognise: (reading) => {
      const command = suggestionCommand(reading);
      return command && command.kind !== 'new' && command.kind !== 'how-it-travels' ? { capability: 'suggestions', command } : null;
    },
  },
  {
    name: 'suggestions: a new one, or how one travels ("forbedringsforslag", "suggest an improvement")',
    priority: 600,
    recognise: (reading) => {
      const command = suggestionCommand(reading);
      return command && (command.kind === 'new' || command.kind === 'how-it-travels') ? { capability: 'suggestions', command } : null;
    },
  },
];
