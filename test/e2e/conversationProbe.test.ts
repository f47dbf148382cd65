import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotUnderTest, type BotUnderTest } from '../support/botUnderTest';
import { readJsonLines } from '../support/scoreAnswers';
import { scoreConversations, type ConversationItem } from '../support/scoreConversations';

const items = readJsonLines<ConversationItem>(path.resolve(__dirname, '../eval/conversation-questions-probe.jsonl'));

describe('probe conversation set (unseen phrasings) over the Bot Framework protocol', () => {
  let bot: BotUnderTest;
  beforeAll(async () => {
    bot = await startBotUnderTest();
  });
  afterAll(async () => bot.stop());

  it('passes at least 90% overall by the scoring rule', async () => {
    const score = await scoreConversations(bot, items);
    const kinds = [...score.byKind].map(([kind, { passed, total }]) => `${kind} ${passed}/${total}`).join(', ');
    console.log(`probe conversations: ${score.passed} passed, ${score.total - score.passed} failed of ${score.total} (${kinds})\n${score.failures.join('\n')}`);
    expect(score.passed / score.total).toBeGreaterThanOrEqual(0.9);
  }, 600_000);
});
