import type { MessageReading } from '../understanding/readMessage';

/** What a chat message asks of the advisor questions, if anything. */
export type AdvisorQuestionCommand = { kind: 'mine' };

// The whole message, in folded words: "mine spørsmål", "vis spørsmåla mine", "show my questions". "Who answers my
// questions about budgeting?" asks the directory, not for the list.
const MINE = /^((vis|se|show|list|see)\s+)?((mine|my)\s+(sporsmal|sporsmala|questions)|sporsmala?\s+mine)$/;

/** Recognises "mine spørsmål": the list of the user's own questions to the advisors. */
export function parseAdvisorQuestionCommand(reading: MessageReading): AdvisorQuestionCommand | null {
  return MINE.test(reading.words) ? { kind: 'mine' } : null;
}
