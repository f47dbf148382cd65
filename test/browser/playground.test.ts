import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { startPlayground, type Playground } from '../support/playground';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';

describe('explore', () => {
  let app: RunningApp; let pg: Playground; let context: BrowserContext; let page: Page; let dir: string;
  beforeAll(async () => {
    const config = loadConfig({ PORT: '0', STORAGE_CONNECTION_STRING: testConnectionString(), TABLE_PREFIX: uniqueTablePrefix('pg'), LOG_LEVEL: 'silent' });
    app = await startApp(config, createLogger(config.logLevel));
    pg = await startPlayground(`${app.url}/api/messages`);
    dir = await mkdtemp(path.join(os.tmpdir(), 'chromium-'));
    context = await chromium.launchPersistentContext(dir, { executablePath: '/usr/bin/chromium', headless: true, args: ['--headless','--no-sandbox','--disable-gpu','--disable-quic','--no-first-run','--disable-background-networking','--disable-component-update','--disable-sync'] });
    await context.route('**/*', (route) => { const u = new URL(route.request().url()); if (['127.0.0.1','localhost'].includes(u.hostname) || u.protocol==='data:') return route.continue(); console.log('BLOCK', u.href); return route.abort(); });
    page = context.pages()[0] ?? await context.newPage();
  });
  afterAll(async () => { await context?.close(); await pg?.stop(); await app?.close(); if (dir) await rm(dir, {recursive:true, force:true}); });
  it('explores', async () => {
    await mkdir('test-results', { recursive: true });
    await page.goto(pg.url);
    await page.waitForTimeout(4000);
    await page.screenshot({ path: 'test-results/explore-0.png' });
    await writeFile('/tmp/pg0.html', await page.content());
    const box = page.locator('[data-lexical-editor="true"][role="textbox"]');
    await box.click();
    await page.keyboard.type('hvem er prosessrådgiver for PBO ved IIK?');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(4000);
    await page.screenshot({ path: 'test-results/explore-1.png', fullPage: true });
    await writeFile('/tmp/pg1.html', await page.content());
    console.log(pg.output()); console.log('blocked', pg.blockedConnections());
  }, 60000);
});
