import { readFile } from 'node:fs/promises';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announcementForm, announcementIdIn, osloDateInDays } from '../support/announcementForms';
import { startBotUnderTest, type BotUnderTest } from '../support/botUnderTest';
import { launchChromium, resultsDir, type HeadlessChromium } from '../support/browser';
import { suggestionForm, suggestionIdIn } from '../support/suggestionForms';
import { cardAction, channelMessage, invokeCard, namedUser, personalMessage, testChannel, waitFor, type NamedUser } from '../support/teamsUsers';

/**
 * The tabs in headless Chromium against the running app in local mode, where
 * the development sign-in stands in for Teams SSO. The data comes in through
 * the bot, as users make it: a unit and a role said in chat, a suggestion
 * submitted on its card, a channel registered, an announcement sent.
 */

const sampleFolder = path.resolve(__dirname, '../../data/sample-directory');

describe('the tabs in Chromium', () => {
  let bot: BotUnderTest;
  let browser: HeadlessChromium | undefined;
  let page: Page;
  let coordinator: NamedUser;
  let kari: NamedUser;
  let suggestionId: string;
  let suggestionTitle: string;
  let announcementTitle: string;

  beforeAll(async () => {
    bot = await startBotUnderTest({ OUTBOX_POLL_SECONDS: '0.2', COORDINATORS: 'ida.koordinator@ntnu.example' });
    coordinator = namedUser(bot, 'Ida Koordinator', 'ida.koordinator@ntnu.example');
    kari = namedUser(bot, 'Kari Ansatt', 'kari.ansatt@ntnu.example');
    for (const user of [coordinator, kari]) await bot.post(personalMessage(bot, user, 'hei'));
    await bot.post(personalMessage(bot, kari, 'jeg jobber på IE'));
    await bot.post(personalMessage(bot, kari, 'jeg er prosjektøkonom'));
    await bot.post(channelMessage(bot, coordinator, testChannel('Btb ved IE'), 'registrer kanalen for Btb ved IE'));

    suggestionTitle = 'Automatisk utfylling av innkjøpsmaler';
    suggestionId = suggestionIdIn(invokeCard(await bot.post(cardAction(bot, kari, 'submitSuggestion', suggestionForm({ unit: 'IE', title: suggestionTitle })))));

    // An announcement to IE, sent from the coordinator's chat: Kari gets it, and its delivery has figures.
    const form = announcementForm({ startDate: osloDateInDays(12), formId: 'tabs-form', lang: 'nb' });
    announcementTitle = String(form.title);
    const preview = invokeCard(await bot.post(cardAction(bot, coordinator, 'previewAnnouncement', form)));
    announcementIdIn(preview);
    const send = (JSON.parse(preview) as { actions: Array<{ verb: string; data: Record<string, unknown> }> }).actions.find((action) => action.verb === 'sendAnnouncement');
    if (!send) throw new Error('no send button on the preview');
    await bot.post(cardAction(bot, coordinator, 'sendAnnouncement', send.data, { id: coordinator.conversationId, conversationType: 'personal' }));
    await waitFor(
      () => bot.connector.messagesIn(kari.conversationId).some((message) => JSON.stringify(message).includes(announcementTitle)),
      15_000,
      'the announcement to reach Kari',
    );

    // Outside Teams the page takes its language from the browser, as a user's would be.
    browser = await launchChromium({ label: 'tabs', viewport: { width: 1100, height: 900 }, locale: 'nb-NO' });
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await bot?.stop();
  });

  async function signIn(user: NamedUser, tab: string, query = ''): Promise<void> {
    await page.goto(`${bot.app.url}/tabs/${tab}${query}`);
    await page
      .getByRole('button', { name: 'Logg ut' })
      .click({ timeout: 2000 })
      .catch(() => undefined);
    await page.getByLabel('E-post').fill(user.email);
    await page.getByLabel('Navn', { exact: true }).fill(user.name);
    await page.getByLabel('Bruker-id (valgfri)').fill(user.aadObjectId);
    await page.getByRole('button', { name: 'Logg inn' }).click();
    await page.getByText(`Logget inn som ${user.name}`).waitFor();
  }

  it('marks the development sign-in clearly, and signs in with it', async () => {
    await page.goto(`${bot.app.url}/tabs/mine-saker`);
    await expect.poll(() => page.locator('#dev-banner').textContent()).toContain('UTVIKLINGSMODUS');
    await expect.poll(() => page.getByRole('heading', { name: 'Innlogging for utvikling' }).isVisible()).toBe(true);
    await signIn(kari, 'mine-saker');
    expect(await page.locator('#dev-banner').isVisible()).toBe(true);
  });

  it('Mine saker shows the suggestions, events, unit and roles, and saves a change of unit', async () => {
    await page.getByRole('heading', { name: `${suggestionId}: ${suggestionTitle}` }).waitFor();
    const suggestion = page.locator('li.card', { hasText: suggestionId });
    expect(await suggestion.textContent()).toContain('Ny');
    await suggestion.getByText('Historikk (1)').click();
    expect(await suggestion.locator('.history').textContent()).toContain('Kari Ansatt');

    const event = page.locator('li.card', { hasText: announcementTitle });
    await event.waitFor();
    expect(await event.textContent()).toContain('Ingen påminnelser');
    await event.getByRole('button', { name: 'Minn meg på dagen før' }).click();
    await expect.poll(() => page.locator('#status').textContent()).toBe('Påminnelsen er lagt inn.');
    expect(await page.locator('li.card', { hasText: announcementTitle }).textContent()).toContain('dagen før (');

    const unit = page.getByLabel('Enheten svarene gjelder for');
    expect(await unit.inputValue()).toBe('IE');
    expect(await page.getByRole('checkbox', { name: 'Prosjektøkonom', exact: true }).isChecked()).toBe(true);
    await page.screenshot({ path: path.join(resultsDir, 'tabs-mine-saker.png'), fullPage: true });

    await unit.selectOption('IDI');
    await page.getByRole('button', { name: 'Lagre enhet' }).click();
    await expect.poll(() => page.locator('#status').textContent()).toContain('Enheten er lagret');
    await bot.post(personalMessage(bot, kari, 'hvilken enhet er jeg registrert på?'));
    expect(JSON.stringify(bot.connector.messagesIn(kari.conversationId).at(-1))).toContain('IDI');
  });

  it('saves roles and subscriptions, which the chat then knows', async () => {
    await page.getByRole('checkbox', { name: 'Fagkaféer', exact: true }).check();
    await page.getByRole('button', { name: 'Lagre roller og abonnementer' }).click();
    await expect.poll(() => page.locator('#status').textContent()).toBe('Rollene og abonnementene er lagret.');
    expect(await page.getByRole('group', { name: 'Jeg abonnerer på (fjern haken for å avslutte)' }).textContent()).toContain('Fagkaféer');
    await bot.post(personalMessage(bot, kari, 'mine abonnementer'));
    expect(JSON.stringify(bot.connector.messagesIn(kari.conversationId).at(-1)).toLowerCase()).toContain('fagkaféer');
  });

  it('is usable by keyboard: skip link first, then every control in reading order', async () => {
    await page.goto(`${bot.app.url}/tabs/mine-saker`);
    await page.getByRole('heading', { name: 'Min enhet' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Gå til innholdet');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    const reached: string[] = [];
    for (let presses = 0; presses < 80; presses++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const element = document.activeElement;
        return element instanceof HTMLInputElement || element instanceof HTMLSelectElement ? element.id : (element?.textContent?.trim() ?? '');
      });
      reached.push(focused);
      if (focused === 'Lagre enhet') break;
    }
    // The suggestion's history, the event's buttons and the unit picker come before the unit's save button, in that order.
    expect(reached.indexOf('Historikk (1)')).toBeGreaterThanOrEqual(0);
    expect(reached.indexOf('Historikk (1)')).toBeLessThan(reached.indexOf('unit-select'));
    expect(reached.at(-1)).toBe('Lagre enhet');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#status').textContent()).toContain('Enheten er lagret');
  });

  it('follows the dark theme and works at a narrow width', async () => {
    await page.setViewportSize({ width: 360, height: 800 });
    await page.goto(`${bot.app.url}/tabs/mine-saker?theme=dark`);
    await page.getByRole('heading', { name: 'Mine forbedringsforslag' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(31, 31, 31)');
    // Nothing sticks out sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: path.join(resultsDir, 'tabs-mine-saker-dark-narrow.png'), fullPage: true });
    await page.setViewportSize({ width: 1100, height: 900 });
  });

  it('shows English texts when the locale is English', async () => {
    await page.goto(`${bot.app.url}/tabs/mine-saker?lang=en-GB`);
    await page.getByRole('heading', { name: 'My improvement suggestions' }).waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('My items');
  });

  it('Forvaltning refuses a non-coordinator (the server decides)', async () => {
    await page.goto(`${bot.app.url}/tabs/forvaltning`);
    const refusal = page.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toBe('Denne siden er bare for forvaltningskoordinatorene. Du står ikke på listen over koordinatorer.');
    expect(await page.getByRole('heading', { name: 'Forbedringsforslag' }).count()).toBe(0);
  });

  it('Forvaltning shows suggestions, announcements with delivery figures and channels to a coordinator', async () => {
    await signIn(coordinator, 'forvaltning');
    const suggestions = page.getByRole('region', { name: 'Forbedringsforslag' }).last();
    await suggestions.getByText(suggestionTitle).waitFor();
    expect(await page.getByRole('region', { name: 'Antall per prosess og status' }).textContent()).toContain('Behov til betaling');

    await page.getByLabel('Status', { exact: true }).selectOption('avslatt');
    await page.getByRole('button', { name: 'Vis', exact: true }).click();
    await page.getByText('Ingen forslag i utvalget.').waitFor();
    await page.getByLabel('Status', { exact: true }).selectOption('');
    await page.getByRole('button', { name: 'Vis', exact: true }).click();
    await page.getByText(suggestionTitle).waitFor();
    await page.getByRole('button', { name: 'Eksporter utvalget' }).click();
    const csvLink = page.getByRole('link', { name: 'Last ned CSV' });
    await csvLink.waitFor();
    const csv = await fetch(String(await csvLink.getAttribute('href')));
    expect(await csv.text()).toContain(suggestionId);

    const announcements = page.getByRole('region', { name: 'Kunngjøringer' }).last();
    await announcements.getByText(announcementTitle).waitFor();
    await expect.poll(async () => announcements.textContent(), { timeout: 15_000 }).toMatch(/\d+ av \d+ levert/);
    const channels = page.getByRole('region', { name: 'Registrerte kanaler' }).last();
    await channels.getByText('Btb ved IE').waitFor();
    expect(await channels.textContent()).toContain('ida.koordinator@ntnu.example');
    await page.screenshot({ path: path.join(resultsDir, 'tabs-forvaltning.png'), fullPage: true });
  });

  /** The sample directory with a person of an unknown unit and a bad e-mail address. */
  function badDirectoryFiles(): Promise<Array<{ name: string; mimeType: string; buffer: Buffer }>> {
    return Promise.all(
      ['units', 'processes', 'roles', 'people', 'contact-points'].map(async (name) => {
        let text = await readFile(path.join(sampleFolder, `${name}.csv`), 'utf8');
        if (name === 'people') text = `${text.trimEnd()}\nprosessradgiver,BTB,NOWHERE,Feil Person,ikke-en-epost,,\n`;
        return { name: `${name}.csv`, mimeType: 'text/csv', buffer: Buffer.from(text) };
      }),
    );
  }

  it('previews a bad directory import with its errors, and applies nothing', async () => {
    const before = bot.app.directory.version;
    // The directory's import, not the role-holder list's beside it.
    const directoryImport = page.getByLabel('Importer katalogen');
    await directoryImport.getByLabel('Filer').setInputFiles(await badDirectoryFiles());
    await directoryImport.getByRole('button', { name: 'Forhåndsvis' }).click();
    const summary = page.locator('#directory-problems-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toMatch(/^Fant \d+ problemer\. Ingenting er endret/);
    const problems = page.locator('#directory-result table');
    expect(await problems.textContent()).toContain('NOWHERE');
    expect(await problems.textContent()).toContain('people.csv');
    expect(await directoryImport.getByRole('button', { name: 'Importer nå' }).count()).toBe(0);
    await page.locator('#directory').screenshot({ path: path.join(resultsDir, 'tabs-forvaltning-import-errors.png') });
    expect(bot.app.directory.version).toBe(before);
  });

  it('the development sign-in fills the name from the directory only into an empty name field, never appending', async () => {
    await page.goto(`${bot.app.url}/tabs/mine-saker`);
    await page.getByRole('button', { name: 'Logg ut' }).click();
    const signInPage = async () => {
      await page.goto(`${bot.app.url}/tabs/mine-saker`);
      await page.getByLabel('E-post').waitFor();
    };
    const email = page.getByLabel('E-post');
    const name = page.getByLabel('Navn', { exact: true });

    // The e-mail typed, the name field clicked and the name typed: one name.
    await signInPage();
    await email.click();
    await page.keyboard.type('ane.hovde@ntnu.example');
    await name.click();
    await page.keyboard.type('Ane Hovde');
    expect(await name.inputValue()).toBe('Ane Hovde');

    // The same with Tab to the name field.
    await signInPage();
    await email.click();
    await page.keyboard.type('ane.hovde@ntnu.example');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Ane Hovde');
    expect(await name.inputValue()).toBe('Ane Hovde');

    // A name typed first is kept.
    await signInPage();
    await name.click();
    await page.keyboard.type('Ane H.');
    await email.click();
    await page.keyboard.type('ane.hovde@ntnu.example');
    await page.keyboard.press('Tab');
    expect(await name.inputValue()).toBe('Ane H.');

    // Left empty, the name comes from the directory as soon as the e-mail is known.
    await signInPage();
    await email.click();
    await page.keyboard.type('ane.hovde@ntnu.example');
    expect(await name.inputValue()).toBe('Ane Hovde');
    await page.screenshot({ path: path.join(resultsDir, 'tabs-dev-sign-in.png'), fullPage: true });
  });

  it('at 360 px the suggestion table says it scrolls sideways, and keeps ids on one line', async () => {
    await signIn(coordinator, 'forvaltning');
    await page.setViewportSize({ width: 360, height: 800 });
    try {
      const suggestions = page.getByRole('region', { name: 'Forbedringsforslag' }).last();
      const idCell = suggestions.locator('tbody td').first();
      await idCell.waitFor();
      expect(await idCell.textContent()).toBe(suggestionId);
      const lines = await idCell.evaluate((cell) => {
        const range = document.createRange();
        range.selectNodeContents(cell);
        return new Set(Array.from(range.getClientRects(), (rect) => Math.round(rect.top))).size;
      });
      expect(lines).toBe(1);
      // The hint is visible and is the scroll region's description; the region is reachable by keyboard.
      expect(await suggestions.getAttribute('tabindex')).toBe('0');
      const hint = page.locator(`[id="${await suggestions.getAttribute('aria-describedby')}"]`);
      expect(await hint.textContent()).toBe('Tabellen er bredere enn vinduet: rull sideveis for å se hele.');
      expect(await hint.isVisible()).toBe(true);
      expect(await suggestions.evaluate((region) => region.scrollWidth > region.clientWidth)).toBe(true);
      // A table that fits says nothing about scrolling.
      await page.setViewportSize({ width: 1280, height: 800 });
      await expect.poll(() => hint.isVisible()).toBe(false);
      await page.setViewportSize({ width: 360, height: 800 });
      await expect.poll(() => hint.isVisible()).toBe(true);
      // The hint above the table is part of the picture.
      await suggestions.locator('..').screenshot({ path: path.join(resultsDir, 'tabs-forvaltning-table-narrow.png') });
    } finally {
      await page.setViewportSize({ width: 1100, height: 900 });
    }
  });

  /** Whether the status bar shows, to the eye, what it says (screen readers hear it either way). */
  function statusVisible(): Promise<boolean> {
    return page.locator('#status').evaluate((bar) => {
      const box = bar.getBoundingClientRect();
      return box.width > 1 && box.height > 1 && getComputedStyle(bar).visibility !== 'hidden';
    });
  }

  it('the status bar repeats no message shown on the page and never covers the page', async () => {
    await signIn(coordinator, 'forvaltning');
    await page.setViewportSize({ width: 360, height: 640 });
    try {
      await page.getByRole('region', { name: 'Forbedringsforslag' }).last().waitFor();
      await page.getByRole('button', { name: 'Vis', exact: true }).click();
      const count = page.locator('#suggestion-results > p').first();
      await expect.poll(() => count.textContent()).toBe('1 forslag');
      const status = page.locator('#status');
      // Screen readers still hear the outcome; the eye is not shown it twice.
      await expect.poll(() => status.textContent()).toBe('1 forslag');
      expect(await statusVisible()).toBe(false);

      // A message shown nowhere else is shown in the bar, and at the bottom of the page the bar covers nothing,
      // however many lines the message takes (an error from the server can take four at this width).
      const longMessage =
        'Noe gikk galt hos oss da utvalget skulle eksporteres til CSV og Excel. Ingenting er lagret. Prøv igjen om litt, og kontakt forvaltningen hvis det skjer igjen.';
      await page.route('**/tabs/api/admin/suggestions/export', (route) =>
        route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: 'server', message: longMessage }) }),
      );
      await page.getByRole('button', { name: 'Eksporter utvalget' }).click();
      await expect.poll(() => status.textContent()).toBe(longMessage);
      await page.unroute('**/tabs/api/admin/suggestions/export');
      expect(await statusVisible()).toBe(true);
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      const [statusTop, contentBottom] = await page.evaluate(() => {
        const bar = document.getElementById('status')!.getBoundingClientRect();
        const all = document.querySelectorAll('main *');
        const last = all[all.length - 1]!.getBoundingClientRect();
        return [bar.top, last.bottom];
      });
      expect(contentBottom).toBeLessThanOrEqual(statusTop);
      await page.screenshot({ path: path.join(resultsDir, 'tabs-forvaltning-status-narrow.png') });
    } finally {
      await page.setViewportSize({ width: 1100, height: 900 });
    }
  });

  it('has no WCAG 2.1 AA violations (axe) on either tab in light, dark and high contrast, at 1280 and 360 px', async () => {
    const found: string[] = [];
    const check = async (state: string) => {
      const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
      for (const violation of results.violations) {
        found.push(
          `${state}: ${violation.id} (${violation.impact}): ${violation.help}\n    ${violation.nodes.map((node) => `${node.target.join(' ')}: ${node.failureSummary?.replace(/\s+/g, ' ')}`).join('\n    ')}`,
        );
      }
      await page.screenshot({ path: path.join(resultsDir, `tabs-axe-${state}.png`), fullPage: true });
    };
    const themes = ['default', 'dark', 'contrast'];
    const widths = [1280, 360];
    try {
      await signIn(kari, 'mine-saker');
      for (const theme of themes) {
        for (const width of widths) {
          await page.setViewportSize({ width, height: 800 });
          await page.goto(`${bot.app.url}/tabs/mine-saker?theme=${theme}`);
          await page.getByRole('heading', { name: `${suggestionId}: ${suggestionTitle}` }).waitFor();
          await page.locator('li.card', { hasText: announcementTitle }).waitFor();
          // The history opened, and an outcome in the status bar.
          await page.getByText('Historikk (1)').click();
          await page.getByRole('button', { name: 'Lagre enhet' }).click();
          await expect.poll(() => page.locator('#status').textContent()).toContain('Enheten er lagret');
          await check(`mine-saker-${theme}-${width}`);
        }
      }
      await signIn(coordinator, 'forvaltning');
      for (const theme of themes) {
        for (const width of widths) {
          await page.setViewportSize({ width, height: 800 });
          await page.goto(`${bot.app.url}/tabs/forvaltning?theme=${theme}`);
          await page.getByRole('region', { name: 'Forbedringsforslag' }).last().getByText(suggestionTitle).waitFor();
          await page.getByRole('region', { name: 'Registrerte kanaler' }).last().getByText('Btb ved IE').waitFor();
          await page.getByRole('region', { name: 'Kunngjøringer' }).last().getByText(announcementTitle).waitFor();
          // Filters used, the export's links shown, and a directory import previewed with its problems.
          await page.getByLabel('Status', { exact: true }).selectOption('ny');
          await page.getByRole('button', { name: 'Vis', exact: true }).click();
          await page.getByRole('region', { name: 'Forbedringsforslag' }).last().getByText(suggestionTitle).waitFor();
          await page.getByRole('button', { name: 'Eksporter utvalget' }).click();
          await page.getByRole('link', { name: 'Last ned CSV' }).waitFor();
          const directoryImport = page.getByLabel('Importer katalogen');
          await directoryImport.getByLabel('Filer').setInputFiles(await badDirectoryFiles());
          await directoryImport.getByRole('button', { name: 'Forhåndsvis' }).click();
          await page.locator('#directory-problems-summary').waitFor();
          await check(`forvaltning-${theme}-${width}`);
        }
      }
    } finally {
      await page.setViewportSize({ width: 1100, height: 900 });
    }
    expect(found, found.join('\n')).toEqual([]);
  });

  it('had no script errors and reached nothing but the app', () => {
    expect(browser?.pageErrors).toEqual([]);
    expect(browser?.blockedRequests).toEqual([]);
  });
});
