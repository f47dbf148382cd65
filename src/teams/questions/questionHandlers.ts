import { ActivityTypes, type TurnContext } from 'botbuilder';
import type { AdaptiveCard, Application, TurnState } from '@microsoft/teams-ai';
import { z } from 'zod';
import type { DirectoryService } from '../../directory/directoryService';
import { chatTexts } from '../../i18n';
import { localeLanguage, replyLanguage, type ReplyLanguage } from '../../language/detectLanguage';
import type { SharedAnswer, SharedAnswerLookup } from '../../advisorQuestions/sharedAnswers';
import type { AssistantResult, DirectoryAssistant } from '../../questions/directoryAssistant';
import { directoryIntentRules } from '../../questions/directoryIntents';
import { complementedBySharedAnswers } from '../../questions/directoryRequest';
import { sharedAnswerActivity } from '../advisorQuestions/sharedAnswerCards';
import { VERB, type ReplyActivity, type ReplyCards } from '../cards/replyCards';
import { cardActions, cardLanguage } from '../cardActions';
import { userIdOf, type ConversationMemory } from '../conversationMemory';
import { chatIntents, type ChatIntents } from '../intents';

export interface QuestionTeamsDependencies {
  assistant: DirectoryAssistant;
  directory: DirectoryService;
  cards: ReplyCards;
  memory: Pick<ConversationMemory, 'actorOf'>;
  /** Colleagues' shared answers ("Dette er besvart før"), from the questions to the advisors; never rejects. */
  sharedAnswers: SharedAnswerLookup;
}

const chooseUnitData = z.object({
  unit: z.string().min(1).optional(),
  purpose: z.enum(['question', 'own-unit']),
  question: z.string().max(4000).default(''),
  lang: cardLanguage,
});
/** The picker's search button: the search field, and what the card carried, to keep on the card it becomes. */
const searchUnitsData = z.object({
  unitSearch: z.string().max(200).default(''),
  purpose: z.enum(['question', 'own-unit']),
  question: z.string().max(4000).default(''),
  title: z.string().max(4500).default(''),
  detail: z.string().max(4500).default(''),
  lang: cardLanguage,
});
const chooseProcessData = z.object({
  process: z.string().min(1),
  unit: z.string().default(''),
  question: z.string().max(4000).default(''),
  lang: cardLanguage,
});

/**
 * The Teams side of directory questions: the answers to the questions understood in chat, and the unit and process
 * pickers on their cards. No directory rules live here.
 */
export function registerQuestionHandlers(app: Application<TurnState>, deps: QuestionTeamsDependencies): ChatIntents {
  const { assistant, cards } = deps;

  const onCardAction = cardActions(app, deps.memory);
  const cardError = (language: ReplyLanguage) => chatTexts(language).cardError;
  /** A question asked on the card is answered in its own language; the card's `lang` says which when the question does not. */
  const questionLanguage = (data: { lang?: ReplyLanguage; question: string }, context: TurnContext) => data.lang ?? replyLanguage(data.question, context.activity.locale);

  onCardAction(VERB.chooseUnit, {
    data: chooseUnitData,
    invalid: cardError,
    language: questionLanguage,
    handle: async ({ context, data, language }) => {
      if (!data.unit) {
        const t = chatTexts(language);
        return cardContent(
          cards.unitPickerCard(language, {
            title: t.askOwnUnit.missing,
            body: t.askOwnUnit.body,
            purpose: data.purpose,
            question: data.question,
            units: deps.directory.index.directory.units,
            suggestions: [],
          }),
        );
      }
      const result = await assistant.chooseUnit(userIdOf(context), data.unit, data.purpose, data.question || null, language);
      return replaceCardAndSendRest(context, cards, result, data.question || null);
    },
  });

  // The Agents Playground has no typeahead and filters the choices by how their titles begin; this search finds names and aliases there too.
  onCardAction(VERB.searchUnits, {
    data: searchUnitsData,
    invalid: cardError,
    language: questionLanguage,
    handle: async ({ data, language }) => {
      const { unitSearch, lang: _lang, ...card } = data;
      return cardContent(cards.unitSearchCard(language, unitSearch, card));
    },
  });

  onCardAction(VERB.chooseProcess, {
    data: chooseProcessData,
    invalid: cardError,
    language: questionLanguage,
    handle: async ({ context, data, language }) => {
      // A process the directory no longer has is as unreadable as a card without one.
      if (!deps.directory.index.process(data.process)) return cardError(localeLanguage(context.activity.locale));
      const result = await assistant.chooseProcess(userIdOf(context), data.process, data.question, data.unit || null, language);
      return replaceCardAndSendRest(context, cards, result, data.question || null);
    },
  });

  return chatIntents(directoryIntentRules, async ({ context, intent, language, reading, userId, savedQuestion }) => {
    const [result, [shared]] = await Promise.all([
      assistant.answer({ userId, reading, request: intent.request, language, previous: savedQuestion }),
      // Looked up with what the turn understood, not by reading the message again.
      complementedBySharedAnswers(intent.request, reading) ? deps.sharedAnswers({ text: reading.text, processes: reading.processes }) : Promise.resolve([]),
    ]);
    // An answer that sets no question keeps the one before, which is then read.
    return { question: result.question ?? (await savedQuestion()), reply: () => sendReplies(context, cards, withSharedAnswer(result, shared), reading.text, shared) };
  });
}

/** With a shared answer, "I did not understand" is no longer the reply: the shared answer is. */
function withSharedAnswer(result: AssistantResult, shared: SharedAnswer | undefined): AssistantResult {
  return shared ? { ...result, replies: result.replies.filter((reply) => reply.kind !== 'not-understood') } : result;
}

/**
 * Sends the assistant's replies as messages; `asked` is what the user asked, which the answers offer to put to the
 * advisors. A colleague's shared answer to the same question follows the directory's answer.
 */
export async function sendReplies(context: TurnContext, cards: ReplyCards, result: AssistantResult, asked: string | null = null, shared?: SharedAnswer): Promise<void> {
  const activities = result.replies.map((reply) => ({ type: ActivityTypes.Message, ...cards.toActivity(reply, result.language, asked) }));
  if (shared) activities.push({ type: ActivityTypes.Message, ...sharedAnswerActivity(shared, result.language, asked) });
  if (activities.length > 0) await context.sendActivities(activities);
}

/** After a card button: the clicked card becomes the first reply, later replies follow as messages. */
async function replaceCardAndSendRest(context: TurnContext, cards: ReplyCards, result: AssistantResult, asked: string | null): Promise<AdaptiveCard> {
  const [first, ...rest] = result.replies.map((reply) => cards.toActivity(reply, result.language, asked));
  if (rest.length > 0) await context.sendActivities(rest.map((activity) => ({ type: ActivityTypes.Message, ...activity })));
  return cardContent((first as ReplyActivity).attachments[0]);
}

function cardContent(attachment: { content?: unknown } | undefined): AdaptiveCard {
  return (attachment?.content ?? {}) as AdaptiveCard;
}
