import { LAST_INTENT_PRIORITY, oncePerReading, type IntentRule } from '../understanding/intents';
import { directoryRequest, type DirectoryRequest } from './directoryRequest';

export interface DirectoryIntent {
  capability: 'directory';
  request: DirectoryRequest;
}

const requestOf = oncePerReading(directoryRequest);

/**
 * Two places in the order: a question about who (a who-word with a process, role, unit or "my unit") before the
 * events and a new suggestion; and last, everything else: stating one's unit, explanations, error reports, what the
 * bot cannot answer, follow-ups, help, and "not understood".
 */
export const directoryIntentRules: readonly IntentRule<DirectoryIntent>[] = [
  {
    name: 'directory: a question about who',
    priority: 400,
    recognise: (reading) => {
      const request = requestOf(reading);
      const asksForPerson = request.kind === 'ask' || (request.kind === 'state-own-unit' && request.alsoAsks);
      return asksForPerson && reading.asksWho ? { capability: 'directory', request } : null;
    },
  },
  {
    name: 'directory: everything else (stating one\'s unit, explanations, errors, help, "not understood")',
    priority: LAST_INTENT_PRIORITY,
    recognise: (reading) => ({ capability: 'directory', request: requestOf(reading) }),
  },
];
