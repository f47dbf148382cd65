import type { AnnouncementStatus, BroadcastProgress } from '../announcements/announcementPorts';
import type { Announcement } from '../announcements/model';
import { PROCESS_ROLES } from '../announcements/model';
import type { Reminder } from '../announcements/reminders';
import { topicKey, type Subscriptions } from '../announcements/subscriptions';
import type { RoleHolderDiff } from '../roleHolders/diffRoleHolders';
import type { ChannelRegistration } from '../conversations/channelRegistrations';
import type { DirectoryIndex } from '../directory/directoryIndex';
import type { DirectoryDiff, PersonChangeDetail } from '../directory/import/diffDirectories';
import type { ImportProblem } from '../directory/import/validateDirectory';
import { advisorQuestionTexts, announcementTexts, directoryImportTexts, eventTexts, localName, privacyTexts, suggestionTexts, tabTexts, type ReplyLanguage } from '../i18n';
import { describePersonChange, problemReason } from '../i18n/directoryImportWording';
import type { Suggestion } from '../suggestions/model';
import type { AdvisorQuestion } from '../advisorQuestions/model';
import { isAnonymised, type Actor } from '../core/actor';
import type { DeadLetter } from '../delivery/deadLetters';
import { inOslo } from '../core/osloTime';

/**
 * What the tab pages show, as plain JSON in the user's language: the pages
 * render it and hold no domain knowledge of their own.
 */

const FORMATS: Record<ReplyLanguage, { date: string; dateTime: string }> = {
  nb: { date: 'd. MMM yyyy', dateTime: 'd. MMM yyyy HH:mm' },
  nn: { date: 'd. MMM yyyy', dateTime: 'd. MMM yyyy HH:mm' },
  en: { date: 'd MMM yyyy', dateTime: 'd MMM yyyy HH:mm' },
};

/** A time as people in Norway read it, whoever asks. */
export function osloText(instant: string, language: ReplyLanguage, dateOnly = false): string {
  const format = FORMATS[language];
  return inOslo(instant)
    .setLocale(tabTexts(language).locale)
    .toFormat(dateOnly ? format.date : format.dateTime);
}

export function unitName(index: DirectoryIndex, code: string, language: ReplyLanguage): string {
  const unit = index.unit(code);
  return unit ? `${localName(unit, language)} (${unit.code})` : code;
}

export function processName(index: DirectoryIndex, code: string, language: ReplyLanguage): string {
  const process = index.process(code);
  return process ? localName(process, language) : code;
}

export function suggestionView(suggestion: Suggestion, index: DirectoryIndex, language: ReplyLanguage) {
  const t = suggestionTexts(language);
  return {
    id: suggestion.id,
    title: suggestion.title,
    process: processName(index, suggestion.process, language),
    unit: unitName(index, suggestion.unit, language),
    state: suggestion.state,
    stateLabel: t.states[suggestion.state],
    assignee: suggestion.assignee?.name ?? null,
    created: osloText(suggestion.createdAt, language),
    updated: osloText(suggestion.history.at(-1)?.at ?? suggestion.updatedAt, language),
    history: suggestion.history.map((entry) => ({
      at: osloText(entry.at, language),
      by: entry.by.name,
      what: [t.historyVerbs[entry.action], entry.assignee].filter(Boolean).join(' '),
      stateLabel: t.states[entry.to],
      comment: entry.comment,
    })),
  };
}

/** A question to the advisors as the coordinators' list shows it (read-only): who asked, where it stands, the answer. */
export function questionView(question: AdvisorQuestion, index: DirectoryIndex, language: ReplyLanguage) {
  const t = advisorQuestionTexts(language);
  const nameOf = (actor: Actor) => (isAnonymised(actor) ? privacyTexts(language).anonymised : actor.name);
  return {
    id: question.id,
    text: question.text,
    process: processName(index, question.process, language),
    unit: unitName(index, question.unit, language),
    state: question.state,
    stateLabel: t.states[question.state],
    asker: nameOf(question.asker),
    shareable: question.shareable,
    sentTo: question.route.target.label,
    assignee: question.assignee ? nameOf(question.assignee) : null,
    answer: question.answer ? { text: question.answer.text, by: nameOf(question.answer.by), at: osloText(question.answer.at, language) } : null,
    suggestionId: question.suggestionId,
    created: osloText(question.createdAt, language),
    updated: osloText(question.history.at(-1)?.at ?? question.updatedAt, language),
    /** The version a change is based on (a change in between is a conflict). */
    version: question.updatedAt,
    curation: { text: question.curation?.text ?? null, hidden: question.curation?.hidden ?? false, standing: question.curation?.standing ?? false },
  };
}

