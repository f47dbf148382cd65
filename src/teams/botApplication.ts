import { ActivityTypes, type Activity, type TurnContext } from 'botbuilder';
import { Application, TeamsAdapter, TurnState } from '@microsoft/teams-ai';
import type { Capability } from '../capabilities/capability';
import type { DirectoryService } from '../directory/directoryService';
import { chatTexts } from '../i18n';
import { needsSaving, type ConversationContext, type ConversationContextStore } from '../conversations/conversationContextStore';
import { dependsOnConversationLanguage, localeLanguage, replyLanguage, turnLanguage, type ReplyLanguage } from '../language/detectLanguage';
import type { Logger } from '../logger';
import { MAX_MESSAGE_LENGTH, type DirectoryAssistant, type QuestionSlots } from '../questions/directoryAssistant';
import { IntentOrder } from '../understanding/intents';
import { ReplyCards } from './cards/replyCards';
import type { ConversationMemory } from './conversationMemory';
import type { ClaimedIntent } from './intents';
import { sendReplies } from './questions/questionHandlers';

export interface BotDependencies {
  adapter: TeamsAdapter;
  botAppId?: string;
  /** Understands each message once, for the directory version in use. */
  assistant: DirectoryAssistant;
  directory: DirectoryService;
  logger: Logger;
  memory: ConversationMemory;
  /** The last question and language of each conversation, for follow-ups. */
  conversationContexts: ConversationContextStore;
  /** Each registers its card actions and invokes, and recognises and answers its chat intents. */
  capabilities: readonly Pick<Capability, 'name' | 'registerTeams'>[];
}

/** The turn's storing of its conversation reference (see the beforeTurn handler). */
const REMEMBERING = Symbol('remembering');

/**
 * The Teams side of the bot: understands each message once, with every
 * capability's intent rules in one order, and hands the intent to the
 * capability whose rule claimed it; the capabilities register their own card
 * actions and invokes. No capability's rules live here.
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

  // One order for every capability's rules, built (and its priorities checked) once.
  const intents = new IntentOrder<ClaimedIntent>(deps.capabilities.flatMap((capability) => capability.registerTeams?.(app) ?? []));

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
    const { language: written, reading: message, intent: claimed } = assistant.understander.understand(text, intents);
    const language = turnLanguage(written, dependsOnConversationLanguage(written) ? ((await savedContext.get())?.language ?? null) : null, context.activity.locale);
    const savedQuestion = async (): Promise<QuestionSlots | null> => {
      const saved = await savedContext.get();
      return saved && { process: saved.process, role: saved.role, unit: saved.unit };
    };
    const outcome = await claimed.answer({ context, language, reading: message, userId, savedQuestion });
    if (outcome) {
      keepContext(
        deps.conversationContexts,
        savedContext.started ? await savedContext.get() : undefined,
        { userId, conversationId, language, ...orNoQuestion(outcome.question) },
        logger,
      );
      await outcome.reply();
      return;
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
