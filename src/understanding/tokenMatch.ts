import { distance } from 'fastest-levenshtein';

/** Norwegian and English inflection endings accepted after a known word ("budsjettet", "rådgiveren", "invoices"). */
const INFLECTION_SUFFIXES = new Set(['e', 'n', 'en', 'et', 'a', 'ene', 'er', 'ar', 'ane', 'ne', 's', 'es', 'ens', 'ets', 't']);

/** Verb endings of a Norwegian verb whose noun ends in -ing ("avhende", "avhender", "avhendet" for "avhending"). */
const VERB_ENDINGS = new Set(['e', 'er', 'es', 'et', 'te', 'a', 'ar', 'ast']);

/**
 * A Norwegian verb and its noun in -ing are one word to a reader: "avhende"
 * is "avhending", "fakturere" is "fakturering", either way round.
 */
function sameStem(messageToken: string, knownToken: string): boolean {
  if (!knownToken.endsWith('ing') && !messageToken.endsWith('ing')) return false;
  const verbOf = (noun: string, verb: string) => noun.length >= 7 && noun.endsWith('ing') && verb.startsWith(noun.slice(0, -3)) && VERB_ENDINGS.has(verb.slice(noun.length - 3));
  return verbOf(knownToken, messageToken) || verbOf(messageToken, knownToken);
}

/** The most edits a word of this length may have and still count as a typo of it. */
function allowedEdits(length: number): number {
  if (length >= 8) return 2;
  if (length >= 5) return 1;
  return 0;
}

/**
 * How well a message word matches a known word: 1 exact, slightly less for an
 * inflected form, less again for a typo; 0 for no match. Short words must match
 * exactly: a one-letter typo of a three-letter code is another code.
 */
export function tokenMatchQuality(messageToken: string, knownToken: string): number {
  if (messageToken === knownToken) return 1;
  if (sameStem(messageToken, knownToken)) return 0.9;
  if (knownToken.length >= 4 && messageToken.startsWith(knownToken) && INFLECTION_SUFFIXES.has(messageToken.slice(knownToken.length))) {
    return 0.95;
  }
  const edits = allowedEdits(Math.min(messageToken.length, knownToken.length));
  if (edits === 0 || Math.abs(messageToken.length - knownToken.length) > edits) return 0;
  // Typos rarely touch the first letter; requiring it keeps "lønn" from matching "løn…" words by chance.
  if (messageToken[0] !== knownToken[0]) return 0;
  const edit = distance(messageToken, knownToken);
  if (edit === 0) return 1;
  return edit <= edits ? 0.9 - 0.05 * edit : 0;
}