export function eventView(event: Announcement, reminders: readonly Reminder[], calendarUrl: string, language: ReplyLanguage) {
  const choices = tabTexts(language).mine.events.choices;
  return {
    id: event.id,
    title: event.title,
    kind: announcementTexts(language).kinds[event.kind],
    when: event.allDay ? osloText(event.startsAt, language, true) : `${osloText(event.startsAt, language)}–${inOslo(event.endsAt).toFormat('HH:mm')}`,
    place: event.place,
    meetingUrl: event.meetingUrl,
    registrationUrl: event.registrationUrl,
    calendarUrl,
    reminders: reminders.map((reminder) => ({ choice: reminder.choice, label: choices[reminder.choice], due: osloText(reminder.dueAt, language) })),
  };
}

export function subscriptionsView(subscriptions: Subscriptions, index: DirectoryIndex, language: ReplyLanguage) {
  const a = announcementTexts(language);
  const e = eventTexts(language);
  return {
    roles: PROCESS_ROLES.map((role) => ({ code: role, name: a.roles[role], held: subscriptions.roles.includes(role) })),
    topics: subscriptions.topics.map((topic) => ({
      key: topicKey(topic),
      label: capitalise(
        e.topic(topic.kind ? e.kindsPlural[topic.kind] : null, topic.process ? processName(index, topic.process, language) : null, topic.role ? e.rolesPlural[topic.role] : null),
      ),
    })),
  };
}

export function progressView(progress: BroadcastProgress | null) {
  return progress && { total: progress.total, sent: progress.sent, failed: progress.failed, skipped: progress.skipped, remaining: progress.remaining };
}

export function announcementView(status: AnnouncementStatus | { announcement: Announcement; unavailable: true }, language: ReplyLanguage) {
  const a = announcementTexts(language);
  const { announcement } = status;
  return {
    id: announcement.id,
    title: announcement.title,
    kind: a.kinds[announcement.kind],
    state: announcement.state,
    stateLabel: a.states[announcement.state],
    starts: osloText(announcement.startsAt, language, announcement.allDay),
    delivery: 'unavailable' in status ? null : progressView(status.delivery),
    update: 'unavailable' in status ? null : progressView(status.update),
    unavailable: 'unavailable' in status,
  };
}

export function registrationView(registration: ChannelRegistration, index: DirectoryIndex, language: ReplyLanguage) {
  return {
    process: processName(index, registration.process, language),
    unit: registration.unit ? unitName(index, registration.unit, language) : null,
    channel: registration.channelName ?? registration.conversationId,
    by: registration.registeredBy,
    at: osloText(registration.registeredAt, language),
  };
}

/** A dead letter of the outbox as the Forvaltning tab lists it. */
export function deadLetterView(letter: DeadLetter, language: ReplyLanguage) {
  return { message: letter.id, reason: letter.reason, attempts: letter.attempts, created: osloText(letter.createdAt, language) };
}

/** A problem in the words of the import command, without the file and line, which the table shows in columns of their own. */
export function problemView(problem: ImportProblem, language: ReplyLanguage) {
  return { file: problem.file, line: problem.line, message: problemReason(problem, directoryImportTexts(language)) };
}

/** The changes of an import, people in detail and the rest as counts, in the words of the import command. */
export function diffView(diff: DirectoryDiff, language: ReplyLanguage) {
  const t = directoryImportTexts(language);
  const describe = (change: PersonChangeDetail): string[] => describePersonChange(change, t);
  return {
    people: {
      added: diff.people.added.map((person) => `${person.name} <${person.email}>`),
      removed: diff.people.removed.map((person) => `${person.name} <${person.email}>`),
      changed: diff.people.changed.map((person) => `${person.name} <${person.email}>: ${person.changes.flatMap(describe).join('; ')}`),
    },
    counts: [
      t.people({ added: diff.people.added.length, removed: diff.people.removed.length, changed: diff.people.changed.length }),
      t.units(diff.units),
      t.processes(diff.processes),
      t.roles(diff.roles),
      t.contactPoints(diff.contactPoints),
    ],
  };
}

/** The changes of a role-holder import, person by person, in the words of the import command. */
export function roleHolderDiffView(diff: RoleHolderDiff, language: ReplyLanguage) {
  const t = directoryImportTexts(language);
  return {
    people: {
      added: diff.added.map((person) => `${person.name} <${person.email}>`),
      removed: diff.removed.map((person) => `${person.name} <${person.email}>`),
      changed: diff.changed.map((person) => `${person.name} <${person.email}>: ${person.changes.flatMap((change) => describePersonChange(change, t)).join('; ')}`),
    },
    counts: [t.people({ added: diff.added.length, removed: diff.removed.length, changed: diff.changed.length })],
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
