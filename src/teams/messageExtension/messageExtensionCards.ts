import { CardFactory, type MessagingExtensionAttachment, type MessagingExtensionResult } from 'botbuilder';
import type { Announcement } from '../../announcements/model';
import type { DirectoryIndex } from '../../directory/directoryIndex';
import type { ContactAnswer } from '../../directory/resolveContacts';
import { announcementTexts, messageExtensionTexts, type ReplyLanguage } from '../../i18n';
import { announcementCard, type CalendarUrl } from '../announcements/announcementCards';
import { eventWhen } from '../announcements/eventCards';
import { renderCard } from '../cards/renderCard';
import { personLine, teamsChatUrl, type ReplyCards } from '../cards/replyCards';
import contactTemplate from './templates/contactCard.json';

/** The command ids of appPackage/manifest.json's composeExtensions. */
export const COMMAND = {
  findAdvisor: 'findAdvisor',
  findEvents: 'findEvents',
  reportSuggestion: 'reportSuggestion',
  askAdvisor: 'askAdvisor',
} as const;

/** What a result list item carries back in `composeExtension/selectItem` when it is chosen. */
interface SelectedEvent {
  kind: 'event';
  id: string;
  lang: ReplyLanguage;
}

interface ContactCardData {
  name: string;
  roleAndUnit: string;
  reason: string;
  email: string;
  phone: string;
  chatUrl: string;
  labels: { chat: string; sendEmail: string; email: string; phone: string };
}

/** Teams shows at most 25 items in a result list. */
export const MAX_RESULTS = 25;

/** A result list of cards to insert. */
export function resultList(attachments: MessagingExtensionAttachment[]): MessagingExtensionResult {
  return { type: 'result', attachmentLayout: 'list', attachments };
}

/** A line of text in place of results: what to type, or why there is nothing. */
export function messageResult(text: string): MessagingExtensionResult {
  return { type: 'message', text };
}

/**
 * One result per person of a directory answer: a thumbnail preview in the
 * list (name; role and unit; e-mail) and an Adaptive Card to insert with the
 * same, why this person, and buttons to chat or write.
 */
export function contactResults(answer: ContactAnswer, index: DirectoryIndex, language: ReplyLanguage, cards: ReplyCards): MessagingExtensionAttachment[] {
  const labels = messageExtensionTexts(language).advisors.card;
  const reason = cards.reasonFor(answer, language);
  return answer.people.slice(0, MAX_RESULTS).map((person) => {
    const roleAndUnit = personLine(person, index, language, answer);
    const card = renderCard<ContactCardData>(contactTemplate, {
      name: person.name,
      roleAndUnit,
      reason,
      email: person.email,
      phone: person.phone ?? '',
      chatUrl: teamsChatUrl(person.email),
      labels,
    });
    return { ...card, preview: CardFactory.thumbnailCard(person.name, person.email, undefined, undefined, { subtitle: roleAndUnit }) };
  });
}

/**
 * One result per event: the preview names the kind, time and title; the card
 * inserted is the announcement card itself, with "Minn meg på" and "Legg i
 * kalender". Choosing an item asks the bot again (selectItem), so a change
 * made since the search is what gets posted.
 */
export function eventResults(events: readonly Announcement[], language: ReplyLanguage, calendarUrl: CalendarUrl): MessagingExtensionAttachment[] {
  const kinds = announcementTexts(language).kinds;
  return events.slice(0, MAX_RESULTS).map((event) => {
    const selected: SelectedEvent = { kind: 'event', id: event.id, lang: language };
    const preview = CardFactory.thumbnailCard(event.title, event.place ?? '', undefined, undefined, {
      subtitle: `${kinds[event.kind]} · ${eventWhen(event, language)}`,
      tap: { type: 'invoke', title: event.title, value: selected },
    });
    return { ...announcementCard(event, calendarUrl, language), preview };
  });
}
