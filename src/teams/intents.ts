import type { TurnContext } from 'botbuilder';
import type { ReplyLanguage } from '../language/detectLanguage';
import type { QuestionSlots } from '../questions/directoryAssistant';
import type { MessageReading } from '../understanding/readMessage';
import type { Intent } from '../understanding/understandTurn';

/** One chat message, understood once (src/teams/botApplication.ts), as the capability that claimed its intent gets it. */
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

/** Answers one kind of intent; the turn keeps the conversation's context afterwards (with the outcome's question, if any). */
export type IntentHandler<I extends Intent> = (turn: IntentTurn<I>) => Promise<IntentOutcome | void>;

/** The intents a capability answers, by `intent.capability`; each is answered by exactly one capability. */
export type IntentHandlers = { [C in Intent['capability']]?: IntentHandler<Extract<Intent, { capability: C }>> };
