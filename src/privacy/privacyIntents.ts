import type { IntentRule } from '../understanding/intents';
import { parseDeleteMyData, type DeleteMyDataCommand } from './deleteMyDataCommand';

export interface PrivacyIntent {
  capability: 'privacy';
  command: DeleteMyDataCommand;
}

/** First of all: only the whole message is the command, so nothing else claims it (a question about deleting is not it). */
export const privacyIntentRules: readonly IntentRule<PrivacyIntent>[] = [
  {
    name: 'privacy: "slett mine data", the whole message',
    priority: 100,
    recognise: (reading) => {
      const command = parseDeleteMyData(reading);
      return command && { capability: 'privacy', command };
    },
  },
];
