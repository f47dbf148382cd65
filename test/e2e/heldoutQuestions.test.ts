import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newUser, startBotUnderTest, type BotUnderTest } from '../support/botUnderTest';
import { ReferenceDirectory } from '../support/referenceDirectory';

interface HeldOutQuestion {
  id: string;
  turns: string[];
  process: string;
  unit: string;
  kind: 'advisor' | 'manager' | 'owner' | 'coordinator' | 'system' | 'implementation';
}

const reference = new ReferenceDirectory();
const questions = readFileSync(path.resolve(__dirname, '../eval/directory-questions-heldout.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as HeldOutQuestion);

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
    const failures: string[] = [];
    for (const question of questions) {
      const user = newUser();
      const sent: unknown[] = [];
      for (const turn of question.turns) sent.push(...(await bot.ask(turn, user)));
      const everything = JSON.stringify(sent).toLowerCase();
      const named = new Set(reference.allEmails.filter((email) => everything.includes(email)));
      const expectAll = expected(question);
      const allowed = new Set([...expectAll, ...reference.allowedExtras(question.process || null)]);
      const missing = expectAll.filter((email) => !named.has(email));
      const extra = [...named].filter((email) => !allowed.has(email));
      if (expectAll.length === 0 || missing.length > 0 || extra.length > 0) {
        failures.push(`${question.id} ${JSON.stringify(question.turns)} missing=${missing} extra=${extra}`);
      }
    }
    const passed = questions.length - failures.length;
    console.log(`held-out questions: ${passed} passed, ${failures.length} failed of ${questions.length}\n${failures.join('\n')}`);
    expect(passed / questions.length).toBeGreaterThanOrEqual(0.95);
  });
});
