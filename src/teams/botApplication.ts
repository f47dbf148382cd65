import { ActivityTypes, type Activity, type TurnContext } from 'botbuilder';
import { Application, TeamsAdapter, TurnState, type AdaptiveCard } from '@microsoft/teams-ai';
import { z } from 'zod';
import type { DirectoryService } from '../directory/directoryService';
import { chatTexts } from '../i18n';
import { needsSaving, type ConversationContext, type ConversationContextStore } from '../conversations/conversationContextStore';
import { localeLanguage, replyLanguage, turnLanguage, type ReplyLanguage } from '../language/detectLanguage';
import type { Logger } from '../logger';
import { MAX_MESSAGE_LENGTH, type AssistantResult, type DirectoryAssistant, type QuestionSlots } from '../questions/directoryAssistant';
import { ReplyCards, VERB, type ReplyActivity } from './cards/replyCards';
import type { ConversationMemory } from './conversationMemory';
import { registerSuggestionHandlers, type SuggestionTeamsDependencies } from './suggestions/suggestionHandlers';
import { registerEventHandlers, type EventTeamsDependencies } from './announcements/eventHandlers';
import { registerAnnouncementHandlers, type AnnouncementTeamsDependencies } from './announcements/composeHandlers';
import { registerMessageExtensionHandlers } from './messageExtension/messageExtensionHandlers';
import { registerPrivacyHandlers, type PrivacyTeamsDependencies } from './privacy/privacyHandlers';

export interface BotDependencies {
  adapter: TeamsAdapter;
  botAppId?: string;
  assistant: DirectoryAssistant;
  directory: DirectoryService;
  logger: Logger;
  memory: ConversationMemory;
  /** The last question and language of each conversation, for follow-ups. */
  conversationContexts: ConversationContextStore;
  suggestions: SuggestionTeamsDependencies;
  /** Subscriptions, upcoming events, reminders and recordings. */
  events: EventTeamsDependencies;
  /** Composing and sending announcements (coordinators). */
  announcements: AnnouncementTeamsDependencies;
  /** "slett mine data". */
  privacy: PrivacyTeamsDependencies;
}

/** The turn's storing of its conversation reference (see the beforeTurn handler). */
const REMEMBERING = Symbol('remembering');

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
 * The Teams side of the bot: maps activities to the directory assistant and
 * its replies to cards. No directory rules live here.
 */
export function createBotApplication(deps: BotDependencies): Application<TurnState> {
  const { assistant, logger } = deps;
  const cards = new ReplyCards(() => deps.directory.index);
  const app = new Application<TurnState>({
    adapter: deps.adapter,
    botAppId: deps.botAppId,
    removeRecipientMention: true,
    // Answers come in milliseconds; a typing indicator would only add a request per turn.
    startTypingTimer: false,
    longRunningMessages: false,
  });

  const suggestions = registerSuggestionHandlers(app, deps.suggestions);
  const events = registerEventHandlers(app, deps.events);
  const announcements = registerAnnouncementHandlers(app, deps.announcements);
  registerMessageExtensionHandlers(app, { assistant, directory: deps.directory, memory: deps.memory, cards, events: deps.events, suggestionForms: suggestions, logger });
  const privacy = registerPrivacyHandlers(app, deps.privacy);

  // Every turn: remember where the bot can write later (routed suggestions, notifications).
  // It is stored while the turn goes on (a user's first message also looks up their e-mail), and the turn ends once
  // it is: what the app sends proactively right after finds the conversation.
  app.turn('beforeTurn', (context) => {
    const remembering = deps.memory.remember(context).catch((error: unknown) => logger.warn({ err: error }, 'could not remember the conversation'));
    context.turnState.set(REMEMBERING, remembering);
    return Promise.resolve(true);
  });
  app.turn('afterTurn', async (context) => {
    await context.turnState.get<Promise<void> | undefined>(REMEMBERING);
    return true;
  });

  // Every message is understood once, here; each capability gets the intent it claimed, never the text.
  app.activity(ActivityTypes.Message, async (context) => {
    if (!addressedToBot(context)) return;
    const text = messageText(context.activity);
    const userId = userIdOf(context);
    const conversationId = context.activity.conversation?.id ?? userId;
    // Read once, and only when the turn depends on it: a question that names what it needs, in a language its words
    // show, is answered without reading the conversation (a storage read on most turns otherwise).
    const savedContext = new ReadOnce(() => loadContext(deps.conversationContexts, userId, conversationId, logger));
    if (text.trim().length > MAX_MESSAGE_LENGTH) {
      const saved = await savedContext.get();
      await sendReplies(context, cards, assistant.tooLong(saved?.language ?? localeLanguage(context.activity.locale)));
      return;
    }
    const { language: written, reading: message, intent } = assistant.understander.understand(text);
    const language = turnLanguage(written, written ? null : ((await savedContext.get())?.language ?? null), context.activity.locale);
    const savedQuestion = async (): Promise<QuestionSlots | null> => {
      const saved = await savedContext.get();
      return saved && { process: saved.process, role: saved.role, unit: saved.unit };
    };
    switch (intent.capability) {
      case 'privacy':
        await privacy.handleIntent(context, language);
        break;
      case 'announcements':
        await announcements.handleIntent(context, intent.command, language);
        break;
      case 'suggestions':
        await suggestions.handleIntent(context, intent.command, language);
        break;
      case 'events':
        await events.handleIntent(context, intent.command, language);
        break;
      case 'directory': {
        const result = await assistant.answer({ userId, reading: message, request: intent.request, language, previous: savedQuestion });
        // An answer that sets no question keeps the one before, which is then read.
        const question = result.question ?? (await savedQuestion());
        keepContext(deps.conversationContexts, savedContext.started ? await savedContext.get() : undefined, { userId, conversationId, language, ...orNoQuestion(question) }, logger);
        await sendReplies(context, cards, result);
        return;
      }
    }
    keepContext(deps.conversationContexts, await savedContext.get(), { userId, conversationId, language, ...orNoQuestion(await savedQuestion()) }, logger);
  });

  app.conversationUpdate('membersAdded', async (context) => {
    const botId = context.activity.recipient?.id;
    const botAdded = (context.activity.membersAdded ?? []).some((member) => member.id === botId);
    if (!botAdded) return;
    const language = localeLanguage(context.activity.locale);
    const personal = context.activity.conversation?.conversationType === 'personal';
    const welcome = personal ? cards.welcome(language) : cards.toActivity({ kind: 'help', greeting: true }, language);
    await context.sendActivity({ type: ActivityTypes.Message, ...welcome });
  });

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
    return replaceCardAndSendRest(context, cards, result);
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
    return replaceCardAndSendRest(context, cards, result);
  });

  app.error(async (context, error) => {
    logger.error({ err: error, activityType: context.activity.type }, 'turn failed');
    if (context.activity.type === 'message') {
      const language: ReplyLanguage = replyLanguage(context.activity.text ?? '', context.activity.locale);
      await context.sendActivity(chatTexts(language).turnError).catch(() => undefined);
    }
  });

  return app;
}

