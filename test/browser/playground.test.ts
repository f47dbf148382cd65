import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { launchChromium, resultsDir, type HeadlessChromium } from '../support/browser';
import { acceptsConnections, externalAddresses, startPlayground, type Playground } from '../support/playground';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';

/**
 * The real bot, in process, talking to the Microsoft 365 Agents Playground
 * (its mocked Teams client and connector), driven through Chromium like a user.
 */

const REPLY_TIMEOUT_MS = 15_000;

describe('the bot in the Microsoft 365 Agents Playground (Chromium)', () => {
  let app: RunningApp | undefined;
  let playground: Playground | undefined;
  let browser: HeadlessChromium | undefined;
  let page: Page;

  beforeAll(async () => {
    const config = loadConfig({
      PORT: '0',
      STORAGE_CONNECTION_STRING: testConnectionString(),
      TABLE_PREFIX: uniqueTablePrefix('playground'),
      LOG_LEVEL: 'silent',
    });
    app = await startApp(config, createLogger(config.logLevel));
    playground = await startPlayground(`${app.url}/api/messages`);

    browser = await launchChromium({ label: 'playground', viewport: { width: 1280, height: 1000 } });
    page = browser.page;
    // Its own screenshots only (numbered, or of a failure): the unit-search test beside it keeps its own.
    for (const file of await readdir(resultsDir)) if (/^playground-(\d|failed-).*\.png$/.test(file)) await rm(path.join(resultsDir, file), { force: true });

    await page.goto(playground.url);
    await chatBox().waitFor({ state: 'visible', timeout: 20_000 });
    // The playground installs the bot in a personal chat: the bot's welcome card comes first.
    await cards().filter({ hasText: 'Velkommen til Økonomi og lønn' }).first().waitFor({ timeout: REPLY_TIMEOUT_MS });
  });

  afterEach(async (test) => {
    if (test.task.fails || test.task.result?.state !== 'fail' || !browser) return;
    const name = test.task.name.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 60);
    await page.screenshot({ path: path.join(resultsDir, `playground-failed-${name}.png`) }).catch(() => undefined);
  });

  afterAll(async () => {
    const problems: unknown[] = [];
    const attempt = async (step: () => Promise<unknown> | undefined) => {
      try {
        await step();
      } catch (error) {
        problems.push(error);
      }
    };
    await attempt(() => browser?.close());
    await attempt(() => playground?.stop());
    await attempt(() => app?.close());
    if (browser && browser.blockedRequests.length > 0) console.info(`browser requests to outside loopback, refused:\n  ${[...new Set(browser.blockedRequests)].join('\n  ')}`);
    if (browser && browser.pageErrors.length > 0) console.info(`errors in the playground page:\n  ${browser.pageErrors.join('\n  ')}`);
    if (problems.length > 0) throw new AggregateError(problems, 'cleaning up after the playground test failed');
  });

  const chatBox = () => page.locator('[data-lexical-editor="true"][role="textbox"]');
  /** Adaptive Cards in the transcript, oldest first. */
  const cards = () => page.locator('.ac-adaptiveCard');

  /** Types a message like a user and presses Enter; returns how many cards there were before. */
  async function say(text: string): Promise<number> {
    const before = await cards().count();
    await chatBox().click();
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
    return before;
  }

  /** The first card after the first `before` cards whose text contains (or matches) `text`. */
  async function newCardWith(before: number, text: string | RegExp): Promise<Locator> {
    const matches = (cardText: string) => (typeof text === 'string' ? cardText.includes(text) : text.test(cardText));
    let found = -1;
    await expect
      .poll(
        async () => {
          const texts = await cards().allInnerTexts();
          found = texts.findIndex((cardText, index) => index >= before && matches(cardText));
          return found;
        },
        { timeout: REPLY_TIMEOUT_MS, message: `a new card with «${String(text)}»` },
      )
      .toBeGreaterThanOrEqual(0);
    return cards().nth(found);
  }

  async function screenshot(name: string, card?: Locator): Promise<void> {
    await card?.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(resultsDir, `playground-${name}.png`) });
  }

  it('listens on loopback only', async () => {
    const current = playground as Playground;
    expect(await acceptsConnections('127.0.0.1', current.port)).toBe(true);
    for (const address of externalAddresses()) expect(await acceptsConnections(address, current.port), `playground reachable on ${address}`).toBe(false);
  });

  it('answers a Norwegian question with the faculty advisor and why', async () => {
    const before = await say('hvem er prosessrådgiver for PBO ved IIK?');
    await expect.poll(() => page.getByText('hvem er prosessrådgiver for PBO ved IIK?', { exact: true }).count(), { timeout: REPLY_TIMEOUT_MS }).toBeGreaterThan(0);
    const card = await newCardWith(before, 'Karoline Grønli');
    const text = await card.innerText();
    expect(text).toContain('ingen egen');
    await screenshot('1-pbo-iik', card);
  });

  it('answers an English question in English', async () => {
    const before = await say('who is the process manager for PBO?');
    const card = await newCardWith(before, 'Stian Moe');
    expect(await card.innerText()).toContain('Process manager for');
    await screenshot('2-pbo-process-manager', card);
  });

  it('answers a follow-up for the unit of the question before, and says so on the card', async () => {
    const before = await say('og for Btb?');
    const card = await newCardWith(before, 'som i forrige spørsmål');
    expect(await card.innerText()).toContain('Behov til betaling');
    await screenshot('2b-follow-up', card);
  });

  // What the bot said after the card button, for the language check below.
  let afterButton: { notice: string; answer: string } | undefined;

  it('asks for the unit on a card and answers once it is chosen and saved (Action.Execute)', async () => {
    // "hos oss": the user's own unit, which the bot does not know yet (the unit of the questions above is not theirs).
    const before = await say('hvem er prosessrådgiver for Btb hos oss?');
    const picker = await newCardWith(before, 'Hvilken enhet jobber du ved?');
    await screenshot('3a-unit-picker', picker);

    // Input.ChoiceSet style "filtered": a combobox that filters as one types.
    const combobox = picker.getByRole('combobox');
    await combobox.click();
    await combobox.pressSequentially('IDI');
    const option = page.getByRole('option', { name: /^IDI\b/ });
    await option.first().waitFor();
    await screenshot('3b-unit-options', picker);
    await option.first().click();
    await expect.poll(() => combobox.inputValue()).toMatch(/^IDI\b/);

    const cardsBeforeSaving = await cards().count();
    await picker.getByRole('button', { name: 'Lagre enheten min' }).click();
    // Action.Execute: the clicked card is replaced by the bot's first reply (the unit is saved);
    // the answer to the pending question follows as a new message.
    const notice = await newCardWith(before, /Notert: du jobber ved|Noted: you work at/);
    expect(await picker.innerText()).not.toContain('Hvilken enhet jobber du ved?');
    const answer = await newCardWith(cardsBeforeSaving, 'Audun Brekke');
    afterButton = { notice: await notice.innerText(), answer: await answer.innerText() };
    expect(afterButton.notice).toContain('(IDI)');
    expect(afterButton.answer).toContain('(IDI)');
    expect(afterButton.answer).toContain('(IE)');
    await screenshot('3c-unit-saved-answer', answer);
  });

  // A card action carries the client's locale (the playground always sends en-US); the card's own
  // data carries the conversation's language, so the replies stay Norwegian.
  it('replies to the Norwegian unit card in Norwegian, whatever the client locale', () => {
    expect(afterButton, 'the card exchange above did not complete').toBeDefined();
    expect(afterButton?.notice).toContain('Notert: du jobber ved');
    expect(afterButton?.answer).toContain('Prosessrådgiver for');
  });

  // The help card's "Prøv for eksempel" buttons are the first a newcomer clicks: each one sends its question and gets an answer.
  it('answers every example button of the help card', async () => {
    const before = await say('hjelp');
    const help = await newCardWith(before, 'Prøv for eksempel');
    const examples = await help.getByRole('button').allInnerTexts();
    expect(examples.length).toBeGreaterThanOrEqual(3);
    await screenshot('5a-help-examples', help);
    for (const [index, example] of examples.entries()) {
      const cardsBefore = await cards().count();
      await help.getByRole('button', { name: example, exact: true }).click();
      // Any new card that is not the help card again: the example was sent and answered.
      const reply = await newCardWith(cardsBefore, /^(?![\s\S]*Prøv for eksempel)[\s\S]+/);
      expect(await reply.innerText(), `the answer to «${example}»`).not.toBe('');
      if (index === 0) await screenshot('5b-example-answered', reply);
    }
    expect(browser?.pageErrors ?? []).toEqual([]);
  });

  it("opens the suggestion form from an answer card's button", async () => {
    const before = await say('hvem er prosessrådgiver for Btb ved IDI?');
    const answer = await newCardWith(before, 'Audun Brekke');
    const cardsBefore = await cards().count();
    await answer.getByRole('button', { name: /forbedring/i }).click();
    await newCardWith(cardsBefore - 1, 'Nytt forbedringsforslag');
  });

  it('takes an improvement suggestion through the form and confirms where it went', async () => {
    const before = await say('jeg har et forbedringsforslag for Btb');
    const form = await newCardWith(before, 'Nytt forbedringsforslag');
    // Sent empty: the client keeps the card and says under each required input what is missing.
    await form.getByRole('button', { name: 'Send forslaget' }).click();
    await expect.poll(async () => (await form.innerText()).split('Må fylles ut.').length - 1, { timeout: REPLY_TIMEOUT_MS }).toBeGreaterThanOrEqual(3);
    await screenshot('4-suggestion-form-required', form);
    await form.getByLabel('Tittel').fill('Automatisk varemottak for små innkjøp');
    await form.getByLabel('Hva bør endres?').fill('Innkjøp under 5000 kroner varemottas i dag manuelt i Unit4.');
    await form.getByLabel(/Forbedringspotensial/).fill('Sparer tid for innkjøpere ved alle institutter.');
    // A compact Input.ChoiceSet renders as a dropdown: open it and pick the option.
    await form.getByRole('combobox', { name: /Hvilket system/ }).click();
    await page.getByRole('option', { name: 'Unit4' }).click();
    await screenshot('4a-suggestion-form', form);
    await form.getByRole('button', { name: 'Send forslaget' }).click();
    // The form is replaced by the confirmation; the user's unit (IDI, saved above) routes it to the IE faculty's Btb advisor.
    const confirmation = await newCardWith(before, /Takk! Forslaget er registrert som FF-\d{4}-\d{4}/);
    const text = await confirmation.innerText();
    expect(text).toContain('Audun Brekke');
    expect(text).toContain('Automatisk varemottak for små innkjøp');
    await screenshot('4b-suggestion-confirmation', confirmation);
  });
});
