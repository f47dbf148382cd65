import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { launchChromium, resultsDir, type HeadlessChromium } from '../support/browser';
import { startPlayground, type Playground } from '../support/playground';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';

/**
 * The unit picker's search in the Microsoft 365 Agents Playground, driven through Chromium: the Playground has no
 * typeahead for the picker (Data.Query) and filters its choices by how their titles begin, so a unit is found by
 * name through the card's own search field and button, which ask the bot.
 */

const REPLY_TIMEOUT_MS = 15_000;

describe('the unit picker search in the Agents Playground (Chromium)', () => {
  let app: RunningApp | undefined;
  let playground: Playground | undefined;
  let browser: HeadlessChromium | undefined;
  let page: Page;

  beforeAll(async () => {
    const config = loadConfig({
      PORT: '0',
      STORAGE_CONNECTION_STRING: testConnectionString(),
      TABLE_PREFIX: uniqueTablePrefix('pgsearch'),
      LOG_LEVEL: 'silent',
    });
    app = await startApp(config, createLogger(config.logLevel));
    playground = await startPlayground(`${app.url}/api/messages`);
    browser = await launchChromium({ label: 'playground-unit-search', viewport: { width: 1280, height: 1000 } });
    page = browser.page;
    await page.goto(playground.url);
    await chatBox().waitFor({ state: 'visible', timeout: 20_000 });
    await cards().filter({ hasText: 'Velkommen til Økonomi og lønn' }).first().waitFor({ timeout: REPLY_TIMEOUT_MS });
  });

  afterEach(async (test) => {
    if (test.task.result?.state !== 'fail' || !browser) return;
    await page.screenshot({ path: path.join(resultsDir, 'playground-unit-search-failed.png') }).catch(() => undefined);
  });

  afterAll(async () => {
    const problems: unknown[] = [];
    for (const step of [() => browser?.close(), () => playground?.stop(), () => app?.close()]) {
      try {
        await step();
      } catch (error) {
        problems.push(error);
      }
    }
    if (problems.length > 0) throw new AggregateError(problems, 'cleaning up after the playground test failed');
  });

  const chatBox = () => page.locator('[data-lexical-editor="true"][role="textbox"]');
  const cards = () => page.locator('.ac-adaptiveCard');

  async function say(text: string): Promise<number> {
    const before = await cards().count();
    await chatBox().click();
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
    return before;
  }

  /** The first card after the first `before` cards whose text contains `text`. */
  async function newCardWith(before: number, text: string): Promise<Locator> {
    let found = -1;
    await expect
      .poll(
        async () => {
          found = (await cards().allInnerTexts()).findIndex((cardText, index) => index >= before && cardText.includes(text));
          return found;
        },
        { timeout: REPLY_TIMEOUT_MS, message: `a new card with «${text}»` },
      )
      .toBeGreaterThanOrEqual(0);
    return cards().nth(found);
  }

  it('finds «fysikk» with the search button, and the unit picked from the matches answers the waiting question', async () => {
    const before = await say('hvem er prosessrådgiver for Btb hos oss?');
    const picker = await newCardWith(before, 'Hvilken enhet jobber du ved?');

    await picker.getByLabel('Søk etter enhet (kode eller navn)').fill('fysikk');
    await picker.getByRole('button', { name: 'Søk', exact: true }).click();
    // Action.Execute: the bot's narrowed picker replaces the card in place.
    const found = await newCardWith(before, '1 enhet passer til «fysikk».');
    expect(await found.innerText()).toContain('Deretter svarer jeg på spørsmålet ditt: «hvem er prosessrådgiver for Btb hos oss?»');
    const combobox = found.getByRole('combobox');
    // The best match is chosen already (the Playground shows a preset value by its code, a picked one by its title).
    await expect.poll(() => combobox.inputValue()).toMatch(/^IFY\b/);
    await found.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(resultsDir, 'playground-unit-search-1-found.png') });

    // The narrowed list offers the match by its full title; picking it keeps the unit chosen.
    await combobox.click();
    await page.getByRole('option', { name: 'IFY – Institutt for fysikk' }).click();
    await expect.poll(() => combobox.inputValue()).toMatch(/^IFY\b/);
    const cardsBeforeSaving = await cards().count();
    await found.getByRole('button', { name: 'Lagre enheten min' }).click();
    await newCardWith(before, 'Notert: du jobber ved Institutt for fysikk (IFY)');
    const answer = await newCardWith(cardsBeforeSaving, 'Prosessrådgiver for Behov til betaling ved IFY');
    expect(await answer.innerText()).toContain('Institutt for fysikk (IFY)');
    await answer.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(resultsDir, 'playground-unit-search-2-answer.png') });
    expect(browser?.pageErrors ?? []).toEqual([]);
  });
});
