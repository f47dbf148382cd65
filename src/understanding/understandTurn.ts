import type { DirectoryIndex } from '../directory/directoryIndex';
import { writtenLanguageOf, type MessageLanguage } from '../language/detectLanguage';
import type { IntentOrder } from './intents';
import { MAX_MESSAGE_LENGTH, MessageReader, type MessageReading } from './readMessage';

export interface Understanding<I> {
  /** The language the message is written in; null when it does not show (then the conversation's language holds). */
  language: MessageLanguage;
  reading: MessageReading;
  intent: I;
}

/**
 * Understands a chat message once per turn, for one directory version: reads
 * it (words, entities, cues) and picks one intent, the first that the
 * capabilities' rules claim in their one order of priority (src/understanding/intents.ts;
 * each capability declares its rules beside its domain, and the app's order is
 * listed in README's architecture section).
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

  /** Reads a message and picks its one intent among every capability's rules. */
  understand<I>(text: string, intents: IntentOrder<I>): Understanding<I> {
    const reading = this.read(text);
    return { language: writtenLanguageOf(reading.languageWords, reading.text), reading, intent: intents.choose(reading) };
  }
}

function bounded(text: string): string {
  return text.trim().slice(0, MAX_MESSAGE_LENGTH);
}
