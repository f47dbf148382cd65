import { ActivityTypes, type TurnContext } from 'botbuilder';
import type { AdaptiveCard, Application, TurnState } from '@microsoft/teams-ai';
import { z } from 'zod';
import type { DirectoryService } from '../../directory/directoryService';
import { chatTexts } from '../../i18n';
import { localeLanguage, replyLanguage } from '../../language/detectLanguage';
import type { AssistantResult, DirectoryAssistant } from '../../questions/directoryAssistant';
import { VERB, type ReplyActivity, type ReplyCards } from '../cards/replyCards';
import { userIdOf } from '../conversationMemory';
import type { IntentHandlers } from '../intents';

export interface QuestionTeamsDependencies {
  assistant: DirectoryAssistant;
  directory: DirectoryService;
  cards: ReplyCards;
}

const cardLanguage = z.enum(['nb', 'nn', 'en']).optional().catch(undefined);
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
export function registerQuestionHandlers(app: Application<TurnState>, deps: QuestionTeamsDependencies): IntentHandlers {
  const { assistant, cards } = deps;

  app.adaptiveCards.actionExecute(VERB.chooseUnit, async (context, _state, data) => {
    const parsed = chooseUnitData.safeParse(data);
    if (!parsed.success) return chatTexts(localeLanguage(context.activity.locale)).cardError;
    const language = parsed.data.lang ?? replyLanguage(parsed.data.question, context.activity.locale);
    if (!parsed.data.unit) {
      const t = chatTexts(language);
      return cardContent(
        cards.unitPickerCard(language, {
          title: t.askOwnUnit.missing,
          body: t.askOwnUnit.body,
          purpose: parsed.data.purpose,
          question: parsed.data.question,
          units: deps.directory.index.directory.units,
          suggestions: [],
        }),
      );
    }
    const result = await assistant.chooseUnit(userIdOf(context), parsed.data.unit, parsed.data.purpose, parsed.data.question || null, language);
    return replaceCardAndSendRest(context, cards, result, parsed.data.question || null);
  });

  // The Agents Playground has no typeahead and filters the choices by how their titles begin; this search finds names and aliases there too.
  app.adaptiveCards.actionExecute(VERB.searchUnits, async (context, _state, data) => {
    const parsed = searchUnitsData.safeParse(data);
    if (!parsed.success) return chatTexts(localeLanguage(context.activity.locale)).cardError;
    const { unitSearch, lang, ...card } = parsed.data;
    const language = lang ?? replyLanguage(card.question, context.activity.locale);
    return cardContent(cards.unitSearchCard(language, unitSearch, card));
  });

  app.adaptiveCards.actionExecute(VERB.chooseProcess, async (context, _state, data) => {
    const parsed = chooseProcessData.safeParse(data);
    if (!parsed.success || !deps.directory.index.process(parsed.data.process)) {
      return chatTexts(localeLanguage(context.activity.locale)).cardError;
    }
    const { process, unit, question, lang } = parsed.data;
    const language = lang ?? replyLanguage(question, context.activity.locale);
    const result = await assistant.chooseProcess(userIdOf(context), process, question, unit || null, language);
    return replaceCardAndSendRest(context, cards, result, question || null);
  });

  return {
    directory: async ({ context, intent, language, reading, userId, savedQuestion }) => {
      const result = await assistant.answer({ userId, reading, request: intent.request, language, previous: savedQuestion });
      // An answer that sets no question keeps the one before, which is then read.
      return { question: result.question ?? (await savedQuestion()), reply: () => sendReplies(context, cards, result, reading.text) };
    },
  };
}

/** Sends the assistant's replies as messages; `asked` is what the user asked, which the answers offer to put to the advisors. */
export async function sendReplies(context: TurnContext, cards: ReplyCards, result: AssistantResult, asked: string | null = null): Promise<void> {
  const activities = result.replies.map((reply) => ({ type: ActivityTypes.Message, ...cards.toActivity(reply, result.language, asked) }));
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
