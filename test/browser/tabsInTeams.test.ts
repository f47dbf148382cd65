import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app';
import { TableSuggestionStore } from '../../src/suggestions/suggestionStore';
import { launchChromium, resultsDir, type HeadlessChromium } from '../support/browser';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';
import { startAppWithBotIdentity, startLocalIdentityProvider, type LocalIdentityProvider } from '../support/tabTokens';

/**
 * The tabs as Teams shows them: in an iframe of a Teams page that answers the
 * Teams JavaScript client library's messages (initialize, getContext,
 * getAuthToken, theme changes) the way the Teams web client does. Chromium
 * serves that page as https://teams.microsoft.com (one of the origins
 * teams-js trusts) and the tab as https://tabs.okonomi.test, both from this
 * test: nothing leaves the machine. The app runs with a bot identity (not in
 * local mode) and checks the SSO tokens against a local JWKS.
 */

const TEAMS = 'https://teams.microsoft.com';
const TAB_HOST = 'https://tabs.okonomi.test';
const KARI = { id: randomUUID(), name: 'Kari Ansatt', email: 'kari.ansatt@ntnu.example' };

/** The Teams side of the conversation with teams-js, enough for a personal tab. */
function teamsHostPage(tab: string, token: string, settings: { locale: string; theme: string }): string {
  const script = `
    const frame = document.getElementById('tab');
    const seen = [];
    window.teamsMessages = seen;
    window.addEventListener('message', (event) => {
      const message = event.data;
      if (!message || typeof message.func !== 'string' || typeof message.id !== 'number') return;
      seen.push(message.func);
      const reply = (args) => frame.contentWindow.postMessage({ id: message.id, args }, '${TAB_HOST}');
      switch (message.func) {
        case 'initialize':
          return reply(['content', 'web', '2.0.0']);
        case 'getContext':
          return reply([{ locale: ${JSON.stringify(settings.locale)}, theme: ${JSON.stringify(settings.theme)}, entityId: 'mine-saker', frameContext: 'content', hostClientType: 'web', userObjectId: ${JSON.stringify(KARI.id)}, loginHint: ${JSON.stringify(KARI.email)}, tid: 'tenant' }]);
        case 'authentication.getAuthToken':
          return reply([true, ${JSON.stringify(token)}]);
        default:
          return undefined;
      }
    });
    window.changeTheme = (theme) => frame.contentWindow.postMessage({ func: 'themeChange', args: [theme] }, '${TAB_HOST}');
  `;
  return `<!doctype html><html><head><meta charset="utf-8"><title>Microsoft Teams</title>
    <style>body{margin:0;font-family:sans-serif} header{height:40px;background:#444791;color:#fff;padding:8px 16px} iframe{border:0;width:100%;height:calc(100vh - 56px)}</style></head>
    <body><header>Microsoft Teams</header><iframe id="tab" title="Mine saker" src="${TAB_HOST}/tabs/${tab}"></iframe><script>${script}</script></body></html>`;
}

describe('the tabs inside a Teams page (Chromium)', () => {
  let idp: LocalIdentityProvider;
  let app: RunningApp;
  let browser: HeadlessChromium | undefined;
  let page: Page;
  let hostPage = '';

  beforeAll(async () => {
    idp = await startLocalIdentityProvider();
    const prefix = uniqueTablePrefix('tabsteams');
    app = await startAppWithBotIdentity({ tablePrefix: prefix, identityProvider: idp });
    const suggestions = await TableSuggestionStore.open(testConnectionString(), `${prefix}suggestions`);
    await suggestions.create({
      draft: {
        process: 'LONN',
        unit: 'IDI',
        title: 'Timelister i DFØ-appen',
        description: 'Bør kunne føres per uke.',
        potential: 'Færre feil',
        system: 'dfo-appen',
        mayContact: false,
      },
      submitter: KARI,
      route: { target: { kind: 'people', people: [], label: 'Tjenestesenteret' }, level: 'service-centre', unitCode: null },
      now: new Date(),
      language: 'en',
      idempotencyKey: randomUUID(),
    });

    browser = await launchChromium({
      label: 'tabs-teams',
      viewport: { width: 900, height: 1000 },
      serve: async (route, url) => {
        if (url.origin === TEAMS && url.pathname === '/host') {
          await route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: hostPage });
          return true;
        }
        // The tab's address is the app's: the request goes to the app on loopback, headers and body as sent.
        if (url.origin === TAB_HOST) {
          await route.fulfill({ response: await route.fetch({ url: `${app.url}${url.pathname}${url.search}` }) });
          return true;
        }
        return false;
      },
    });
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await idp?.stop();
  });

  async function openInTeams(tab: string, token: string, settings: { locale: string; theme: string }): Promise<Frame> {
    hostPage = teamsHostPage(tab, token, settings);
    await page.goto(`${TEAMS}/host`);
    const frame = await (await page.waitForSelector('iframe#tab')).contentFrame();
    if (!frame) throw new Error('no tab frame');
    return frame;
  }

  it('signs in with the Teams SSO token, in the Teams language and theme, without any development sign-in', async () => {
    const frame = await openInTeams('mine-saker', await idp.token(KARI), { locale: 'en-us', theme: 'dark' });
    await frame.getByRole('heading', { name: 'My improvement suggestions' }).waitFor();
    expect(await frame.getByRole('heading', { level: 1 }).textContent()).toBe('My items');
    expect(await frame.locator('#who').textContent()).toBe('Signed in as Kari Ansatt (kari.ansatt@ntnu.example)');
    expect(await frame.locator('#dev-banner').isVisible()).toBe(false);
    expect(await frame.getByText('Timelister i DFØ-appen').count()).toBe(1);
    expect(await frame.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    const messages = await page.evaluate(() => (window as unknown as { teamsMessages: string[] }).teamsMessages);
    expect(messages).toEqual(expect.arrayContaining(['initialize', 'getContext', 'authentication.getAuthToken', 'appInitialization.success']));
    await page.screenshot({ path: path.join(resultsDir, 'tabs-in-teams-dark.png'), fullPage: true });
  });

  it('follows a change of the Teams theme to high contrast', async () => {
    await page.evaluate(() => (window as unknown as { changeTheme: (theme: string) => void }).changeTheme('contrast'));
    const frame = page.frame({ url: /tabs\.okonomi\.test/ });
    await expect.poll(() => frame?.evaluate(() => document.documentElement.dataset.theme)).toBe('contrast');
    await page.screenshot({ path: path.join(resultsDir, 'tabs-in-teams-contrast.png'), fullPage: true });
  });

  it('shows the refusal when Teams has no valid token for the tab', async () => {
    const frame = await openInTeams('forvaltning', await idp.token(KARI, { aud: 'api://another.example/x' }), { locale: 'nb-no', theme: 'default' });
    const alert = frame.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('Innloggingen gjelder en annen app. Kontakt forvaltningen.');
  });

  it('refuses Forvaltning to a non-coordinator signed in through Teams', async () => {
    const frame = await openInTeams('forvaltning', await idp.token(KARI), { locale: 'nb-no', theme: 'default' });
    const alert = frame.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('bare for forvaltningskoordinatorene');
  });

  it('reached nothing but the app and the stand-in Teams page', () => {
    expect(browser?.pageErrors).toEqual([]);
    // teams-js asks a CDN for the origins it trusts; the page's own CSP stops that before the network, so it is not even tried here.
    expect(browser?.blockedRequests).toEqual([]);
  });
});
