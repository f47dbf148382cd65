import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page, type Route } from 'playwright-core';

/** Debian's Chromium, which the browser tests drive through playwright-core. */
export const CHROMIUM = '/usr/bin/chromium';

/** Where the browser tests put their screenshots. */
export const resultsDir = path.resolve(__dirname, '../../test-results');

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

export interface HeadlessChromium {
  context: BrowserContext;
  page: Page;
  /** Requests the pages tried to send outside loopback, refused. */
  blockedRequests: string[];
  /** Uncaught script errors in the pages. */
  pageErrors: string[];
  /** Closes the browser and removes its profile, whatever else fails. */
  close(): Promise<void>;
}

export interface ChromiumOptions {
  /** Names the temporary profile folder. */
  label: string;
  viewport: { width: number; height: number };
  locale?: string;
  /**
   * Answers the requests the test stands in for (a page it serves, an address
   * it maps to the app); returns whether it did. The rest go through the
   * loopback rule.
   */
  serve?: (route: Route, url: URL) => Promise<boolean>;
}

/**
 * Headless Chromium on a fresh profile that reaches loopback only: no name but
 * localhost resolves, and every request elsewhere is refused and recorded.
 * Also makes sure `resultsDir` exists.
 */
export async function launchChromium(options: ChromiumOptions): Promise<HeadlessChromium> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: this browser test needs Debian's Chromium. Install it with\n` + '  sudo apt-get update && sudo apt-get install -y chromium fonts-liberation',
    );
  }
  const profileDir = await mkdtemp(path.join(os.tmpdir(), `${options.label}-chromium-`));
  const blockedRequests: string[] = [];
  const pageErrors: string[] = [];
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: options.viewport,
      ...(options.locale ? { locale: options.locale } : {}),
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // Loopback only: no name but localhost resolves (pages ask for fonts and scripts on CDNs).
        '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
      ],
    });
  } catch (error) {
    await rm(profileDir, { recursive: true, force: true });
    throw error;
  }
  const close = async () => {
    try {
      await context.close();
    } finally {
      await rm(profileDir, { recursive: true, force: true });
    }
  };
  try {
    await context.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      if (options.serve && (await options.serve(route, url))) return;
      if (url.protocol === 'data:' || url.protocol === 'blob:' || LOOPBACK_HOSTS.includes(url.hostname)) return route.continue();
      blockedRequests.push(url.href);
      return route.abort('blockedbyclient');
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await mkdir(resultsDir, { recursive: true });
    return { context, page, blockedRequests, pageErrors, close };
  } catch (error) {
    await close();
    throw error;
  }
}
