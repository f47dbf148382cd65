import { tokenize } from '../language/text';
import { COMMON_WORDS } from '../language/vocabulary';
import { FINAL_STATES, type Suggestion } from './model';

/** How alike two texts must be (cosine of their word sets) to offer the older one instead of a new suggestion. */
export const SIMILARITY_THRESHOLD = 0.3;

/** The words of a text that say what it is about, folded. */
export function topicWords(text: string): Set<string> {
  // Short and common words say nothing about the topic; four letters keep "Unit4", "mva", "faktura" out of it too rarely to matter.
  return new Set(tokenize(text).filter((word) => word.length >= 4 && !COMMON_WORDS.has(word)));
}

/** How alike two texts' topic words are: the cosine of the word sets, 0 (nothing shared) to 1 (the same words). */
export function wordSetCosine(wanted: ReadonlySet<string>, other: ReadonlySet<string>): number {
  if (wanted.size === 0 || other.size === 0) return 0;
  let shared = 0;
  for (const word of wanted) if (other.has(word)) shared++;
  return shared / Math.sqrt(wanted.size * other.size);
}

/**
 * Open suggestions for the same process whose title and description share
 * enough words with a new one, most alike first. Word-set cosine is enough
 * for a handful of sentences and needs no model; typos are rare in prose that
 * people write in a form.
 */
export function findSimilarOpen(draft: { process: string; title: string; description: string }, suggestions: readonly Suggestion[], limit = 3): Suggestion[] {
  const wanted = topicWords(`${draft.title} ${draft.description}`);
  if (wanted.size === 0) return [];
  return suggestions
    .filter((suggestion) => suggestion.process === draft.process && !FINAL_STATES.has(suggestion.state))
    .map((suggestion) => ({ suggestion, score: wordSetCosine(wanted, topicWords(`${suggestion.title} ${suggestion.description}`)) }))
    .filter((candidate) => candidate.score >= SIMILARITY_THRESHOLD)
    .sort((a, b) => b.score - a.score)
    .slice(0, limit)
    .map((candidate) => candidate.suggestion);
}
