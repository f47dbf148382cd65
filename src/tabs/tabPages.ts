import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type restify from 'restify';
import { findRepositoryRoot } from '../directory/seedDirectory';

/**
 * The tab pages: HTML and CSS from web/tabs/, the scripts compiled from
 * web/tabs/*.ts into dist/tabs-web/ (`npm run build`), and the Teams
 * JavaScript client library's browser bundle from node_modules. Only the
 * files listed here are served: no path from the request reaches the disk.
 * The lists are Maps: a name from the address such as "constructor" must not
 * find an Object property.
 */
const PAGES = new Map([
  ['mine-saker', 'mine-saker.html'],
  ['forvaltning', 'forvaltning.html'],
]);

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};

/**
 * Teams shows the pages in an iframe of its own web and desktop clients; no
 * other site may frame them, and the scripts and styles come from this app only.
 */
const FRAME_ANCESTORS =
  "frame-ancestors 'self' https://teams.microsoft.com https://*.teams.microsoft.com https://*.microsoft365.com https://*.office.com https://*.cloud.microsoft";
const SECURITY_HEADERS = {
  'content-security-policy': `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; ${FRAME_ANCESTORS}`,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export function registerTabPages(server: restify.Server): void {
  const root = findRepositoryRoot();
  const source = path.join(root, 'web', 'tabs');
  // The browser build keeps the repository layout, since the pages share the i18n text types with the server.
  const compiled = path.join(root, 'dist', 'tabs-web', 'web', 'tabs');
  const assets = new Map([
    ['tabs.css', path.join(source, 'tabs.css')],
    ['common.js', path.join(compiled, 'common.js')],
    ['mine-saker.js', path.join(compiled, 'mine-saker.js')],
    ['forvaltning.js', path.join(compiled, 'forvaltning.js')],
    ['teams-js.js', require.resolve('@microsoft/teams-js')],
  ]);

  server.get('/tabs/:page', async (req, res) => {
    const file = PAGES.get((req.params as { page?: string } | undefined)?.page ?? '');
    if (!file) return notFound(res);
    await sendFile(res, path.join(source, file), 'no-cache');
  });

  server.get('/tabs/assets/:name', async (req, res) => {
    const file = assets.get((req.params as { name?: string } | undefined)?.name ?? '');
    if (!file) return notFound(res);
    await sendFile(res, file, 'no-cache');
  });
}

async function sendFile(res: restify.Response, file: string, cacheControl: string): Promise<void> {
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    return notFound(res);
  }
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'cache-control': cacheControl,
    'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
    'content-length': body.length,
  });
  res.end(body);
}

function notFound(res: restify.Response): void {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
  res.end('Not found\n');
}
