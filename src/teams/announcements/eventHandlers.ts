import { ActivityTypes, type Activity, type TurnContext } from 'botbuilder';
import type { AdaptiveCard, Application, TurnState } from '@microsoft/teams-ai';
import { z } from 'zod';
import { searchPastEvents, type EventCatalog } from '../../announcements/archive';
import { EVENT_KINDS, PROCESS_ROLES, type ProcessRole } from '../../announcements/model';
import type { EventCommand } from '../../announcements/eventCommands';
import { REMINDER_CHOICES, type ReminderService } from '../../announcements/reminders';
import type { SubscriptionStore } from '../../announcements/subscriptionStore';
import {
  MAX_TOPICS,
  addRoles,
  applySettings,
  isEmptyFilter,
  subscribe,
  topicsOf,
  unsubscribe,
  unsubscribeAll,
  type EventFilter,
  type SubscribeResult,
} from '../../announcements/subscriptions';
import { MAX_UPCOMING, upcomingEvents } from '../../announcements/upcoming';
import type { BroadcastMessenger } from '../../broadcast/messenger';
import type { ConversationStore } from '../../conversations/conversationStore';
import type { DirectoryService } from '../../directory/directoryService';
import { eventTexts, localName, type ReplyLanguage } from '../../i18n';
import { localeLanguage, REPLY_LANGUAGES } from '../../language/detectLanguage';
import type { UserProfileStore } from '../../profiles/userProfileStore';
import type { Actor } from '../../core/actor';
import { notice } from '../cards/replyCards';
import type { ConversationMemory } from '../conversationMemory';
import { osloMoment } from './announcementCards';
import { EVENT_VERB, eventListCard, pastEventsCard, reminderChoiceCard, roleName, rolesSentence, settingsCard, topicName } from './eventCards';

export interface EventTeamsDependencies {
  directory: DirectoryService;
  profiles: Pick<UserProfileStore, 'get'>;
  subscriptions: SubscriptionStore;
  catalog: EventCatalog;
  reminders: ReminderService;
  memory: ConversationMemory;
  conversations: Pick<ConversationStore, 'personalChatOf'>;
  isCoordinator: (actor: Actor) => boolean;
  calendarUrl: (id: string) => string;
  /** Posts in another conversation: the user's personal chat, when they click in a channel. */
  messenger: Pick<BroadcastMessenger, 'send'>;
  clock?: () => Date;
}

const language = z.enum(REPLY_LANGUAGES).optional().catch(undefined);
const remindMeData = z.object({ id: z.string().min(1).max(40), lang: language }).passthrough();
const scheduleData = z.object({ id: z.string().min(1).max(40), choice: z.enum(REMINDER_CHOICES), lang: language });
/** Multi-selects send their values comma-separated; values no longer offered are dropped. */
const choices = <T extends string>(known: readonly T[]) =>
  z
    .string()
    .optional()
    .transform((value) => [...new Set((value ?? '').split(',').map((part) => part.trim()))].filter((part): part is T => (known as readonly string[]).includes(part)));
const settingsData = z.object({
  lang: language,
  roles: choices(PROCESS_ROLES),
  topics: z
    .string()
    .optional()
    .transform((value) => (value ?? '').split(',').filter(Boolean)),
  addKinds: choices(EVENT_KINDS),
  addProcesses: z
    .string()
    .optional()
    .transform((value) =>
      (value ?? '')
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    ),
});

/**
 * The Teams side of events: chat commands for roles, subscriptions, upcoming
 * events and recordings; "Minn meg på" with its choice; the settings card.
 * Returns the chat-command handler for the message route.
 */
