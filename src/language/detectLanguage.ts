import { LANGUAGE_MARKERS } from './vocabulary';
import { tokenize } from './text';

export type WrittenLanguage = 'nb' | 'nn' | 'en';
/**
 * What a message shows of its language: one of the three, Norwegian without showing which written form ("og for
 * IKJ?": words bokmål and nynorsk write alike), or nothing (null: "IIK").
 */
export type MessageLanguage = WrittenLanguage | 'norwegian' | null;
const UNFOLDED_NYNORSK = /(^|[^\p{L}])dataa($|[^\p{L}])/u;
/** The languages the product replies in: each written form is answered in its own. */
export const REPLY_LANGUAGES = ['nb', 'nn', 'en'] as const;
export type ReplyLanguage = (typeof REPLY_LANGUAGES)[number];

/**
 * Which language a short chat message is written in, from marker words.
 * A general-purpose detector (franc, cld) needs far more text than a
 * five-word question and confuses the Scandinavian languages, so this counts
 * words that only one of the three uses; null when the message does not say.
 */
export function detectWrittenLanguage(text: string): WrittenLanguage | null {
  const language = writtenLanguageOf(tokenize(text), text);
  return language === 'norwegian' ? 'nb' : language;
}

/** As detectWrittenLanguage, for a message already split into folded words (those that name no unit, say). */
export function writtenLanguageOf(tokens: readonly string[], text: string): MessageLanguage {
  // Folding makes the nynorsk "dataa" the shared "data", so it is counted as written.
  const scores: Record<WrittenLanguage, number> = { nb: 0, nn: UNFOLDED_NYNORSK.test(text.toLowerCase()) ? 1 : 0, en: 0 };
  for (const token of tokens) {
    const inNb = LANGUAGE_MARKERS.nb.has(token);
    const inNn = LANGUAGE_MARKERS.nn.has(token);
    const inEn = LANGUAGE_MARKERS.en.has(token);
    // Words shared by two languages say little; words of one language say more.
    const weight = 1 / (Number(inNb) + Number(inNn) + Number(inEn) || 1);
    if (inNb) scores.nb += weight;
    if (inNn) scores.nn += weight;
    if (inEn) scores.en += weight;
  }
  const norwegian = scores.nb + scores.nn;
  if (scores.en === 0 && norwegian === 0) return null;
  if (scores.en > norwegian) return 'en';
  if (norwegian > scores.en) return scores.nn > scores.nb ? 'nn' : scores.nb > scores.nn ? 'nb' : 'norwegian';
  return null;
}

/** The reply language: the message's own language, else the client's locale, else bokmål. */
export function replyLanguage(text: string, locale: string | undefined): ReplyLanguage {
  return detectWrittenLanguage(text) ?? localeLanguage(locale);
}

/** The language of a client locale such as "en-US", "nn-NO" or "nb-NO"; bokmål unless English or nynorsk. */
export function localeLanguage(locale: string | null | undefined): ReplyLanguage {
  if (!locale) return 'nb';
  if (/^en\b/i.test(locale)) return 'en';
  if (/^nn\b/i.test(locale)) return 'nn';
  return 'nb';
}

/**
 * The reply language of a chat turn: the message's own language; for a
 * message that does not show one ("IIK", "neste fagkafé"), the language the
 * conversation has been in; only on a first message the client's locale. A
 * Norwegian message that does not show its written form ("og for IKJ?") is
 * answered in the conversation's or the locale's form, else in bokmål.
 */
export function turnLanguage(written: MessageLanguage, conversation: ReplyLanguage | null, locale: string | undefined): ReplyLanguage {
  if (written === 'norwegian') {
    const norwegian = [conversation, localeLanguage(locale)].find((candidate) => candidate === 'nb' || candidate === 'nn');
    return norwegian ?? 'nb';
  }
  return written ?? conversation ?? localeLanguage(locale);
}

/** Whether the message leaves its reply language to the conversation (then the conversation's language is read). */
export function dependsOnConversationLanguage(written: MessageLanguage): boolean {
  return written === null || written === 'norwegian';
}
