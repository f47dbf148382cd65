import { tokenize } from '../language/text';
import { tokenMatchQuality } from '../understanding/tokenMatch';
import type { Unit } from './model';

/** How much a query word matching a word of the unit counts: its code most, a word begun (typeahead) a little less than a whole one. */
const CODE_MATCH = 3;
const PREFIX_MATCH = 0.8;

/**
 * Units for a typeahead box: every word typed must begin (or, from five
 * letters, nearly spell) a word of the unit's code, names or aliases, in
 * either language, with case and æøå spellings folded. "ie", "fysi", "Department
 * of Phys", "okonomiavd" all find their units. Best first; an empty query
 * lists the units by code.
 */
export function searchUnits(units: readonly Unit[], text: string, limit: number): Unit[] {
  const words = tokenize(text);
  const byCode = (a: Unit, b: Unit) => a.code.localeCompare(b.code, 'nb');
  if (words.length === 0) return [...units].sort(byCode).slice(0, limit);
  const scored: Array<{ unit: Unit; score: number }> = [];
  for (const unit of units) {
    const code = tokenize(unit.code).join('');
    const nameWords = [...new Set([unit.nameNb, unit.nameEn, ...unit.aliases].flatMap((name) => tokenize(name)))];
    let score = 0;
    for (const word of words) {
      const quality = wordQuality(word, code, nameWords);
      if (quality === 0) {
        score = 0;
        break;
      }
      score += quality;
    }
    if (score > 0) scored.push({ unit, score });
  }
  return scored
    .sort((a, b) => b.score - a.score || byCode(a.unit, b.unit))
    .slice(0, limit)
    .map((found) => found.unit);
}

function wordQuality(word: string, code: string, nameWords: readonly string[]): number {
  if (word === code) return CODE_MATCH;
  if (code.startsWith(word)) return CODE_MATCH * PREFIX_MATCH;
  let best = 0;
  for (const nameWord of nameWords) {
    const quality = nameWord.startsWith(word) ? (nameWord === word ? 1 : PREFIX_MATCH) : tokenMatchQuality(word, nameWord);
    if (quality > best) best = quality;
  }
  return best;
}
