/**
 * Shared answers ("Dette er besvart før"): an answered question whose asker let
 * the answer be shared answers colleagues who later ask the same. Only such
 * answers are ever found here; every other question stays with its asker and
 * its handlers.
 */

import { isAnonymised } from '../core/actor';
import { topicWords, wordSetCosine } from '../suggestions/similarSuggestions';
import type { AdvisorQuestion } from './model';

/**
 * How alike a message and an answered question must be (cosine of their topic words). Higher than for similar
 * suggestions: there the user chooses among offers, here the bot answers with what it found.
 */
export const SHARED_ANSWER_THRESHOLD = 0.5;
/** Lower for a standing answer: a coordinator has vouched for it as the answer to its topic. */
export const STANDING_ANSWER_THRESHOLD = 0.35;
/** Topic words a match shares at least: one word in common ("reiseregning") is a topic, not the same question. */
const MIN_SHARED_WORDS = 2;

/** What a message asks, as understood once for the turn: its text and the processes it names. */
export interface SharedAnswerQuery {
  text: string;
  /** The processes the message names; when it names any, the answer must be about one of them. */
  processes: readonly string[];
}

/** A shared answer as anyone may see it: the question and its answer, who answered and when; never who asked. */
export interface SharedAnswer {
  questionId: string;
  process: string;
  question: string;
  answer: string;
  answeredBy: string;
  answeredAt: string;
  /** How alike the message and the question were. */
  similarity: number;
  /** A coordinator made it a standing answer ("Fast svar"). */
  standing: boolean;
}

/** Looks up the shared answers to a message, most alike first; the Teams layer asks with the turn's reading. */
export type SharedAnswerLookup = (query: SharedAnswerQuery, limit?: number) => Promise<SharedAnswer[]>;

/** The lookup for the chat and the message extension: a failed look-up (storage down) costs the shared answers, never the reply they complement. */
export function sharedAnswersOrNone(lookup: SharedAnswerLookup, onFailure: (error: unknown) => void): SharedAnswerLookup {
  return async (query, limit) => {
    try {
      return await lookup(query, limit);
    } catch (error) {
      onFailure(error);
      return [];
    }
  };
}

/** Whether a coordinator may curate the question's shared answer: answered, and the asker let it be shared. */
export function isCuratable(question: AdvisorQuestion): question is AdvisorQuestion & { answer: NonNullable<AdvisorQuestion['answer']> } {
  return question.state === 'answered' && question.shareable && question.answer !== null;
}

/**
 * Whether a question's answer may be shown to others: answered, the asker said it may be shared, no coordinator hid
 * it, and the asker has not since had their data deleted (then nothing of theirs is passed on, whatever they chose
 * before) unless a coordinator adopted it as a standing answer.
 */
export function isSharedAnswer(question: AdvisorQuestion): question is AdvisorQuestion & { answer: NonNullable<AdvisorQuestion['answer']> } {
  if (!isCuratable(question) || question.curation?.hidden === true) return false;
  return question.curation?.standing === true || !isAnonymised(question.asker);
}

/** The shared answers whose questions are alike enough to the message, most alike first. */
export function findSharedAnswers(query: SharedAnswerQuery, questions: readonly AdvisorQuestion[], limit = 1): SharedAnswer[] {
  const wanted = topicWords(query.text);
  if (wanted.size < MIN_SHARED_WORDS) return [];
  const found: SharedAnswer[] = [];
  for (const question of questions) {
    if (!isSharedAnswer(question)) continue;
    if (query.processes.length > 0 && !query.processes.includes(question.process)) continue;
    const words = topicWords(question.text);
    const similarity = wordSetCosine(wanted, words);
    const standing = question.curation?.standing === true;
    if (similarity < (standing ? STANDING_ANSWER_THRESHOLD : SHARED_ANSWER_THRESHOLD) || [...wanted].filter((word) => words.has(word)).length < MIN_SHARED_WORDS) continue;
    found.push({
      questionId: question.id,
      process: question.process,
      question: question.text,
      answer: question.curation?.text ?? question.answer.text,
      answeredBy: question.answer.by.name,
      answeredAt: question.answer.at,
      similarity,
      standing,
    });
  }
  // Standing answers first; equally alike: the newer answer first.
  return found.sort((a, b) => Number(b.standing) - Number(a.standing) || b.similarity - a.similarity || b.answeredAt.localeCompare(a.answeredAt)).slice(0, limit);
}
