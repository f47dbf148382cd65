/**
 * Deletion cannot miss a table: the app is started against Azurite, every
 * table it creates is listed, and each must be covered by a personal-data
 * holder of "slett mine data" or declared free of users' data, with a reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLES_WITHOUT_USER_DATA } from '../../src/privacy/personalData';
import { tableService } from '../../src/storage/tables';
import { startBotUnderTest, type BotUnderTest } from '../support/botUnderTest';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';

describe('the tables the app creates', () => {
  const prefix = uniqueTablePrefix('cover');
  let bot: BotUnderTest;
  beforeAll(async () => {
    bot = await startBotUnderTest({ TABLE_PREFIX: prefix });
  });
  afterAll(async () => bot.stop());

  it("are each covered by a personal-data holder or declared free of users' data", async () => {
    const created: string[] = [];
    for await (const table of tableService(testConnectionString()).listTables()) {
      if (table.name?.startsWith(prefix)) created.push(table.name);
    }
    expect(created.length).toBeGreaterThan(5);
    const covered = new Set(bot.app.personalData.tables);
    const uncovered = created.filter((name) => !covered.has(name) && !(name.slice(prefix.length) in TABLES_WITHOUT_USER_DATA));
    expect(uncovered).toEqual([]);
    // A table is one or the other, never both, and every declaration gives its reason.
    expect(created.filter((name) => covered.has(name) && name.slice(prefix.length) in TABLES_WITHOUT_USER_DATA)).toEqual([]);
    for (const reason of Object.values(TABLES_WITHOUT_USER_DATA)) expect(reason.length).toBeGreaterThan(20);
  });
});
