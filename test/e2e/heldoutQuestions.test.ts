import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotUnderTest, type BotUnderTest } from '../support/botUnderTest';
import { ReferenceDirectory } from '../support/referenceDirectory';
import { readJsonLines, scoreQuestions } from '../support/scoreAnswers';

interface HeldOutQuestion {
  id: string;
  turns: string[];
  process: string;
  unit: string;
  kind: 'advisor' | 'manager' | 'owner' | 'coordinator' | 'system' | 'implementation';
}

const reference = new ReferenceDirectory();
const questions = readJsonLines<HeldOutQuestion>(path.resolve(__dirname, '../eval/directory-questions-heldout.jsonl'));

function expected(question: HeldOutQuestion): string[] {
  switch (question.kind) {
    case 'advisor':
      return question.unit ? reference.advisors(question.process, question.unit) : reference.holders('prosessradgiver', question.process);
    case 'manager':
      return reference.holders('prosessansvarlig', question.process);
    case 'owner':
      return reference.holders('operativ-prosesseier', question.process);
    case 'coordinator':
      return reference.holders('forvaltningskoordinator', null);
    case 'system':
      return reference.holders('systemforvalter', null);
    case 'implementation':
      return reference.holders('innforingsleder', null);
  }
}

/**
 * Questions written for this product, phrased unlike the development set
 * (other word orders, typos, ASCII spellings, nynorsk, English), scored by the
 * same rule, with the expected people computed by an independent reference.
 */
describe('held-out directory questions', () => {
  let bot: BotUnderTest;
  beforeAll(async () => {
    bot = await startBotUnderTest();
  });
  afterAll(async () => bot.stop());

  it('answers at least 95% correctly', async () => {
    const { passed, failures } = await scoreQuestions(
      bot,
      questions.map((question) => ({
        id: question.id,
        turns: question.turns,
        expectAll: expected(question),
        allowedExtra: reference.allowedExtras(question.process || null),
      })),
    );
    console.log(`held-out questions: ${passed} passed, ${failures.length} failed of ${questions.length}\n${failures.join('\n')}`);
    expect(passed / questions.length).toBeGreaterThanOrEqual(0.95);
  });
});
