import { chatIntentOrder, type ChatIntent } from '../../bench/support/chatIntents';
import { DirectoryIndex } from '../../src/directory/directoryIndex';
import { readDirectorySource } from '../../src/directory/import/readDirectorySource';
import { validateDirectory } from '../../src/directory/import/validateDirectory';
import { sampleDirectoryFolder } from '../../src/directory/seedDirectory';
import type { MessageReading } from '../../src/understanding/readMessage';
import { Understander, type Understanding } from '../../src/understanding/understandTurn';

export { chatIntentOrder, type ChatIntent };

/** Reads and understands messages as the bot does, with every chat capability's intent rules (bench/support/chatIntents.ts). */
export interface ChatUnderstander {
  read(text: string): MessageReading;
  understand(text: string): Understanding<ChatIntent>;
}

/** Understanding as the bot does it, for a directory version. */
export function chatUnderstander(index: DirectoryIndex): ChatUnderstander {
  const understander = Understander.for(index);
  return { read: (text) => understander.read(text), understand: (text) => understander.understand(text, chatIntentOrder) };
}

let sample: Promise<ChatUnderstander> | null = null;

/** The understanding of the shipped sample directory, read from its files once per test file (no storage needed). */
export function sampleUnderstander(): Promise<ChatUnderstander> {
  sample ??= (async () => {
    const validated = validateDirectory(await readDirectorySource(sampleDirectoryFolder()));
    if (!validated.ok) throw new Error('the sample directory does not validate');
    return chatUnderstander(new DirectoryIndex(validated.directory));
  })();
  return sample;
}
