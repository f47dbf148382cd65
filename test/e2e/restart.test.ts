import { describe, expect, it } from 'vitest';
import { newUser, startBotUnderTest } from '../support/botUnderTest';
import { uniqueTablePrefix } from '../support/storage';

describe('a restart', () => {
  it('keeps what users told the bot and the imported directory', async () => {
    const tablePrefix = uniqueTablePrefix('restart');
    const user = newUser();
    const first = await startBotUnderTest({ TABLE_PREFIX: tablePrefix });
    const version = first.app.directory.version;
    await first.ask('jeg jobber på Institutt for fysikk', user);
    await first.stop();

    const second = await startBotUnderTest({ TABLE_PREFIX: tablePrefix });
    try {
      expect(second.app.directory.version).toBe(version);
      const answer = JSON.stringify(await second.ask('hvem er prosessrådgiver for prosjektøkonomi hos oss?', user));
      expect(answer).toContain('tor.strom@ntnu.example');
    } finally {
      await second.stop();
    }
  });
});
