import type { Attachment } from 'botbuilder';
import { DateTime } from 'luxon';
import type { FoundEvent } from '../../announcements/archive';
import { EVENT_KINDS, PROCESS_ROLES, type Announcement, type ProcessRole } from '../../announcements/model';
import { REMINDER_CHOICES } from '../../announcements/reminders';
import { topicKey, type Subscriptions, type Topic } from '../../announcements/subscriptions';
import type { DirectoryIndex } from '../../directory/directoryIndex';
import { announcementTexts, eventTexts, localName, type ReplyLanguage } from '../../i18n';
import { inOslo } from '../../core/osloTime';
import { renderCard } from '../cards/renderCard';
import { eventTime } from './announcementCards';
import eventListTemplate from './templates/eventList.json';
import eventSettingsTemplate from './templates/eventSettings.json';
import pastEventsTemplate from './templates/pastEvents.json';
import reminderChoiceTemplate from './templates/reminderChoice.json';

/** Card verbs of events. `remindMe` is also the verb of the announcement card's "Minn meg på" button. */
export const EVENT_VERB = {
  remindMe: 'remindMe',
  scheduleReminder: 'scheduleReminder',
  saveSettings: 'saveEventSettings',
} as const;

interface EventListCardData {
  title: string;
  empty: string;
  more: string;
  lang: ReplyLanguage;
  labels: { remindMe: string; addToCalendar: string; join: string; register: string };
  events: Array<{
    id: string;
    heading: string;
    title: string;
    facts: Array<{ title: string; value: string }>;
    description: string;
    remind: boolean;
    calendarUrl: string;
    meetingUrl: string;
    registrationUrl: string;
  }>;
}

interface ReminderChoiceCardData {
  id: string;
  lang: ReplyLanguage;
  question: string;
  when: string;
  choices: Array<{ choice: string; title: string }>;
}

interface PastEventsCardData {
  title: string;
  empty: string;
  noMaterials: string;
  events: Array<{ heading: string; title: string; materials: Array<{ title: string; url: string }> }>;
}

interface SettingsCardData {
  title: string;
  notice: string;
  intro: string;
  unit: string;
  hint: string;
  lang: ReplyLanguage;
  labels: { roles: string; topics: string; noTopics: string; addKinds: string; addProcesses: string; save: string };
  roles: string;
  roleChoices: Array<{ title: string; value: string }>;
  topics: string;
  topicChoices: Array<{ title: string; value: string }>;
  kindChoices: Array<{ title: string; value: string }>;
  processChoices: Array<{ title: string; value: string }>;
}

/** When an event is, as the announcement card says it; an archived one (a date, no time) by its date. */
export function eventWhen(event: Announcement, language: ReplyLanguage): string {
  if (!event.allDay) return eventTime(event.startsAt, event.endsAt, language);
  return inOslo(event.startsAt).setLocale(announcementTexts(language).locale).toLocaleString(DateTime.DATE_FULL);
}

export function roleName(role: ProcessRole, language: ReplyLanguage): string {
  return announcementTexts(language).roles[role].toLocaleLowerCase(eventTexts(language).locale);
}

export function rolesSentence(roles: readonly ProcessRole[], language: ReplyLanguage): string {
  return eventTexts(language).listOf(roles.map((role) => roleName(role, language)));
}

export function topicName(topic: Topic, index: DirectoryIndex, language: ReplyLanguage): string {
  const t = eventTexts(language);
  const process = topic.process ? index.process(topic.process) : undefined;
  return t.topic(topic.kind ? t.kindsPlural[topic.kind] : null, process ? localName(process, language) : topic.process, topic.role ? t.rolesPlural[topic.role] : null);
}

/** A list of events with "Minn meg på" and "Legg i kalender" on each; also the reminder itself (one event, no reminder button). */
export function eventListCard(
  events: readonly Announcement[],
  language: ReplyLanguage,
  options: { title: string; empty: string; hidden: number; remind: boolean; calendarUrl: (id: string) => string },
): Attachment {
  const t = eventTexts(language).upcoming;
  const kinds = announcementTexts(language).kinds;
  return renderCard<EventListCardData>(eventListTemplate, {
    title: options.title,
    empty: options.empty,
    more: options.hidden > 0 ? t.more(options.hidden) : '',
    lang: language,
    labels: { remindMe: t.remindMe, addToCalendar: t.addToCalendar, join: t.join, register: t.register },
    events: events.map((event) => ({
      id: event.id,
      heading: `${kinds[event.kind]} · ${event.id}`,
      title: event.title,
      facts: [
        { title: t.when, value: eventWhen(event, language) },
        { title: t.where, value: event.place ?? (event.meetingUrl ? t.teamsMeeting : '') },
        { title: t.audience, value: audienceLine(event, language) },
      ].filter((fact) => fact.value !== ''),
      description: event.description,
      remind: options.remind,
      calendarUrl: options.calendarUrl(event.id),
      meetingUrl: event.meetingUrl ?? '',
      registrationUrl: event.registrationUrl ?? '',
    })),
  });
}

function audienceLine(event: Announcement, language: ReplyLanguage): string {
  const t = eventTexts(language);
  if (event.audience.everyone) return t.upcoming.everyone;
  return t.listOf(event.audience.roles.map((role) => t.rolesPlural[role]));
}

export function reminderChoiceCard(event: Announcement, language: ReplyLanguage): Attachment {
  const t = eventTexts(language).reminders;
  return renderCard<ReminderChoiceCardData>(reminderChoiceTemplate, {
    id: event.id,
    lang: language,
    question: t.choose(event.title),
    when: eventWhen(event, language),
    choices: REMINDER_CHOICES.map((choice) => ({ choice, title: t.choices[choice] })),
  });
}

export function pastEventsCard(found: readonly FoundEvent[], language: ReplyLanguage): Attachment {
  const t = eventTexts(language).archive;
  const kinds = announcementTexts(language).kinds;
  return renderCard<PastEventsCardData>(pastEventsTemplate, {
    title: t.title,
    empty: t.empty,
    noMaterials: t.noMaterials,
    events: found.map(({ event }) => ({
      heading: `${kinds[event.kind]} · ${eventWhen(event, language)} · ${event.id}`,
      title: event.title,
      materials: event.materials.map((material) => ({ title: material.title || t.materials[material.kind], url: material.url })),
    })),
  });
}

export function settingsCard(subscriptions: Subscriptions, unit: string | null, index: DirectoryIndex, language: ReplyLanguage, notice = ''): Attachment {
  const t = eventTexts(language).settings;
  const kinds = announcementTexts(language).kinds;
  return renderCard<SettingsCardData>(eventSettingsTemplate, {
    title: t.title,
    notice,
    intro: t.intro,
    unit: t.unit(unit),
    hint: t.hint,
    lang: language,
    labels: { roles: t.rolesLabel, topics: t.topicsLabel, noTopics: t.noTopics, addKinds: t.addKindsLabel, addProcesses: t.addProcessesLabel, save: t.save },
    roles: subscriptions.roles.join(','),
    roleChoices: PROCESS_ROLES.map((role) => ({ title: announcementTexts(language).roles[role], value: role })),
    topics: subscriptions.topics.map(topicKey).join(','),
    topicChoices: subscriptions.topics.map((topic) => ({ title: capitalise(topicName(topic, index, language)), value: topicKey(topic) })),
    kindChoices: EVENT_KINDS.map((kind) => ({ title: kinds[kind], value: kind })),
    processChoices: index.directory.processes.map((process) => ({ title: localName(process, language), value: process.code })),
  });
}

function capitalise(text: string): string {
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
}
