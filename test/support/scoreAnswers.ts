import { readFileSync } from 'node:fs';
import type { BotUnderTest } from './botUnderTest';
import { newUser } from './botUnderTest';
import { ReferenceDirectory } from './referenceDirectory';

export interface ScoredQuestion {
  id: string;
  turns: string[];
  locale?: string;
  expectAll: string[];
  allowedExtra: string[];
}

export function readJsonLines<T>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

/**
 * Asks each question in a personal chat of its own and scores it by the rule
 * of test/eval/README.md: every expected address is named, and no other
 * person's address from people.csv except the allowed extras.
 */
export async function scoreQuestions(bot: BotUnderTest, questions: readonly ScoredQuestion[]): Promise<{ passed: number; failures: string[] }> {
  const everyone = new ReferenceDirectory().allEmails;
  const failures: string[] = [];
  for (const question of questions) {
    const user = newUser(question.locale);
    const sent: unknown[] = [];
    for (const turn of question.turns) sent.push(...(await bot.ask(turn, user)));
    const everything = JSON.stringify(sent).toLowerCase();
    const named = new Set(everyone.filter((email) => everything.includes(email)));
    const expectAll = question.expectAll.map((email) => email.toLowerCase());
    const allowed = new Set([...expectAll, ...question.allowedExtra.map((email) => email.toLowerCase())]);
    const missing = expectAll.filter((email) => !named.has(email));
    const extra = [...named].filter((email) => !allowed.has(email));
    if (expectAll.length === 0 || missing.length > 0 || extra.length > 0) {
      failures.push(`${question.id} ${JSON.stringify(question.turns)} missing=${missing.join(',')} extra=${extra.join(',')}`);
    }
  }
  return { passed: questions.length - failures.length, failures };
}
