import { ActivityTypes, type Activity, type TurnContext } from 'botbuilder';
import type { AdaptiveCard, Application, TurnState } from '@microsoft/teams-ai';
import { z } from 'zod';
import type { EventCatalog } from '../../announcements/archive';
import type { EventCommand } from '../../announcements/eventCommands';
import type { EventService, ReminderRefusal } from '../../announcements/eventService';
import { EVENT_KINDS, PROCESS_ROLES } from '../../announcements/model';
import { REMINDER_CHOICES } from '../../announcements/reminders';
import { MAX_TOPICS, isEmptyFilter, topicsOf, type EventFilter } from '../../announcements/subscriptions';
import type { BroadcastMessenger } from '../../broadcast/messenger';
import type { ConversationStore } from '../../conversations/conversationStore';
import type { DirectoryService } from '../../directory/directoryService';
import { eventTexts, localName, type ReplyLanguage } from '../../i18n';
import type { UserProfileStore } from '../../profiles/userProfileStore';
import type { Actor } from '../../core/actor';
import { cardActions, cardLanguage } from '../cardActions';
import { notice } from '../cards/replyCards';
import type { ConversationMemory } from '../conversationMemory';
import { osloMoment } from './announcementCards';
import { EVENT_VERB, eventListCard, pastEventsCard, reminderChoiceCard, roleName, rolesSentence, settingsCard, topicName } from './eventCards';

export interface EventTeamsDependencies {
  /** The use cases: roles, subscriptions, settings, upcoming and past events, reminders, materials. */
  service: EventService;
  directory: DirectoryService;
  profiles: Pick<UserProfileStore, 'get'>;
  /** The events as stored, for the message extension's search and cards. */
  catalog: EventCatalog;
  memory: ConversationMemory;
  conversations: Pick<ConversationStore, 'personalChatOf'>;
  calendarUrl: (id: string) => string;
  /** Posts in another conversation: the user's personal chat, when they click in a channel. */
  messenger: Pick<BroadcastMessenger, 'send'>;
  clock?: () => Date;
}

const remindMeData = z.object({ id: z.string().min(1).max(40), lang: cardLanguage }).passthrough();
const scheduleData = z.object({ id: z.string().min(1).max(40), choice: z.enum(REMINDER_CHOICES), lang: cardLanguage });
/** Multi-selects send their values comma-separated; values no longer offered are dropped. */
const choices = <T extends string>(known: readonly T[]) =>
  z
    .string()
    .optional()
    .transform((value) => [...new Set((value ?? '').split(',').map((part) => part.trim()))].filter((part): part is T => (known as readonly string[]).includes(part)));
