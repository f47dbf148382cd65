import type { Unit } from '../directory/model';
import type { SourceToken } from '../language/text';
import { tokenize } from '../language/text';
import { COMMON_WORDS, DOMAIN_WORDS } from '../language/vocabulary';
import { GENERIC_UNIT_WORDS } from './lexicon';
import { tokenMatchQuality } from './tokenMatch';
import { distance } from 'fastest-levenshtein';

export interface UnitPartMatch {
  code: string;
  /** Share of the name's distinctive weight the message covers, 0..1. */
  coverage: number;
  /** Whether a matched word belongs to this unit alone ("fysikk"), not to several ("helsevitenskap"), and is not just a place. */
  distinctive: boolean;
  /** Every word of the name is there, and one of them is this unit's alone ("helsevitenskap i Gjøvik"). */
  completeAndUnique: boolean;
  tokenIndices: number[];
}

interface NamePart {
  code: string;
  words: string[];
}

/**
 * Words of the finance and payroll subject itself, and of working: "which
 * finance process", "administrativ leder", "I work in …" name no unit, though "Finance Department" and "Joint
 * Administration" contain them (their full names are still recognised).
 */
const SUBJECT_WORDS = new Set(tokenize('finance financial economy okonomi payroll lonn administration administrasjon work jobb'));

/**
 * Recognises a unit from the distinctive words of its names when the full
 * name is not written: "fysikk", "Physics", "datateknologi". Each word weighs
 * the inverse of how many units use it, so "helsevitenskap" (two units)
 * counts less than "Gjøvik" (one).
 */
export class UnitNameParts {
  private readonly names: NamePart[] = [];
  private readonly unitsPerWord = new Map<string, Set<string>>();
  /**
   * Campus towns ("i Gjøvik", "in Ålesund", "Kunstakademiet i Trondheim"):
   * they tell units apart but never name one alone, so "Trondheim" in a
   * question about the weather is not the Academy of Fine Art.
   */
  private readonly places = new Set<string>();
  private readonly wordsByInitial = new Map<string, string[]>();

  constructor(units: readonly Unit[]) {
    for (const unit of units) {
      for (const name of [unit.nameNb, unit.nameEn]) {
        const words = tokenize(name);
        words.forEach((word, i) => {
          if (i > 0 && (words[i - 1] === 'i' || words[i - 1] === 'in')) this.places.add(word);
        });
      }
    }
    for (const unit of units) {
      for (const text of [unit.nameNb, unit.nameEn, ...unit.aliases]) {
        const words = tokenize(text.replace(/\([^)]*\)/g, ' ')).filter(
          // "Energy and Process Engineering" is not named by the word "process".
          (word) => !GENERIC_UNIT_WORDS.has(word) && !COMMON_WORDS.has(word) && !DOMAIN_WORDS.has(word) && !SUBJECT_WORDS.has(word) && word.length >= 4,
        );
        if (words.length === 0) continue;
        this.names.push({ code: unit.code, words });
        for (const word of words) {
          const set = this.unitsPerWord.get(word) ?? new Set<string>();
          set.add(unit.code);
          this.unitsPerWord.set(word, set);
        }
      }
    }
    for (const word of this.unitsPerWord.keys()) {
      const initial = word[0] ?? '';
      this.wordsByInitial.set(initial, [...(this.wordsByInitial.get(initial) ?? []), word]);
    }
  }

  /** Best partial match per unit among the message words not already explained by other phrases. */
  match(tokens: readonly SourceToken[], claimed: ReadonlySet<number>): UnitPartMatch[] {
    const firstToken = this.firstTokenPerNameWord(tokens, claimed);
    const best = new Map<string, UnitPartMatch>();
    for (const name of this.names) {
      let total = 0;
      let covered = 0;
      let distinctive = false;
      let unique = false;
      const indices: number[] = [];
      for (const word of name.words) {
        const weight = 1 / (this.unitsPerWord.get(word)?.size ?? 1);
        total += weight;
        const index = firstToken.get(word) ?? -1;
        if (index >= 0) {
          covered += weight;
          indices.push(index);
          if (weight === 1) unique = true;
          if (weight === 1 && !this.places.has(word)) distinctive = true;
        }
      }
      if (indices.length === 0) continue;
      const coverage = covered / total;
      const previous = best.get(name.code);
      const completeAndUnique = unique && indices.length === name.words.length;
      if (!previous || coverage > previous.coverage) best.set(name.code, { code: name.code, coverage, distinctive, completeAndUnique, tokenIndices: indices });
    }
    return [...best.values()].sort((a, b) => b.coverage - a.coverage);
  }

  /**
   * For each word of the units' names, the first free message word that
   * matches it; each message word is compared only with the name words of
   * its first letter (a typo never changes it, see tokenMatchQuality).
   */
  private firstTokenPerNameWord(tokens: readonly SourceToken[], claimed: ReadonlySet<number>): Map<string, number> {
    const first = new Map<string, number>();
    tokens.forEach((token, i) => {
      if (claimed.has(i) || token.folded.length < 3) return;
      for (const word of this.wordsByInitial.get(token.folded[0] ?? '') ?? []) {
        if (!first.has(word) && tokenMatchQuality(token.folded, word) > 0) first.set(word, i);
      }
    });
    return first;
  }

  /** Units whose names resemble free text, best first, for "did you mean" buttons. */
  closest(text: string, limit: number): string[] {
    const words = tokenize(text).filter((word) => !GENERIC_UNIT_WORDS.has(word) && !COMMON_WORDS.has(word));
    if (words.length === 0) return [];
    const scores = new Map<string, number>();
    for (const name of this.names) {
      let score = 0;
      for (const word of words) {
        let bestWord = 0;
        for (const known of name.words) bestWord = Math.max(bestWord, similarity(word, known));
        score += bestWord;
      }
      score /= words.length;
      if (score > (scores.get(name.code) ?? 0)) scores.set(name.code, score);
    }
    return [...scores.entries()]
      .filter(([, score]) => score >= 0.5)
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([code]) => code);
  }
}

/** Edit-distance similarity of two words, 0..1; a word written only in part ("biolog") counts high. */
function similarity(a: string, b: string): number {
  if (a === b) return 1;
  if (b.startsWith(a) && a.length >= 4) return 0.9;
  return 1 - distance(a, b) / Math.max(a.length, b.length);
}
