import type { ReplyLanguage } from '../language/detectLanguage';
import { chatEn } from './en/chat';
import { chatNb, type ChatTexts } from './nb/chat';
import { suggestionsEn } from './en/suggestions';
import { suggestionsNb, type SuggestionTexts } from './nb/suggestions';
import { followUpEn } from './en/suggestionFollowUp';
import { followUpNb, type FollowUpTexts } from './nb/suggestionFollowUp';
import { directoryImportEn } from './en/directoryImport';
import { directoryImportNb, type DirectoryImportTexts } from './nb/directoryImport';
import { eventsEn } from './en/events';
import { eventsNb, type EventTexts } from './nb/events';
import { announcementsEn } from './en/announcements';
import { announcementsNb, type AnnouncementTexts } from './nb/announcements';
import { messageExtensionEn } from './en/messageExtension';
import { messageExtensionNb, type MessageExtensionTexts } from './nb/messageExtension';
import { privacyEn } from './en/privacy';
import { privacyNb, type PrivacyTexts } from './nb/privacy';
import { tabsEn } from './en/tabs';
import { tabsNb, type TabTexts } from './nb/tabs';

export type { ReplyLanguage };

export function chatTexts(language: ReplyLanguage): ChatTexts {
  return language === 'en' ? chatEn : chatNb;
}

export function suggestionTexts(language: ReplyLanguage): SuggestionTexts {
  return language === 'en' ? suggestionsEn : suggestionsNb;
}

export function followUpTexts(language: ReplyLanguage): FollowUpTexts {
  return language === 'en' ? followUpEn : followUpNb;
}

export function announcementTexts(language: ReplyLanguage): AnnouncementTexts {
  return language === 'en' ? announcementsEn : announcementsNb;
}

export function eventTexts(language: ReplyLanguage): EventTexts {
  return language === 'en' ? eventsEn : eventsNb;
}

export function messageExtensionTexts(language: ReplyLanguage): MessageExtensionTexts {
  return language === 'en' ? messageExtensionEn : messageExtensionNb;
}

export function privacyTexts(language: ReplyLanguage): PrivacyTexts {
  return language === 'en' ? privacyEn : privacyNb;
}

export function tabTexts(language: ReplyLanguage): TabTexts {
  return language === 'en' ? tabsEn : tabsNb;
}

export function directoryImportTexts(language: ReplyLanguage): DirectoryImportTexts {
  return language === 'en' ? directoryImportEn : directoryImportNb;
}

/** A directory name in the reply language. */
export function localName(item: { nameNb: string; nameEn: string }, language: ReplyLanguage): string {
  return language === 'en' ? item.nameEn : item.nameNb;
}