const settingsData = z.object({
  lang: cardLanguage,
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
 * The use cases are EventService's; this parses, calls it and words the result.
 * Returns the chat-command handler for the message route.
 */
export function registerEventHandlers(app: Application<TurnState>, deps: EventTeamsDependencies) {
  const index = () => deps.directory.index;
  const onCardAction = cardActions(app, deps.memory);
  const noticeCard = (title: string) => notice(title, '').attachments[0]?.content as AdaptiveCard;

  onCardAction(EVENT_VERB.remindMe, {
    data: remindMeData,
    invalid: (lang) => eventTexts(lang).reminders.notFound,
    handle: async ({ context, data, language: lang, actor }) => {
      const t = eventTexts(lang).reminders;
      const offer = await deps.service.reminderOffer(data.id);
      if (offer.kind === 'refused') return reminderRefusal(offer, lang);
      const choice = { type: ActivityTypes.Message, attachments: [reminderChoiceCard(offer.event, lang)] };
      // The clicked card stays as it is (in a channel, everyone sees it); the choice is the user's own.
      if (context.activity.conversation?.conversationType === 'personal') {
        await context.sendActivity(choice);
        return t.choose(offer.event.title);
      }
      const { id, email } = await actor();
      const chat = await deps.conversations.personalChatOf({ id, email: email ?? undefined });
      if (!chat) return t.noPersonalChat;
      try {
        await deps.messenger.send(chat.reference, choice);
      } catch {
        // Blocked or removed there: the same as having no chat to write to.
        return t.noPersonalChat;
      }
      return t.sentToChat;
    },
  });

  onCardAction(EVENT_VERB.scheduleReminder, {
    data: scheduleData,
    invalid: (lang) => eventTexts(lang).cardError,
    handle: async ({ data, language: lang, actor }) => {
      const t = eventTexts(lang).reminders;
      const result = await deps.service.requestReminder(await actor(), data.id, data.choice, lang);
      if (result.kind === 'refused') return noticeCard(reminderRefusal(result, lang));
      return noticeCard(result.now ? t.sendingNow(result.event.title) : t.scheduled(result.event.title, osloMoment(result.reminder.dueAt, lang)));
    },
  });

  onCardAction(EVENT_VERB.saveSettings, {
    data: settingsData,
    invalid: (lang) => eventTexts(lang).cardError,
    handle: async ({ data, language: lang, actor }) => {
      const t = eventTexts(lang);
      const user = await actor();
      // As with kinds and roles, processes the directory no longer has are dropped from what the card sent.
      const addProcesses = data.addProcesses.filter((code) => index().process(code));
      const result = await deps.service.saveSettings(user, { roles: data.roles, keepTopics: data.topics, addKinds: data.addKinds, addProcesses });
      if (result.kind === 'invalid') return t.cardError;
      const message = result.kind === 'refused' ? t.subscriptionReplies.tooMany(MAX_TOPICS) : t.settings.saved;
      return settingsCard(result.subscriptions, await unitLabel(user.id, lang), index(), lang, message).content as AdaptiveCard;
    },
  });

  function reminderRefusal(refusal: ReminderRefusal, lang: ReplyLanguage): string {
    const t = eventTexts(lang).reminders;
    switch (refusal.code) {
      case 'not-found':
        return t.notFound;
      case 'cancelled':
        return t.cancelled(refusal.event.title);
      case 'started':
        return t.started(refusal.event.title);
    }
  }

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
        const { added } = await deps.service.stateRoles(actor, command.roles);
        const roles = rolesSentence(command.roles, lang);
        return { text: added.length > 0 ? t.roleReplies.stated(roles) : t.roleReplies.alreadyKnown(roles) };
      }
      case 'drop-roles': {
        const { removed } = await deps.service.dropRoles(actor, command.roles);
        return { text: removed.length > 0 ? t.roleReplies.dropped(rolesSentence(removed, lang)) : t.roleReplies.notHeld(rolesSentence(command.roles, lang)) };
      }
      case 'subscribe': {
        const result = await deps.service.subscribe(actor, command.filter);
        if (result.kind === 'refused') return { text: t.subscriptionReplies.tooMany(MAX_TOPICS) };
        const named = topicList(topicsOf(command.filter), lang);
        return { text: result.added.length > 0 ? t.subscriptionReplies.subscribed(named) : t.subscriptionReplies.alreadySubscribed(named) };
      }
      case 'unsubscribe':
        return { text: await endSubscriptions(actor, command.filter, lang) };
      case 'settings': {
        const subscriptions = await deps.service.subscriptionsOf(actor);
        return { attachments: [settingsCard(subscriptions, await unitLabel(actor.id, lang), index(), lang)] };
      }
      case 'upcoming': {
        const { events, hidden } = await deps.service.upcoming(command.filter, command.next);
        const card = eventListCard(events, lang, {
          title: upcomingTitle(command.filter, command.next, lang),
          empty: t.upcoming.empty,
          hidden,
          remind: true,
          calendarUrl: deps.calendarUrl,
        });
        return { attachments: [card] };
      }
      case 'past':
        return { attachments: [pastEventsCard(await deps.service.past(command.filter, command.words), lang)] };
      case 'add-material': {
        const result = await deps.service.addMaterial(actor, { id: command.id, material: command.material, url: command.url, title: command.title });
        switch (result.kind) {
          case 'refused':
            return {
              text: result.code === 'not-coordinator' ? t.archive.refused : result.code === 'not-found' ? t.archive.notFound(result.id) : t.archive.alreadyThere(result.id),
            };
          case 'invalid':
            return { text: result.problems.some((problem) => problem.code === 'missing') ? t.archive.needsIdAndUrl : t.archive.invalidUrl };
          case 'added':
            return { text: t.archive.added(t.archive.materials[command.material], result.event.id, result.event.title) };
        }
      }
    }
  }

  async function endSubscriptions(actor: Actor, filter: EventFilter | null, lang: ReplyLanguage): Promise<string> {
    const t = eventTexts(lang).subscriptionReplies;
    const result = await deps.service.unsubscribe(actor, filter);
    if (!filter) return result.hadAny ? t.endedAll : t.nothingToEnd;
    const ended = [...result.removedTopics.map((topic) => topicName(topic, index(), lang)), ...result.removedRoles.map((role) => roleName(role, lang))];
    return ended.length > 0 ? t.ended(eventTexts(lang).listOf(ended)) : t.noneMatched(topicList(topicsOf(filter), lang));
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
