import type { TurnContext } from 'botbuilder';
import type { AdaptiveCard, Application, TurnState } from '@microsoft/teams-ai';
import { z } from 'zod';
import type { Actor } from '../core/actor';
import { localeLanguage, REPLY_LANGUAGES, type ReplyLanguage } from '../language/detectLanguage';
import type { ConversationMemory } from './conversationMemory';

/** The language a card carries (`lang` in its data); anything else counts as none, so the client's locale decides. */
export const cardLanguage = z.enum(REPLY_LANGUAGES).optional().catch(undefined);

/** What an Action.Execute answers with: the card that replaces the clicked one, or a message shown on it. */
export type CardReply = AdaptiveCard | string;

/** A card action whose data parsed: what the handler needs to call a service and render its result. */
export interface CardActionCall<Data> {
  context: TurnContext;
  data: Data;
  language: ReplyLanguage;
  /** The user who clicked, looked up on the first call only (it may ask Teams for their e-mail). */
  actor: () => Promise<Actor>;
}

export interface CardActionRoute<Schema extends z.ZodTypeAny> {
  /** The card's data; extra fields pass as the schema says. */
  data: Schema;
  /** The answer to data that does not parse, in the client's locale (the card's own language is part of what did not parse). */
  invalid(language: ReplyLanguage, context: TurnContext): CardReply | Promise<CardReply>;
  /** The reply language of parsed data: by default the card's own `lang`, else the client's locale. */
  language?(data: z.output<Schema>, context: TurnContext): ReplyLanguage;
  handle(call: CardActionCall<z.output<Schema>>): Promise<CardReply>;
}

/**
 * Registers the bot's Action.Execute handlers the one way: parse the data
 * with zod, pick the reply language, make the actor, then the handler calls
 * its service and renders the result.
 */
export function cardActions(app: Application<TurnState>, memory: Pick<ConversationMemory, 'actorOf'>) {
  return function onCardAction<Schema extends z.ZodTypeAny>(verb: string, route: CardActionRoute<Schema>): void {
    app.adaptiveCards.actionExecute(verb, async (context, _state, raw) => {
      const parsed = route.data.safeParse(raw);
      if (!parsed.success) return route.invalid(localeLanguage(context.activity.locale), context);
      const data = parsed.data as z.output<Schema>;
      const language = route.language ? route.language(data, context) : (languageField(data) ?? localeLanguage(context.activity.locale));
      let actor: Promise<Actor> | undefined;
      return route.handle({ context, data, language, actor: () => (actor ??= memory.actorOf(context)) });
    });
  };
}

function languageField(data: unknown): ReplyLanguage | undefined {
  const lang = typeof data === 'object' && data !== null && 'lang' in data ? data.lang : undefined;
  return (REPLY_LANGUAGES as readonly unknown[]).includes(lang) ? (lang as ReplyLanguage) : undefined;
}
