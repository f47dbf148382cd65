import type { ReplyLanguage } from '../language/detectLanguage';
import { chatEn } from './en/chat';
import { chatNb, type ChatTexts } from './nb/chat';
import { chatNn } from './nn/chat';
import { suggestionsEn } from './en/suggestions';
import { suggestionsNb, type SuggestionTexts } from './nb/suggestions';
import { suggestionsNn } from './nn/suggestions';
import { followUpEn } from './en/suggestionFollowUp';
import { followUpNb, type FollowUpTexts } from './nb/suggestionFollowUp';
import { followUpNn } from './nn/suggestionFollowUp';
import { directoryImportEn } from './en/directoryImport';
import { directoryImportNb, type DirectoryImportTexts } from './nb/directoryImport';
import { directoryImportNn } from './nn/directoryImport';
import { eventsEn } from './en/events';
import { eventsNb, type EventTexts } from './nb/events';
import { eventsNn } from './nn/events';
import { announcementsEn } from './en/announcements';
import { announcementsNb, type AnnouncementTexts } from './nb/announcements';
import { announcementsNn } from './nn/announcements';
import { messageExtensionEn } from './en/messageExtension';
import { messageExtensionNb, type MessageExtensionTexts } from './nb/messageExtension';
import { messageExtensionNn } from './nn/messageExtension';
import { privacyEn } from './en/privacy';
import { privacyNb, type PrivacyTexts } from './nb/privacy';
import { privacyNn } from './nn/privacy';
import { tabsEn } from './en/tabs';
import { tabsNb, type TabTexts } from './nb/tabs';
import { tabsNn } from './nn/tabs';
import { advisorQuestionsEn } from './en/advisorQuestions';
import { advisorQuestionsNb, type AdvisorQuestionTexts } from './nb/advisorQuestions';
import { advisorQuestionsNn } from './nn/advisorQuestions';

export type { ReplyLanguage };

// One record per feature, so a language without its texts does not compile.
const CHAT: Record<ReplyLanguage, ChatTexts> = { nb: chatNb, nn: chatNn, en: chatEn };
const SUGGESTIONS: Record<ReplyLanguage, SuggestionTexts> = { nb: suggestionsNb, nn: suggestionsNn, en: suggestionsEn };
const FOLLOW_UP: Record<ReplyLanguage, FollowUpTexts> = { nb: followUpNb, nn: followUpNn, en: followUpEn };
const ANNOUNCEMENTS: Record<ReplyLanguage, AnnouncementTexts> = { nb: announcementsNb, nn: announcementsNn, en: announcementsEn };
const EVENTS: Record<ReplyLanguage, EventTexts> = { nb: eventsNb, nn: eventsNn, en: eventsEn };
const MESSAGE_EXTENSION: Record<ReplyLanguage, MessageExtensionTexts> = { nb: messageExtensionNb, nn: messageExtensionNn, en: messageExtensionEn };
const PRIVACY: Record<ReplyLanguage, PrivacyTexts> = { nb: privacyNb, nn: privacyNn, en: privacyEn };
const TABS: Record<ReplyLanguage, TabTexts> = { nb: tabsNb, nn: tabsNn, en: tabsEn };
const ADVISOR_QUESTIONS: Record<ReplyLanguage, AdvisorQuestionTexts> = { nb: advisorQuestionsNb, nn: advisorQuestionsNn, en: advisorQuestionsEn };
const DIRECTORY_IMPORT: Record<ReplyLanguage, DirectoryImportTexts> = { nb: directoryImportNb, nn: directoryImportNn, en: directoryImportEn };

export function chatTexts(language: ReplyLanguage): ChatTexts {
  return CHAT[language];
}

export function suggestionTexts(language: ReplyLanguage): SuggestionTexts {
  return SUGGESTIONS[language];
}

export function followUpTexts(language: ReplyLanguage): FollowUpTexts {
  return FOLLOW_UP[language];
}

export function announcementTexts(language: ReplyLanguage): AnnouncementTexts {
  return ANNOUNCEMENTS[language];
}

export function eventTexts(language: ReplyLanguage): EventTexts {
  return EVENTS[language];
}

export function messageExtensionTexts(language: ReplyLanguage): MessageExtensionTexts {
  return MESSAGE_EXTENSION[language];
}

export function privacyTexts(language: ReplyLanguage): PrivacyTexts {
  return PRIVACY[language];
}

export function tabTexts(language: ReplyLanguage): TabTexts {
  return TABS[language];
}

export function advisorQuestionTexts(language: ReplyLanguage): AdvisorQuestionTexts {
  return ADVISOR_QUESTIONS[language];
}

export function directoryImportTexts(language: ReplyLanguage): DirectoryImportTexts {
  return DIRECTORY_IMPORT[language];
}

/** A directory name in the reply language; nynorsk uses the bokmål name unless the directory gives a nynorsk one (roles' name_nn). */
export function localName(item: { nameNb: string; nameEn: string; nameNn?: string }, language: ReplyLanguage): string {
  if (language === 'nn' && item.nameNn) return item.nameNn;
  return language === 'en' ? item.nameEn : item.nameNb;
}
