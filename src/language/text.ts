/**
 * Text folding shared by every matcher, so that case, diacritics and the
 * Norwegian spelling variants (æ/ae, ø/oe/o, å/aa/a) never matter.
 */

const LETTER_FOLDS: ReadonlyArray<[RegExp, string]> = [
  [/æ|ä/g, 'ae'],
  [/ø|ö/g, 'o'],
  [/å/g, 'a'],
];

/** Lower-cases, removes diacritics and folds Norwegian letters to one canonical ASCII spelling. */
export function fold(text: string): string {
  let folded = text.toLowerCase();
  for (const [pattern, replacement] of LETTER_FOLDS) folded = folded.replace(pattern, replacement);
  folded = folded.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  // Typed-out variants: "oe" for ø and "aa" for å ("Okonomi", "ISOE", "Aalesund").
  return folded.replace(/oe/g, 'o').replace(/aa/g, 'a');
}

/** Folded word tokens: letters and digits, split on everything else ("IT-avdelingen" → it, avdelingen). */
export function tokenize(text: string): string[] {
  return fold(text)
    .split(/[^a-z0-9]+/)
    .filter((token) => token.length > 0);
}

export interface SourceToken {
  /** Folded form used for matching. */
  folded: string;
  /** The token as the user wrote it, to tell "IT" (a unit code) from "it" (a word). */
  original: string;
  /** Which sentence of the message the token is in, from 0 (sentences end at . ? ! or a line break). */
  sentence: number;
}

/** Words of chat repeat ("hvem", "er", "prosessrådgiver"): each is folded once per instance, up to this many. */
const WORD_CACHE_LIMIT = 20_000;
const foldedWords = new Map<string, string[]>();

function tokenizeWord(word: string): string[] {
  let folded = foldedWords.get(word);
  if (!folded) {
    if (foldedWords.size >= WORD_CACHE_LIMIT) foldedWords.clear();
    folded = tokenize(word);
    foldedWords.set(word, folded);
  }
  return folded;
}

/** Tokens with their original spelling kept beside the folded form. */
export function tokenizeWithOriginal(text: string): SourceToken[] {
  const tokens: SourceToken[] = [];
  let sentence = 0;
  let scanned = 0;
  for (const match of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    const original = match[0];
    const start = match.index ?? scanned;
    if (/[.?!\n]/.test(text.slice(scanned, start)) && tokens.length > 0) sentence++;
    scanned = start + original.length;
    for (const folded of tokenizeWord(original)) tokens.push({ folded, original, sentence });
  }
  return tokens;
}