/**
 * What the user asked: the typed text, or the example question of a "Prøv for eksempel" button. Those buttons are
 * Action.Submit with plain data rather than imBack, because the Agents Playground (0.2.28) throws on any `msteams`
 * action data. In Teams the click then shows no message from the user, only the bot's answer.
 */
function messageText(activity: Activity): string {
  if (typeof activity.text === 'string' && activity.text.length > 0) return activity.text;
  const example: unknown = (activity.value as { example?: unknown } | undefined)?.example;
  return typeof example === 'string' ? example : '';
}

/** Teams user ids differ per bot registration; the Entra object id is stable, so it is preferred. */
function userIdOf(context: TurnContext): string {
  return context.activity.from?.aadObjectId ?? context.activity.from?.id ?? 'unknown';
}

/** In channels and group chats the bot speaks only when mentioned. */
function addressedToBot(context: TurnContext): boolean {
  const conversationType = context.activity.conversation?.conversationType;
  if (!conversationType || conversationType === 'personal') return true;
  const botId = context.activity.recipient?.id;
  return (context.activity.entities ?? []).some((entity) => entity.type === 'mention' && (entity as { mentioned?: { id?: string } }).mentioned?.id === botId);
}

/** The conversation's context; without it (storage down) the turn goes on as a first message rather than failing. */
async function loadContext(store: ConversationContextStore, userId: string, conversationId: string, logger: Logger): Promise<ConversationContext | null> {
  try {
    return await store.get(userId, conversationId);
  } catch (error) {
    logger.warn({ err: error }, 'could not read the conversation context');
    return null;
  }
}

/**
 * Saves the conversation's context when it changed, or now and then to keep it alive. The turn does not wait for it:
 * this instance has it at once, and storage a moment later, written together with other turns' (see
 * CONTEXT_WRITE_DELAY_MS). A failure costs the follow-up, not the answer.
 */
function keepContext(
  store: ConversationContextStore,
  /** What was stored (null: nothing); undefined when the turn did not read it, and then its context is written. */
  saved: ConversationContext | null | undefined,
  next: Omit<ConversationContext, 'updatedAt'>,
  logger: Logger,
): void {
  const now = new Date();
  if (saved !== undefined && !needsSaving(saved, next, now)) return;
  store.save({ ...next, updatedAt: now.toISOString() }).catch((error: unknown) => {
    logger.warn({ err: error, changed: saved === null }, 'could not keep the conversation context');
  });
}

/** A read made when first asked for, and only once. */
class ReadOnce<T> {
  private value: Promise<T> | null = null;

  constructor(private readonly read: () => Promise<T>) {}

  get started(): boolean {
    return this.value !== null;
  }

  get(): Promise<T> {
    this.value ??= this.read();
    return this.value;
  }
}

function orNoQuestion(question: QuestionSlots | null): QuestionSlots {
  return question ?? { process: null, role: null, unit: null };
}

async function sendReplies(context: TurnContext, cards: ReplyCards, result: AssistantResult): Promise<void> {
  const activities = result.replies.map((reply) => ({ type: ActivityTypes.Message, ...cards.toActivity(reply, result.language) }));
  if (activities.length > 0) await context.sendActivities(activities);
}

/** After a card button: the clicked card becomes the first reply, later replies follow as messages. */
async function replaceCardAndSendRest(context: TurnContext, cards: ReplyCards, result: AssistantResult): Promise<AdaptiveCard> {
  const [first, ...rest] = result.replies.map((reply) => cards.toActivity(reply, result.language));
  if (rest.length > 0) await context.sendActivities(rest.map((activity) => ({ type: ActivityTypes.Message, ...activity })));
  return cardContent((first as ReplyActivity).attachments[0]);
}

function cardContent(attachment: { content?: unknown } | undefined): AdaptiveCard {
  return (attachment?.content ?? {}) as AdaptiveCard;
}
