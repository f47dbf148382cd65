import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotUnderTest, type BotUnderTest } from '../support/botUnderTest';
import { readJsonLines, scoreQuestions } from '../support/scoreAnswers';

interface EvalQuestion {
  id: string;
  lang: string;
  turns: string[];
  expect_all: string[];
  allowed_extra: string[];
}

const questions = readJsonLines<EvalQuestion>(path.resolve(__dirname, '../eval/directory-questions-dev.jsonl'));

describe('directory question set over the Bot Framework protocol', () => {
  let bot: BotUnderTest;
  beforeAll(async () => {
    bot = await startBotUnderTest();
  });
  afterAll(async () => bot.stop());

  it('answers at least 95% of the development questions by the scoring rule', async () => {
    const { passed, failures } = await scoreQuestions(
      bot,
      questions.map((question) => ({
        id: question.id,
        turns: question.turns,
        locale: question.lang === 'en' ? 'en-US' : 'nb-NO',
        expectAll: question.expect_all,
        allowedExtra: question.allowed_extra,
      })),
    );
    console.log(`directory questions: ${passed} passed, ${failures.length} failed of ${questions.length}\n${failures.join('\n')}`);
    expect(passed / questions.length).toBeGreaterThanOrEqual(0.95);
  });
});
