import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageActivity, newUser, startBotUnderTest, type BotUnderTest } from '../support/botUnderTest';
import { mostInAnyWindow } from '../broadcast/support';

describe('welcome cards on a burst of installs', () => {
  let bot: BotUnderTest;
  beforeAll(async () => {
    bot = await startBotUnderTest({ BROADCAST_RATE_PER_SECOND: '5' });
  });
  afterAll(async () => bot.stop());

  it('stay within the app’s configured rate, like everything else the app sends', async () => {
    const install = (user: ReturnType<typeof newUser>) =>
      bot.post({ ...messageActivity('', user, bot.connector.url), type: 'conversationUpdate', text: undefined, membersAdded: [{ id: '28:okonomi-og-lonn-bot' }] });
    // One install first, and a second's pause: the burst then measures the limit, not this process warming up.
    await install(newUser());
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const users = Array.from({ length: 14 }, () => newUser());
    const installed = await Promise.all(users.map(install));
    expect(installed.every((answer) => answer.status < 300)).toBe(true);
    const welcomes = bot.connector.received.filter((entry) => users.some((user) => user.conversationId === entry.conversationId));
    expect(welcomes).toHaveLength(14);
    // Teams counts every request against the app: 5 a second here, so 14 take more than two seconds. (Measured where
    // they arrive, in this same busy process: an arrival seen a few tens of milliseconds late must not count double.)
    expect(
      mostInAnyWindow(
        welcomes.map((entry) => entry.at),
        950,
      ),
    ).toBeLessThanOrEqual(5);
    expect(Math.max(...welcomes.map((entry) => entry.at)) - Math.min(...welcomes.map((entry) => entry.at))).toBeGreaterThan(2000);
  });
});
