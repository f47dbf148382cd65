import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotUnderTest, type BotUnderTest } from '../support/botUnderTest';
import { readJsonLines } from '../support/scoreAnswers';
import { scoreConversations, type ConversationItem } from '../support/scoreConversations';

const items = readJsonLines<ConversationItem>(path.resolve(__dirname, '../eval/conversation-questions-dev.jsonl'));

describe('conversation set over the Bot Framework protocol', () => {
  let bot: BotUnderTest;
  beforeAll(async () => {
    bot = await startBotUnderTest();
  });
  afterAll(async () => bot.stop());

  it('passes at least 97% overall and 90% of every kind by the scoring rule', async () => {
    const score = await scoreConversations(bot, items);
    const kinds = [...score.byKind].map(([kind, { passed, total }]) => `${kind} ${passed}/${total}`).join(', ');
    console.log(`conversations: ${score.passed} passed, ${score.total - score.passed} failed of ${score.total} (${kinds})\n${score.failures.join('\n')}`);
    expect(score.passed / score.total).toBeGreaterThanOrEqual(0.97);
    for (const [, { passed, total }] of score.byKind) expect(passed / total).toBeGreaterThanOrEqual(0.9);
  });
});
