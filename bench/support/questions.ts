import { randomUUID } from 'node:crypto';
import { messageActivity } from '../../test/support/teamsActivities';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { findRepositoryRoot } from '../../src/directory/seedDirectory';

/** One line of test/eval/directory-questions-dev.jsonl (only the fields the benchmarks use). */
export interface EvalCase {
  id: string;
  lang: 'nb' | 'nn' | 'en';
  turns: string[];
  process: string | null;
  unit: string | null;
  kind: string;
}

export function loadEvalCases(): EvalCase[] {
  const file = path.join(findRepositoryRoot(), 'test', 'eval', 'directory-questions-dev.jsonl');
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as EvalCase);
}

export function localeFor(lang: EvalCase['lang']): string {
  return lang === 'en' ? 'en-US' : 'nb-NO';
}

export interface BenchUser {
  id: string;
  aadObjectId: string;
  conversationId: string;
  locale: string;
}

export function newBenchUser(locale: string): BenchUser {
  const id = randomUUID();
  return { id: `29:${id}`, aadObjectId: id, conversationId: `a:${id}`, locale };
}

/** One turn of the workload: what a user writes. */
export interface Turn {
  text: string;
  user: BenchUser;
  /** Where the turn comes from, for reports: an eval case id, `state-unit` or `own-unit-question`. */
  source: string;
}

/**
 * How many different people ask the single-turn questions, per language: enough that at the echo bot's rate
 * (about a thousand turns a second here) each comes back about once a second, not faster than a person types,
 * so no conversation nears Teams' per-conversation limits (7 requests a second, 8 in two), which the app keeps.
 */
export const RETURNING_USERS_PER_LANGUAGE = 500;

/** The people who ask the single-turn questions, by locale; kept across runs, they are returning users. */
export interface ReturningUsers {
  byLocale: Record<'nb-NO' | 'en-US', BenchUser[]>;
  /** Who asks next, by locale: each run goes on where the last one stopped, so every user comes back in turn. */
  next: Record<'nb-NO' | 'en-US', number>;
}

export function newReturningUsers(): ReturningUsers {
  return {
    byLocale: {
      'nb-NO': Array.from({ length: RETURNING_USERS_PER_LANGUAGE }, () => newBenchUser('nb-NO')),
      'en-US': Array.from({ length: RETURNING_USERS_PER_LANGUAGE }, () => newBenchUser('en-US')),
    },
    next: { 'nb-NO': 0, 'en-US': 0 },
  };
}

/**
 * A realistic workload from the development question set: every single-turn
 * question, asked by a pool of returning users (people ask the bot more than
 * once; a user's first turn also stores their conversation reference: pass the
 * same pool to the warm-up and to the measured runs, and the warm-up covers
 * those first turns), plus the two-turn cases, each by a new user in every
 * round (their first turn, which stores their conversation, states their unit;
 * later in the same round they ask about "hos oss"/"my unit", which reads the
 * stored profile). Rounds repeat until `count` turns.
 */
export function realisticTurns(count: number, cases: EvalCase[] = loadEvalCases(), pools: ReturningUsers = newReturningUsers()): Turn[] {
  const single = cases.filter((c) => c.turns.length === 1);
  const twoTurn = cases.filter((c) => c.turns.length === 2);
  const turns: Turn[] = [];
  while (turns.length < count) {
    // New people each round: someone states their unit and asks about it once, rather than repeating both many times a second.
    const pairs = twoTurn.map((c) => ({ c, user: newBenchUser(localeFor(c.lang)) }));
    const round: Turn[] = [];
    // Unit statements first in the round, follow-ups last: with a few dozen
    // turns in between, a follow-up normally finds its user's unit stored even at concurrency 20.
    for (const { c, user } of pairs) round.push({ text: c.turns[0] ?? '', user, source: `${c.id}:state-unit` });
    for (const c of single) {
      const locale = localeFor(c.lang) as keyof ReturningUsers['byLocale'];
      const pool = pools.byLocale[locale];
      round.push({ text: c.turns[0] ?? '', user: pool[pools.next[locale]++ % pool.length] as BenchUser, source: c.id });
    }
    for (const { c, user } of pairs) round.push({ text: c.turns[1] ?? '', user, source: `${c.id}:own-unit-question` });
    turns.push(...round);
  }
  return turns.slice(0, count);
}

export { messageActivity };
