import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newUser, startBotUnderTest, type BotUnderTest } from '../support/botUnderTest';

interface EvalQuestion {
  id: string;
  lang: string;
  turns: string[];
  expect_all: string[];
  allowed_extra: string[];
}

const root = path.resolve(__dirname, '../..');
const questions = readFileSync(path.join(root, 'test/eval/directory-questions-dev.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as EvalQuestion);
const peopleEmails = (parse(readFileSync(path.join(root, 'data/sample-directory/people.csv')), { columns: true, bom: true }) as Array<{ email: string }>).map(
  (row) => row.email.toLowerCase(),
);

describe('directory question set over the Bot Framework protocol', () => {
  let bot: BotUnderTest;
  beforeAll(async () => {
    bot = await startBotUnderTest();
  });
  afterAll(async () => bot.stop());

  it('answers at least 95% of the development questions by the scoring rule', async () => {
    const failures: string[] = [];
    for (const question of questions) {
      const user = newUser(question.lang === 'en' ? 'en-US' : 'nb-NO');
      const sent: unknown[] = [];
      for (const turn of question.turns) sent.push(...(await bot.ask(turn, user)));
      // Scoring rule of test/eval/README.md: every expected address, and no other person's address but the allowed extras.
      const everything = JSON.stringify(sent).toLowerCase();
      const named = new Set(peopleEmails.filter((email) => everything.includes(email)));
      const missing = question.expect_all.filter((email) => !named.has(email.toLowerCase()));
      const extra = [...named].filter((email) => !question.expect_all.includes(email) && !question.allowed_extra.includes(email));
      if (missing.length > 0 || extra.length > 0) failures.push(`${question.id} ${JSON.stringify(question.turns)} missing=${missing} extra=${extra}`);
    }
    const passed = questions.length - failures.length;
    console.log(`directory questions: ${passed} passed, ${failures.length} failed of ${questions.length}\n${failures.join('\n')}`);
    expect(passed / questions.length).toBeGreaterThanOrEqual(0.95);
  });
});
