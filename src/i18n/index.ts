import type { ReplyLanguage } from '../language/detectLanguage';
import { chatEn } from './en/chat';
import { chatNb, type ChatTexts } from './nb/chat';

export type { ReplyLanguage };

export function chatTexts(language: ReplyLanguage): ChatTexts {
  return language === 'en' ? chatEn : chatNb;
}

/** A directory name in the reply language. */
export function localName(item: { nameNb: string; nameEn: string }, language: ReplyLanguage): string {
  return language === 'en' ? item.nameEn : item.nameNb;
}
