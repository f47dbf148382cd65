import type { TurnContext } from 'botbuilder';
import type { ReplyLanguage } from '../language/detectLanguage';
import type { QuestionSlots } from '../questions/directoryAssistant';
import type { Intent, IntentRule } from '../understanding/intents';
import type { MessageReading } from '../understanding/readMessage';

/** One chat message, understood once (src/teams/botApplication.ts), as the capability whose rule claimed it gets it. */
export interface IntentTurn<I extends Intent> {
  context: TurnContext;
  intent: I;
  language: ReplyLanguage;
  reading: MessageReading;
  userId: string;
  /** The question the conversation was about (for follow-ups), null when there is none; read from storage when first asked for. */
  savedQuestion: () => Promise<QuestionSlots | null>;
}

/** What a capability's answer leaves for the turn's end: the conversation's question now, kept as its context, and the replies. */
export interface IntentOutcome {
  question: QuestionSlots | null;
  reply(): Promise<void>;
}

/** Answers one capability's intents; the turn keeps the conversation's context afterwards (with the outcome's question, if any). */
export type IntentHandler<I extends Intent> = (turn: IntentTurn<I>) => Promise<IntentOutcome | void>;

/** The intent a message was understood to ask, with the answer of the capability whose rule recognised it. */
export interface ClaimedIntent {
  intent: Intent;
  answer(turn: Omit<IntentTurn<Intent>, 'intent'>): Promise<IntentOutcome | void>;
}

/** What a capability adds to the chat: its intent rules, each recognising an intent that the capability answers. */
export type ChatIntents = readonly IntentRule<ClaimedIntent>[];

/**
 * A capability's chat intents: the rules of its domain (src/<capability>/…Intents.ts, with their priorities) and its
 * answer to what they recognise. The bot puts every capability's rules in one order (IntentOrder).
 */
export function chatIntents<I extends Intent>(rules: readonly IntentRule<I>[], answer: IntentHandler<I>): ChatIntents {
  return rules.map((rule) => ({
    name: rule.name,
    priority: rule.priority,
    recognise: (reading) => {
      const intent = rule.recognise(reading);
      return intent && { intent, answer: (turn) => answer({ ...turn, intent }) };
    },
  }));
}
