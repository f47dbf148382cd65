import { parseAdvisorQuestionCommand, type AdvisorQuestionCommand } from '../advisorQuestions/advisorQuestionCommands';
import { parseAnnouncementCommand, type AnnouncementCommand } from '../announcements/announcementCommands';
import { parseEventCommand, type EventCommand } from '../announcements/eventCommands';
import type { DirectoryIndex } from '../directory/directoryIndex';
import { writtenLanguageOf, type WrittenLanguage } from '../language/detectLanguage';
import { parseDeleteMyData, type DeleteMyDataCommand } from '../privacy/deleteMyDataCommand';
import { directoryRequest, type DirectoryRequest } from '../questions/directoryRequest';
import { parseSuggestionCommand, type SuggestionCommand } from '../suggestions/suggestionCommands';
import { MAX_MESSAGE_LENGTH, MessageReader, type MessageReading } from './readMessage';

/** What one message asks of which capability: exactly one per turn. */
export type Intent =
  | { capability: 'privacy'; command: DeleteMyDataCommand }
  | { capability: 'announcements'; command: AnnouncementCommand }
  | { capability: 'suggestions'; command: SuggestionCommand }
  | { capability: 'advisorQuestions'; command: AdvisorQuestionCommand }
  | { capability: 'events'; command: EventCommand }
  | { capability: 'directory'; request: DirectoryRequest };

export interface Understanding {
  /** The language the message is written in; null when it does not show (then the conversation's language holds). */
  language: WrittenLanguage | null;
  reading: MessageReading;
  intent: Intent;
}

/**
 * Understands a chat message once per turn, for one directory version: reads
 * it (words, entities, cues) and picks one intent. When a message fits more
 * than one capability, the first that claims it in this order wins:
 *
 * 1. privacy: "slett mine data" (only the whole message; a question about deleting is not the command);
 * 2. announcements: anything naming an announcement (KU-2026-0007, "kunngjøring");
 * 3. suggestions, explicit commands: an FF- id, channel registration, export, "mine forslag", "åpne forslag";
 *    then the questions to the advisors: "mine spørsmål";
 * 4. directory, a question about who: a who-word with a process, role, unit or "my unit" ("hvem kan jeg
 *    kontakte for å forbedre Btb ved IE?" asks for a person, not for the suggestion form);
 * 5. events: process roles ("jeg er prosjektøkonom"), subscriptions, courses and recordings;
 * 6. suggestions, a new one: "forbedringsforslag", "suggest an improvement";
 * 7. directory, everything else: stating one's unit, explanations, error reports, what the bot cannot
 *    answer, follow-ups, help, and "not understood".
 */
export class Understander {
  private static readonly cache = new WeakMap<DirectoryIndex, Understander>();
  private readonly reader: MessageReader;

  private constructor(index: DirectoryIndex) {
    this.reader = new MessageReader(index);
  }

  /** The understander of a directory version, built once per version. */
  static for(index: DirectoryIndex): Understander {
    let understander = Understander.cache.get(index);
    if (!understander) {
      understander = new Understander(index);
      Understander.cache.set(index, understander);
    }
    return understander;
  }

  /** Reads a message without choosing an intent: for search boxes, which only look things up. */
  read(text: string): MessageReading {
    return this.reader.read(bounded(text));
  }

  understand(text: string): Understanding {
    const reading = this.read(text);
    return { language: writtenLanguageOf(reading.languageWords, reading.text), reading, intent: chooseIntent(reading) };
  }
}

function bounded(text: string): string {
  return text.trim().slice(0, MAX_MESSAGE_LENGTH);
}

function chooseIntent(reading: MessageReading): Intent {
  const privacy = parseDeleteMyData(reading);
  if (privacy) return { capability: 'privacy', command: privacy };
  const announcement = parseAnnouncementCommand(reading);
  if (announcement) return { capability: 'announcements', command: announcement };
  const suggestion = parseSuggestionCommand(reading);
  if (suggestion && suggestion.kind !== 'new') return { capability: 'suggestions', command: suggestion };
  const advisorQuestion = parseAdvisorQuestionCommand(reading);
  if (advisorQuestion) return { capability: 'advisorQuestions', command: advisorQuestion };
  const directory = directoryRequest(reading);
  const asksForPerson = directory.kind === 'ask' || (directory.kind === 'state-own-unit' && directory.alsoAsks);
  if (asksForPerson && reading.asksWho) return { capability: 'directory', request: directory };
  const event = parseEventCommand(reading);
  if (event) return { capability: 'events', command: event };
  if (suggestion) return { capability: 'suggestions', command: suggestion };
  return { capability: 'directory', request: directory };
}
