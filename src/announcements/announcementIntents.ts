import type { IntentRule } from '../understanding/intents';
import { parseAnnouncementCommand, type AnnouncementCommand } from './announcementCommands';
import { parseEventCommand, type EventCommand } from './eventCommands';

export interface AnnouncementIntent {
  capability: 'announcements';
  command: AnnouncementCommand;
}

export interface EventIntent {
  capability: 'events';
  command: EventCommand;
}

/** Anything naming an announcement (KU-2026-0007, "kunngjøring"): before the suggestions' commands and who-questions ("hvem fikk ikke KU-…?"). */
export const announcementIntentRules: readonly IntentRule<AnnouncementIntent>[] = [
  {
    name: 'announcements: anything naming an announcement (KU-2026-0007, "kunngjøring")',
    priority: 200,
    recognise: (reading) => {
      const command = parseAnnouncementCommand(reading);
      return command && { capability: 'announcements', command };
    },
  },
];

/**
 * Process roles ("jeg er prosjektøkonom"), subscriptions, courses and recordings: after a who-question ("hvem
 * holder kurs i Btb?" asks for a person), before a new suggestion.
 */
export const eventIntentRules: readonly IntentRule<EventIntent>[] = [
  {
    name: 'events: process roles, subscriptions, courses and recordings',
    priority: 500,
    recognise: (reading) => {
      const command = parseEventCommand(reading);
      return command && { capability: 'events', command };
    },
  },
];
