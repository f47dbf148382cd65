import type { SourceToken } from '../language/text';
import { COMMON_WORDS, DOMAIN_WORDS, ENGLISH_COMMON_WORDS, NORWEGIAN_COMMON_WORDS } from '../language/vocabulary';
import { tokenMatchQuality } from './tokenMatch';

/** 'process-role' and 'event-kind' name what courses are for and what kind of event (see announcements/eventCommands.ts). */
export type EntityKind = 'unit' | 'process' | 'role' | 'system' | 'my-unit' | 'process-role' | 'event-kind';

/** How a phrase names its entity; codes and names are surer than aliases and word parts. */
export type PhraseStrength = 'code' | 'name' | 'alias';

export interface Phrase {
  kind: EntityKind;
  /** The entity's code (unit, process, role or system code; 'me' for my-unit phrases). */
  code: string;
  tokens: string[];
  strength: PhraseStrength;
  /**
   * Codes and short aliases that are also ordinary words ("IT", "PER", "ANDRE")
   * count only when written in capitals.
   */
  capitalsOnly: boolean;
  /**
   * The ordinary word is English only ("IE", "IT"): in a Norwegian message, where it is no word, it counts in lower
   * case too ("ie" for the faculty IE, "it" for the IT division).
   */
  ordinaryInEnglishOnly: boolean;
  /** Codes and short aliases must be typed exactly, never as a typo of something. */
  exactOnly: boolean;
}

export interface PhraseMatch {
  phrase: Phrase;
  start: number;
  /** Exclusive end token index. */
  end: number;
  quality: number;
}

export function makePhrase(kind: EntityKind, code: string, tokens: string[], strength: PhraseStrength): Phrase {
  const single = tokens.length === 1 ? (tokens[0] ?? '') : '';
  const codeLike = strength === 'code' || (tokens.length === 1 && single.length <= 4);
  return {
    kind,
    code,
    tokens,
    strength,
    exactOnly: codeLike,
    capitalsOnly: codeLike && tokens.length === 1 && COMMON_WORDS.has(single),
    ordinaryInEnglishOnly: ENGLISH_COMMON_WORDS.has(single) && !NORWEGIAN_COMMON_WORDS.has(single),
  };
}

const KNOWN_WORDS_CACHE_LIMIT = 20_000;

/**
 * Finds every place a phrase occurs as consecutive message words. Candidate
 * phrases are found through an index of their words, so a message is compared
 * with a few dozen phrases, not all of them.
 */
export class PhraseMatcher {
  private readonly phrasesByToken = new Map<string, Phrase[]>();
  /** Known words by first letter: a typo never changes the first letter (see tokenMatchQuality). */
  private readonly vocabularyByInitial = new Map<string, string[]>();
  /**
   * What each message word was found to stand for: people use the same words again and again, and comparing a word
   * with the vocabulary is most of the cost of reading a message. Bounded; the matcher lives as long as its directory version.
   */
  private readonly knownWordsCache = new Map<string, ReadonlyMap<string, number>>();

  constructor(readonly phrases: readonly Phrase[]) {
    for (const phrase of phrases) {
      for (const token of new Set(phrase.tokens)) {
        const list = this.phrasesByToken.get(token);
        if (list) list.push(phrase);
        else this.phrasesByToken.set(token, [phrase]);
      }
    }
    for (const known of this.phrasesByToken.keys()) {
      const initial = known[0] ?? '';
      const words = this.vocabularyByInitial.get(initial);
      if (words) words.push(known);
      else this.vocabularyByInitial.set(initial, [known]);
    }
  }

  /** `norwegian`: the message is written in Norwegian, so English ordinary words in it are not those words. */
  match(tokens: readonly SourceToken[], norwegian = false): PhraseMatch[] {
    // Per message word, the known words it can stand for and how well.
    const candidates = tokens.map((token) => this.knownWordsFor(token.folded));
    const phrases = new Set<Phrase>();
    for (const perToken of candidates) for (const known of perToken.keys()) for (const p of this.phrasesByToken.get(known) ?? []) phrases.add(p);

    const matches: PhraseMatch[] = [];
    for (const phrase of phrases) {
      const length = phrase.tokens.length;
      const first = phrase.tokens[0] as string;
      for (let start = 0; start + length <= tokens.length; start++) {
        if (!candidates[start]?.has(first)) continue;
        let quality = 1;
        for (let offset = 0; offset < length && quality > 0; offset++) {
          const known = phrase.tokens[offset] as string;
          const source = tokens[start + offset] as SourceToken;
          let tokenQuality = candidates[start + offset]?.get(known) ?? 0;
          if (phrase.exactOnly && tokenQuality < 1) tokenQuality = 0;
          const ordinaryHere = !(norwegian && phrase.ordinaryInEnglishOnly);
          if (phrase.capitalsOnly && ordinaryHere && source.original !== source.original.toUpperCase()) tokenQuality = 0;
          quality = Math.min(quality, tokenQuality);
        }
        if (quality > 0) matches.push({ phrase, start, end: start + length, quality });
      }
    }
    return matches;
  }

  private knownWordsFor(token: string): ReadonlyMap<string, number> {
    let known = this.knownWordsCache.get(token);
    if (known === undefined) {
      known = this.compareWithVocabulary(token);
      if (this.knownWordsCache.size >= KNOWN_WORDS_CACHE_LIMIT) this.knownWordsCache.clear();
      this.knownWordsCache.set(token, known);
    }
    return known;
  }

  private compareWithVocabulary(token: string): Map<string, number> {
    const found = new Map<string, number>();
    if (this.phrasesByToken.has(token)) found.set(token, 1);
    if (COMMON_WORDS.has(token) || DOMAIN_WORDS.has(token) || token.length < 4) return found;
    for (const known of this.vocabularyByInitial.get(token[0] ?? '') ?? []) {
      if (known === token) continue;
      const quality = tokenMatchQuality(token, known);
      if (quality > 0) found.set(known, quality);
    }
    return found;
  }
}

/**
 * Keeps the matches that explain the message best without overlapping:
 * longer phrases first (so "Tjenestesenteret for lønn og HR" is a unit, not
 * the payroll process), then better quality, then stronger kinds of name.
 */
export function selectNonOverlapping(matches: readonly PhraseMatch[]): PhraseMatch[] {
  const strengthRank: Record<PhraseStrength, number> = { code: 2, name: 1, alias: 0 };
  const ordered = [...matches].sort(
    (a, b) => b.end - b.start - (a.end - a.start) || b.quality - a.quality || strengthRank[b.phrase.strength] - strengthRank[a.phrase.strength] || a.start - b.start,
  );
  const claimed: boolean[] = [];
  const chosen: PhraseMatch[] = [];
  for (const match of ordered) {
    let free = true;
    for (let i = match.start; i < match.end; i++) if (claimed[i]) free = false;
    // The same words may name two entities of one kind equally well (an alias
    // shared by two units); both are kept so the caller sees the ambiguity.
    const twin = chosen.find((other) => other.start === match.start && other.end === match.end && other.phrase.kind === match.phrase.kind && other.quality === match.quality);
    if (!free && !twin) continue;
    for (let i = match.start; i < match.end; i++) claimed[i] = true;
    chosen.push(match);
  }
  return chosen.sort((a, b) => a.start - b.start);
}
