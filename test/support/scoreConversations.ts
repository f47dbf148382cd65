import type { BotUnderTest } from './botUnderTest';
import { newUser } from './botUnderTest';
import { ReferenceDirectory } from './referenceDirectory';

/** One item of the conversation set (test/eval/README.md, "Conversation set"). */
export interface ConversationItem {
  id: string;
  lang: 'nb' | 'nn' | 'en';
  kind: string;
  turns: string[];
  expect_all: string[];
  allowed_extra: string[];
  expect_none: boolean;
  expect_text?: string[];
}

export interface ConversationScore {
  passed: number;
  total: number;
  byKind: Map<string, { passed: number; total: number }>;
  failures: string[];
}

/**
 * Runs each conversation in a personal chat of its own, as a new user, and
 * scores only what the bot sends or updates after the last turn: every
 * expected address named, no other person's address except the allowed
 * extras (none at all when expect_none), every expected text present.
 */
export async function scoreConversations(bot: BotUnderTest, items: readonly ConversationItem[]): Promise<ConversationScore> {
  const everyone = new ReferenceDirectory().allEmails;
  const byKind = new Map<string, { passed: number; total: number }>();
  const failures: string[] = [];
  let passed = 0;
  for (const item of items) {
    const user = newUser(item.lang === 'en' ? 'en-US' : 'nb-NO');
    let last: unknown[] = [];
    for (const turn of item.turns) {
      const updatesBefore = bot.connector.updatesIn(user.conversationId).length;
      const sent = await bot.ask(turn, user);
      last = [...sent, ...bot.connector.updatesIn(user.conversationId).slice(updatesBefore)];
    }
    const everything = JSON.stringify(last).toLowerCase();
    const named = everyone.filter((email) => everything.includes(email));
    const expectAll = item.expect_all.map((email) => email.toLowerCase());
    const allowed = new Set(item.expect_none ? [] : [...expectAll, ...item.allowed_extra.map((email) => email.toLowerCase())]);
    const problems: string[] = [];
    if (last.length === 0) problems.push('no reply');
    const missing = expectAll.filter((email) => !everything.includes(email));
    if (missing.length > 0) problems.push(`missing=${missing.join(',')}`);
    const extra = named.filter((email) => !allowed.has(email));
    if (extra.length > 0) problems.push(`extra=${extra.join(',')}`);
    const absentText = (item.expect_text ?? []).filter((text) => !everything.includes(text.toLowerCase()));
    if (absentText.length > 0) problems.push(`text=${absentText.join('|')}`);
    const kind = byKind.get(item.kind) ?? { passed: 0, total: 0 };
    kind.total++;
    if (problems.length === 0) {
      kind.passed++;
      passed++;
    } else {
      failures.push(`${item.id} [${item.kind}] ${JSON.stringify(item.turns)} ${problems.join(' ')}`);
    }
    byKind.set(item.kind, kind);
  }
  return { passed, total: items.length, byKind, failures };
}
