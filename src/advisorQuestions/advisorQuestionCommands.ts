import type { MessageReading } from '../understanding/readMessage';

/** What a chat message asks of the advisor questions, if anything. */
export type AdvisorQuestionCommand = { kind: 'mine' };

// Folded words: "mine spørsmål", "spørsmåla mine", "my questions".
const MINE = /\b(mine|mitt|my)\s+(sporsmal|sporsmala|questions)\b|\bsporsmala? mine\b/;

/** Recognises "mine spørsmål": the list of the user's own questions to the advisors. */
export function parseAdvisorQuestionCommand(reading: MessageReading): AdvisorQuestionCommand | null {
  return MINE.test(reading.words) ? { kind: 'mine' } : null;
}
