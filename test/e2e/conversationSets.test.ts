import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotUnderTest, type BotUnderTest } from '../support/botUnderTest';
import { readJsonLines } from '../support/scoreAnswers';
import { scoreConversations, type ConversationItem } from '../support/scoreConversations';

/**
 * The conversation sets over the Bot Framework protocol, scored by the rule in
 * test/eval/README.md: the development set (issue 10's bar: 97% overall, 90%
 * in every kind), and two sets written for this product in other words
 * (held-out and two probes) that keep the understanding from fitting one list.
 */
const sets = [
  { name: 'development', file: 'conversation-questions-dev.jsonl', overall: 0.97, perKind: 0.9 },
  { name: 'held-out', file: 'conversation-questions-heldout.jsonl', overall: 0.9, perKind: 0 },
  { name: 'probe', file: 'conversation-questions-probe.jsonl', overall: 0.9, perKind: 0 },
  { name: 'third probe', file: 'conversation-questions-probe3.jsonl', overall: 0.9, perKind: 0 },
];

describe('conversation sets over the Bot Framework protocol', () => {
  let bot: BotUnderTest;
  beforeAll(async () => {
    bot = await startBotUnderTest();
  });
  afterAll(async () => bot.stop());

  it.each(sets)(
    'passes the $name set: at least $overall overall and $perKind in every kind',
    async ({ name, file, overall, perKind }) => {
      const items = readJsonLines<ConversationItem>(path.resolve(__dirname, '../eval', file));
      const score = await scoreConversations(bot, items);
      const kinds = [...score.byKind].map(([kind, { passed, total }]) => `${kind} ${passed}/${total}`).join(', ');
      console.log(`${name} conversations: ${score.passed} passed, ${score.total - score.passed} failed of ${score.total} (${kinds})\n${score.failures.join('\n')}`);
      expect(score.passed / score.total).toBeGreaterThanOrEqual(overall);
      for (const [kind, { passed, total }] of score.byKind) expect(passed / total, kind).toBeGreaterThanOrEqual(perKind);
    },
    600_000,
  );
});
