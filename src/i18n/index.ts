import type { ReplyLanguage } from '../language/detectLanguage';
import { chatEn } from './en/chat';
import { chatNb, type ChatTexts } from './nb/chat';
import { suggestionsEn } from './en/suggestions';
import { suggestionsNb, type SuggestionTexts } from './nb/suggestions';

export type { ReplyLanguage };

export function chatTexts(language: ReplyLanguage): ChatTexts {
  return language === 'en' ? chatEn : chatNb;
}

export function suggestionTexts(language: ReplyLanguage): SuggestionTexts {
  return language === 'en' ? suggestionsEn : suggestionsNb;
}

/** A directory name in the reply language. */
export function localName(item: { nameNb: string; nameEn: string }, language: ReplyLanguage): string {
  return language === 'en' ? item.nameEn : item.nameNb;
}