export function registerEventHandlers(app: Application<TurnState>, deps: EventTeamsDependencies) {
  const index = () => deps.directory.index;
  const now = () => (deps.clock ?? (() => new Date()))();
  const languageOf = (context: TurnContext, lang: ReplyLanguage | undefined) => lang ?? localeLanguage(context.activity.locale);

  app.adaptiveCards.actionExecute(EVENT_VERB.remindMe, async (context, _state, data) => {
    const parsed = remindMeData.safeParse(data);
    const lang = languageOf(context, parsed.success ? parsed.data.lang : undefined);
    const t = eventTexts(lang).reminders;
    const event = parsed.success ? await deps.catalog.get(parsed.data.id) : null;
    if (!event || event.state === 'draft') return t.notFound;
    if (event.state === 'cancelled') return t.cancelled(event.title);
    if (event.allDay || Date.parse(event.startsAt) <= now().getTime()) return t.started(event.title);
    const choice = { type: ActivityTypes.Message, attachments: [reminderChoiceCard(event, lang)] };
    // The clicked card stays as it is (in a channel, everyone sees it); the choice is the user's own.
    if (context.activity.conversation?.conversationType === 'personal') {
      await context.sendActivity(choice);
      return t.choose(event.title);
    }
    const actor = await deps.memory.actorOf(context);
    const chat = await deps.conversations.personalChatOf({ id: actor.id, email: actor.email ?? undefined });
    if (!chat) return t.noPersonalChat;
    try {
      await deps.messenger.send(chat.reference, choice);
    } catch {
      // Blocked or removed there: the same as having no chat to write to.
      return t.noPersonalChat;
    }
    return t.sentToChat;
  });

  app.adaptiveCards.actionExecute(EVENT_VERB.scheduleReminder, async (context, _state, data) => {
    const parsed = scheduleData.safeParse(data);
    const lang = languageOf(context, parsed.success ? parsed.data.lang : undefined);
    const t = eventTexts(lang).reminders;
    if (!parsed.success) return eventTexts(lang).cardError;
    const actor = await deps.memory.actorOf(context);
    const result = await deps.reminders.request(parsed.data.id, actor.id, parsed.data.choice, lang);
    const card = (title: string) => notice(title, '').attachments[0]?.content as AdaptiveCard;
    switch (result.kind) {
      case 'not-found':
        return card(t.notFound);
      case 'cancelled':
        return card(t.cancelled(result.announcement.title));
      case 'started':
        return card(t.started(result.announcement.title));
      case 'scheduled':
        return card(result.now ? t.sendingNow(result.announcement.title) : t.scheduled(result.announcement.title, osloMoment(result.reminder.dueAt, lang)));
    }
  });

  app.adaptiveCards.actionExecute(EVENT_VERB.saveSettings, async (context, _state, data) => {
    const parsed = settingsData.safeParse(data);
    const lang = languageOf(context, parsed.success ? parsed.data.lang : undefined);
    if (!parsed.success) return eventTexts(lang).cardError;
    const t = eventTexts(lang);
    const actor = await deps.memory.actorOf(context);
    const processes = parsed.data.addProcesses.filter((code) => index().process(code));
    const add: EventFilter = { kinds: parsed.data.addKinds, processes, roles: [] };
    const outcome = { tooMany: false };
    const saved = await deps.subscriptions.update(actor.id, (current) => {
      const result = applySettings(current, { roles: parsed.data.roles, keepTopics: parsed.data.topics, add }, now());
      outcome.tooMany = result.kind === 'too-many';
      return result.subscriptions;
    });
    const message = outcome.tooMany ? t.subscriptionReplies.tooMany(MAX_TOPICS) : t.settings.saved;
    return settingsCard(saved, await unitLabel(actor.id, lang), index(), lang, message).content as AdaptiveCard;
  });

  async function unitLabel(userId: string, lang: ReplyLanguage): Promise<string | null> {
    const code = (await deps.profiles.get(userId))?.unitCode;
    const unit = code ? index().unit(code) : undefined;
    return unit ? `${localName(unit, lang)} (${unit.code})` : (code ?? null);
  }

  /** Answers a chat message understood as being about events. */
  async function handleIntent(context: TurnContext, command: EventCommand, lang: ReplyLanguage): Promise<void> {
    const actor = await deps.memory.actorOf(context);
    const reply = await replyTo(command, actor, lang);
    await context.sendActivity({ type: ActivityTypes.Message, ...reply });
  }

  async function replyTo(command: EventCommand, actor: Actor, lang: ReplyLanguage): Promise<Partial<Activity>> {
    const t = eventTexts(lang);
    switch (command.kind) {
      case 'state-roles': {
        // The change may run again if another write came first, so its outcome is kept from the run that was saved.
        const outcome: { added: ProcessRole[] } = { added: [] };
        await deps.subscriptions.update(actor.id, (current) => {
          const result = addRoles(current, command.roles, now());
          outcome.added = result.added;
          return result.subscriptions;
        });
        const roles = rolesSentence(command.roles, lang);
        return { text: outcome.added.length > 0 ? t.roleReplies.stated(roles) : t.roleReplies.alreadyKnown(roles) };
      }
      case 'drop-roles': {
        const outcome: { removed: ProcessRole[] } = { removed: [] };
        await deps.subscriptions.update(actor.id, (current) => {
          const result = unsubscribe(current, { kinds: [], processes: [], roles: command.roles }, now());
          outcome.removed = result.removedRoles;
          return result.subscriptions;
        });
        return { text: outcome.removed.length > 0 ? t.roleReplies.dropped(rolesSentence(outcome.removed, lang)) : t.roleReplies.notHeld(rolesSentence(command.roles, lang)) };
      }
      case 'subscribe': {
        const outcome: { result?: SubscribeResult } = {};
        await deps.subscriptions.update(actor.id, (current) => {
          outcome.result = subscribe(current, command.filter, now());
          return outcome.result.subscriptions;
        });
        if (outcome.result?.kind === 'too-many') return { text: t.subscriptionReplies.tooMany(MAX_TOPICS) };
        const named = topicList(topicsOf(command.filter), lang);
        return { text: outcome.result?.added.length ? t.subscriptionReplies.subscribed(named) : t.subscriptionReplies.alreadySubscribed(named) };
      }
      case 'unsubscribe':
        return { text: await endSubscriptions(actor, command.filter, lang) };
      case 'settings': {
        const subscriptions = await deps.subscriptions.get(actor.id);
        return { attachments: [settingsCard(subscriptions, await unitLabel(actor.id, lang), index(), lang)] };
      }
      case 'upcoming': {
        const found = upcomingEvents(await deps.catalog.list(), command.filter, now());
        const shown = found.slice(0, command.next ? 1 : MAX_UPCOMING);
        const card = eventListCard(shown, lang, {
          title: upcomingTitle(command.filter, command.next, lang),
          empty: t.upcoming.empty,
          // "neste …" asks for one; the rest are not left out, they were not asked for.
          hidden: command.next ? 0 : found.length - shown.length,
          remind: true,
          calendarUrl: deps.calendarUrl,
        });
        return { attachments: [card] };
      }
      case 'past': {
        const found = searchPastEvents(await deps.catalog.list(), { filter: command.filter, words: command.words }, now());
        return { attachments: [pastEventsCard(found, lang)] };
      }
      case 'add-material': {
        if (!deps.isCoordinator(actor)) return { text: t.archive.refused };
        if (!command.id || !command.url) return { text: t.archive.needsIdAndUrl };
        const result = await deps.catalog.addMaterial(command.id, {
          kind: command.material,
          title: command.title ?? '',
          url: command.url,
          addedBy: actor.email ?? actor.id,
          addedAt: now().toISOString(),
        });
        switch (result.kind) {
          case 'invalid-url':
            return { text: t.archive.invalidUrl };
          case 'not-found':
            return { text: t.archive.notFound(command.id) };
          case 'already-there':
            return { text: t.archive.alreadyThere(command.id) };
          case 'added':
            return { text: t.archive.added(t.archive.materials[command.material], result.event.id, result.event.title) };
        }
      }
    }
  }

  async function endSubscriptions(actor: Actor, filter: EventFilter | null, lang: ReplyLanguage): Promise<string> {
    const t = eventTexts(lang).subscriptionReplies;
    const outcome: { ended: string[]; hadAny: boolean } = { ended: [], hadAny: false };
    await deps.subscriptions.update(actor.id, (current) => {
      outcome.hadAny = current.roles.length + current.topics.length > 0;
      if (!filter) return outcome.hadAny ? unsubscribeAll(current, now()) : current;
      const result = unsubscribe(current, filter, now());
      outcome.ended = [...result.removedTopics.map((topic) => topicName(topic, index(), lang)), ...result.removedRoles.map((role) => roleName(role, lang))];
      return result.subscriptions;
    });
    if (!filter) return outcome.hadAny ? t.endedAll : t.nothingToEnd;
    return outcome.ended.length > 0 ? t.ended(eventTexts(lang).listOf(outcome.ended)) : t.noneMatched(topicList(topicsOf(filter), lang));
  }

  function topicList(topics: ReturnType<typeof topicsOf>, lang: ReplyLanguage): string {
    return eventTexts(lang).listOf(topics.map((topic) => topicName(topic, index(), lang)));
  }

  /** "Neste fagkafé om Behov til betaling", "Kommende kurs for prosjektøkonomer". */
  function upcomingTitle(filter: EventFilter, next: boolean, lang: ReplyLanguage): string {
    const t = eventTexts(lang);
    if (isEmptyFilter(filter)) return next ? t.upcoming.next(t.upcoming.event) : t.upcoming.title;
    // "kurs" asked for courses and refresher courses both; the title says what was asked.
    const kinds = filter.kinds.filter((kind) => !(kind === 'oppfriskningskurs' && filter.kinds.includes('kurs')));
    const processes = filter.processes.flatMap((code) => index().process(code) ?? []).map((process) => localName(process, lang));
    const what = t.topic(
      kinds.length > 0 ? t.listOf(kinds.map((kind) => (next ? t.kindsInSentence[kind] : t.kindsPlural[kind]))) : next ? t.upcoming.event : t.upcoming.events,
      processes.length > 0 ? t.listOf(processes) : null,
      filter.roles.length > 0 ? t.listOf(filter.roles.map((role) => t.rolesPlural[role])) : null,
    );
    return next ? t.upcoming.next(what) : t.upcoming.titleFor(what);
  }

  return { handleIntent };
}
