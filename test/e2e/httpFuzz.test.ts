import http from 'node:http';
import { readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppProcess, type AppProcess } from '../support/appProcess';
import { StandInConnector } from '../support/standInConnector';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';
import { invokeActivity, messageActivity, newUser } from '../support/teamsActivities';

/**
 * Malformed, oversized and wrong-typed requests against the built app in a
 * process of its own (local mode, so bad activities reach the bot logic). Each
 * must get a 4xx answer (or, for an invoke payload its handler refuses, that
 * refusal in the invoke's shape), leave nothing in the app's temporary folder
 * (TMPDIR of its own), and leave the app alive, healthy and within 40 MB of
 * the resident memory it had before.
 */

const MB = 1024 * 1024;
const BOUNDARY = 'fuzzboundary1234';
const COORDINATOR = { name: 'Ida Koordinator', email: 'ida.koordinator@ntnu.example' };

/** Large bodies are described, and made only when sent. */
type Body = string | Buffer | { spaces: number } | { chunkedBytes: number } | { declaredBytes: number } | { multipartFileBytes: number } | { gzipOfSpaces: number };
interface Case {
  name: string;
  method?: string;
  path?: string;
  contentType?: string | null;
  headers?: Record<string, string>;
  /** A JSON value unless a string, buffer or size is given. */
  body?: Body | Record<string, unknown> | unknown[] | null | number;
  token?: 'user' | 'coordinator';
  /** The exact status, or any 4xx when omitted. */
  status?: number;
  /**
   * An invoke whose payload its own handler refuses: Teams is answered in the
   * invoke's shape (HTTP 200 with the refusal, as the message extension tests
   * settle), so the body must be that refusal.
   */
  refusedInBody?: RegExp;
}

describe('the HTTP surface under malformed, oversized and wrong-typed requests', () => {
  let connector: StandInConnector;
  let app: AppProcess;
  let baseline: number;
  const tokens: Record<'user' | 'coordinator', string> = { user: '', coordinator: '' };

  const user = newUser();
  const cases = (serviceUrl: string): Case[] => {
    const activity = (extra: Record<string, unknown> = {}) => messageActivity('hei', user, serviceUrl, extra);
    const without = (field: string) => {
      const copy: Record<string, unknown> = activity();
      delete copy[field];
      return copy;
    };
    const invoke = (name: unknown, value: unknown) => invokeActivity(String(name), value, user, serviceUrl, { name });
    const cardAction = (action: unknown) => invoke('adaptiveCard/action', { action, trigger: 'manual' });
    const nested = (depth: number): unknown => {
      let value: unknown = 'bottom';
      for (let i = 0; i < depth; i++) value = { next: value };
      return value;
    };
    const multipart = (fileBytes: number) => ({ contentType: `multipart/form-data; boundary=${BOUNDARY}`, body: { multipartFileBytes: fileBytes } });

    return [
      // Not JSON, or JSON that is no activity.
      { name: 'invalid JSON', body: '{not json', status: 400 },
      { name: 'an empty body', body: '', status: 400 },
      { name: 'a JSON array', body: [activity()], status: 400 },
      { name: 'JSON null', body: null, status: 400 },
      { name: 'a JSON string', body: '"hello"', status: 400 },
      { name: 'a JSON number', body: 42, status: 400 },
      { name: 'an object nested 10,000 deep', body: '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000), status: 400 },
      // Activities with missing or wrong-typed fields.
      { name: 'no type', body: without('type'), status: 400 },
      { name: 'type as a number', body: activity({ type: 7 }), status: 400 },
      { name: 'type as an object', body: activity({ type: { message: true } }), status: 400 },
      { name: 'text as a number', body: activity({ text: 12345 }), status: 400 },
      { name: 'text as an object', body: activity({ text: { toLowerCase: 'x' } }), status: 400 },
      { name: 'text as an array', body: activity({ text: ['hvem', 'er'] }), status: 400 },
      { name: 'text as null', body: activity({ text: null }), status: 400 },
      { name: 'no from', body: without('from'), status: 400 },
      { name: 'from as a string', body: activity({ from: 'someone' }), status: 400 },
      { name: 'from.id as a number', body: activity({ from: { id: 1, name: 'x' } }), status: 400 },
      { name: 'no conversation', body: without('conversation'), status: 400 },
      { name: 'conversation.id as an object', body: activity({ conversation: { id: { a: 1 }, conversationType: 'personal' } }), status: 400 },
      { name: 'a 100 KB conversation id', body: activity({ conversation: { id: 'a'.repeat(100_000), conversationType: 'personal' } }), status: 400 },
      { name: 'no recipient', body: without('recipient'), status: 400 },
      { name: 'no serviceUrl', body: without('serviceUrl'), status: 400 },
      { name: 'serviceUrl as a number', body: activity({ serviceUrl: 8080 }), status: 400 },
      { name: 'channelId as an array', body: activity({ channelId: ['msteams'] }), status: 400 },
      { name: 'locale as a number', body: activity({ locale: 47 }), status: 400 },
      { name: 'entities as a string', body: activity({ entities: 'mention' }), status: 400 },
      { name: 'a mention without the mentioned', body: activity({ entities: [{ type: 'mention', text: '<at>x</at>' }] }), status: 400 },
      { name: 'attachments as an object', body: activity({ attachments: { contentType: 'x' } }), status: 400 },
      { name: 'channelData as a string', body: activity({ channelData: 'tenant' }), status: 400 },
      { name: 'an invalid timestamp', body: activity({ timestamp: 'yesterday-ish' }), status: 400 },
      { name: 'membersAdded as a string', body: activity({ type: 'conversationUpdate', text: undefined, membersAdded: '28:bot' }), status: 400 },
      { name: 'a value nested 100 deep', body: invoke('adaptiveCard/action', nested(100)), status: 400 },
      // Invokes and card actions with bad values.
      { name: 'an invoke without a name', body: { ...invoke('x', {}), name: undefined }, status: 400 },
      { name: 'an invoke named by a number', body: invoke(42, {}), status: 400 },
      { name: 'an invoke named "constructor"', body: invoke('constructor', {}) },
      { name: 'an invoke named "__proto__"', body: invoke('__proto__', {}) },
      { name: 'an invoke named "toString"', body: invoke('toString', {}) },
      { name: 'a card action without a value', body: invoke('adaptiveCard/action', undefined), status: 400 },
      { name: 'a card action whose value is a string', body: invoke('adaptiveCard/action', 'chooseUnit'), status: 400 },
      { name: 'a card action whose verb is a number', body: cardAction({ type: 'Action.Execute', verb: 7, data: {} }), status: 400 },
      { name: 'an unknown card action verb', body: cardAction({ type: 'Action.Execute', verb: 'constructor', data: {} }), status: 400 },
      { name: 'a card action whose data is a string', body: cardAction({ type: 'Action.Execute', verb: 'chooseUnit', data: 'IDI' }), refusedInBody: /Noe gikk galt med kortet/ },
      {
        name: 'a card action whose data is an array',
        body: cardAction({ type: 'Action.Execute', verb: 'chooseProcess', data: ['IDI'] }),
        refusedInBody: /Noe gikk galt med kortet/,
      },
      {
        name: 'a card action whose unit is a number',
        body: cardAction({ type: 'Action.Execute', verb: 'chooseUnit', data: { unit: 7, purpose: {}, question: [] } }),
        refusedInBody: /Noe gikk galt med kortet|Velg en enhet/,
      },
      { name: 'a message extension query with a null value', body: invoke('composeExtension/query', null), refusedInBody: /Forespørselen kunne ikke leses/ },
      {
        name: 'a message extension query with parameters as a string',
        body: invoke('composeExtension/query', { commandId: 'findAdvisor', parameters: 'x' }),
        refusedInBody: /Forespørselen kunne ikke leses/,
      },
      {
        name: 'a search invoke with a number as dataset',
        body: invoke('application/search', { dataset: 5, queryText: 'x' }),
        refusedInBody: /"statusCode":400.*Forespørselen kunne ikke leses/,
      },
      // Wrong content types, encodings and sizes.
      { name: 'text/plain', contentType: 'text/plain', body: JSON.stringify(activity()), status: 415 },
      { name: 'no content type', contentType: null, body: JSON.stringify(activity()), status: 415 },
      { name: 'a form', contentType: 'application/x-www-form-urlencoded', body: 'type=message&text=hei', status: 415 },
      { name: 'UTF-16 JSON', contentType: 'application/json; charset=utf-16', body: Buffer.from(JSON.stringify(activity()), 'utf16le'), status: 415 },
      { name: 'a gzip body', headers: { 'content-encoding': 'gzip' }, body: gzipSync(JSON.stringify(activity())), status: 415 },
      { name: 'a gzip bomb', headers: { 'content-encoding': 'gzip' }, body: { gzipOfSpaces: 50 * MB }, status: 415 },
      { name: 'a multipart body with a 1 MB file', ...multipart(MB), status: 415 },
      { name: 'a multipart body with a 20 MB file', ...multipart(20 * MB), status: 415 },
      { name: 'a 300 KB activity', body: activity({ text: 'a'.repeat(300 * 1024) }), status: 413 },
      { name: 'a 30 MB body with its Content-Length', body: { spaces: 30 * MB }, status: 413 },
      { name: 'a 30 MB chunked body', body: { chunkedBytes: 30 * MB }, status: 413 },
      { name: 'a declared 30 MB body never sent', body: { declaredBytes: 30 * MB }, status: 413 },
      { name: 'GET on /api/messages', method: 'GET', body: undefined, status: 405 },

      // The tab pages and their API.
      { name: 'the tab page "constructor"', method: 'GET', path: '/tabs/constructor', status: 404 },
      { name: 'the tab page "__proto__"', method: 'GET', path: '/tabs/__proto__', status: 404 },
      { name: 'the tab page "hasOwnProperty"', method: 'GET', path: '/tabs/hasOwnProperty', status: 404 },
      { name: 'the tab asset "constructor"', method: 'GET', path: '/tabs/assets/constructor', status: 404 },
      { name: 'the tab asset "__proto__"', method: 'GET', path: '/tabs/assets/__proto__', status: 404 },
      { name: 'a 30 MB unit change without a token', method: 'PUT', path: '/tabs/api/me/unit', body: { spaces: 30 * MB }, status: 401 },
      { name: 'a 20 MB multipart directory upload without a token', method: 'POST', path: '/tabs/api/admin/directory/preview', ...multipart(20 * MB), status: 401 },
      { name: 'a 30 MB chunked directory upload without a token', method: 'POST', path: '/tabs/api/admin/directory/preview', body: { chunkedBytes: 30 * MB }, status: 401 },
      { name: 'a directory upload by a non-coordinator', method: 'POST', path: '/tabs/api/admin/directory/preview', token: 'user', body: { spaces: MB }, status: 403 },
      {
        name: 'a 30 MB directory upload by a coordinator',
        method: 'POST',
        path: '/tabs/api/admin/directory/preview',
        token: 'coordinator',
        body: { spaces: 30 * MB },
        status: 413,
      },
      {
        name: 'a 30 MB chunked directory upload by a coordinator',
        method: 'POST',
        path: '/tabs/api/admin/directory/preview',
        token: 'coordinator',
        body: { chunkedBytes: 30 * MB },
        status: 411,
      },
      { name: 'a 30 MB chunked unit change', method: 'PUT', path: '/tabs/api/me/unit', token: 'user', body: { chunkedBytes: 30 * MB }, status: 413 },
      { name: 'a multipart directory upload by a coordinator', method: 'POST', path: '/tabs/api/admin/directory/preview', token: 'coordinator', ...multipart(MB), status: 415 },
      {
        name: 'a directory upload with files as a string',
        method: 'POST',
        path: '/tabs/api/admin/directory/preview',
        token: 'coordinator',
        body: { files: 'units.csv' },
        status: 400,
      },
      {
        name: 'a directory apply with a wrong-typed digest',
        method: 'POST',
        path: '/tabs/api/admin/directory/apply',
        token: 'coordinator',
        body: { digest: 7, baseVersion: null, files: [] },
        status: 400,
      },
      { name: 'a unit change as text/plain', method: 'PUT', path: '/tabs/api/me/unit', token: 'user', contentType: 'text/plain', body: '{"unitCode":"IDI"}', status: 415 },
      { name: 'a unit change with invalid JSON', method: 'PUT', path: '/tabs/api/me/unit', token: 'user', body: '{"unitCode":', status: 400 },
      { name: 'a unit change with a number', method: 'PUT', path: '/tabs/api/me/unit', token: 'user', body: { unitCode: 7 }, status: 400 },
      { name: 'a 100 KB unit change', method: 'PUT', path: '/tabs/api/me/unit', token: 'user', body: { unitCode: 'x'.repeat(100 * 1024) }, status: 413 },
      {
        name: 'subscriptions with wrong types',
        method: 'PUT',
        path: '/tabs/api/me/subscriptions',
        token: 'user',
        body: { roles: 'all', keepTopics: {}, addKinds: 1, addProcesses: null },
        status: 400,
      },
      { name: 'a reminder as an array', method: 'POST', path: '/tabs/api/me/reminders', token: 'user', body: [{ announcementId: 'x', choice: 'day' }], status: 400 },
      { name: 'an export filter with wrong types', method: 'POST', path: '/tabs/api/admin/suggestions/export', token: 'coordinator', body: { states: 5, from: true }, status: 400 },
      { name: 'a suggestion list filtered by "__proto__"', method: 'GET', path: '/tabs/api/admin/suggestions?states=__proto__&__proto__=x', token: 'coordinator', status: 400 },
      { name: 'a development sign-in with wrong types', method: 'POST', path: '/tabs/api/dev-sign-in', body: { name: 5, email: [] }, status: 400 },
      { name: 'a 30 MB development sign-in', method: 'POST', path: '/tabs/api/dev-sign-in', body: { spaces: 30 * MB }, status: 413 },
      { name: 'a multipart development sign-in', method: 'POST', path: '/tabs/api/dev-sign-in', ...multipart(MB), status: 415 },
      { name: 'a POST to /healthz', method: 'POST', path: '/healthz', body: { spaces: MB } },
    ];
  };

  beforeAll(async () => {
    connector = new StandInConnector();
    await connector.start();
    app = await startAppProcess({
      STORAGE_CONNECTION_STRING: testConnectionString(),
      TABLE_PREFIX: uniqueTablePrefix('fuzz'),
      COORDINATORS: COORDINATOR.email,
    });
    for (const [kind, who] of [
      ['user', { name: 'Kari Ansatt', email: 'kari.ansatt@ntnu.example' }],
      ['coordinator', COORDINATOR],
    ] as const) {
      const signIn = await request(app.url, { method: 'POST', path: '/tabs/api/dev-sign-in', body: who });
      tokens[kind] = (JSON.parse(signIn.body) as { token: string }).token;
    }
    // A few ordinary turns first, so what the app allocates for any request is in the baseline.
    for (let i = 0; i < 3; i++) expect((await request(app.url, { body: messageActivity('hvem er prosessansvarlig for PBO?', user, connector.url) })).status).toBe(200);
    baseline = app.residentBytes();
  });

  afterAll(async () => {
    await app?.stop();
    await connector?.stop();
  });

  it('has at least 40 cases answered 4xx on /api/messages, and more for the tabs', () => {
    const all = cases(connector.url);
    expect(all.filter((c) => (c.path ?? '/api/messages') === '/api/messages' && !c.refusedInBody).length).toBeGreaterThanOrEqual(40);
    expect(all.length).toBeGreaterThan(60);
  });

  it.each(cases('http://127.0.0.1:9/').map((c) => c.name))('%s: refused, no temporary file, alive, healthy, memory within 40 MB', async (name) => {
    const fuzzCase = cases(connector.url).find((c) => c.name === name);
    if (!fuzzCase) throw new Error(`no case ${name}`);
    const token = fuzzCase.token ? tokens[fuzzCase.token] : undefined;
    const response = await request(app.url, { ...fuzzCase, headers: { ...fuzzCase.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } });
    if (fuzzCase.refusedInBody) {
      expect(response.status, response.body).toBe(200);
      expect(response.body).toMatch(fuzzCase.refusedInBody);
    } else {
      if (fuzzCase.status !== undefined) expect(response.status, response.body).toBe(fuzzCase.status);
      expect(response.status, response.body).toBeGreaterThanOrEqual(400);
      expect(response.status, response.body).toBeLessThan(500);
    }
    // No answer repeats an internal error message.
    expect(response.body).not.toMatch(/is not a function|Cannot read prop|TypeError|RangeError|stack/i);
    expect(readdirSync(app.tmpDir)).toEqual([]);
    expect(app.alive()).toBe(true);
    expect((await request(app.url, { method: 'GET', path: '/healthz' })).status).toBe(200);
    expect(app.residentBytes() - baseline).toBeLessThan(40 * MB);
  });

  it('still answers an ordinary question afterwards', async () => {
    const response = await request(app.url, { body: messageActivity('hvem er prosessansvarlig for PBO?', user, connector.url) });
    expect(response.status).toBe(200);
    expect(JSON.stringify(connector.messagesIn(user.conversationId))).toContain('stian.moe@ntnu.example');
    expect(app.residentBytes() - baseline).toBeLessThan(40 * MB);
  });
});

/**
 * One request with node:http, which (unlike fetch) shows the answer to a body
 * the server refused before reading it all; a write error after the answer
 * (the server closed the connection) is expected then.
 */
function materialise(body: Case['body']): string | Buffer | { chunkedBytes: number } | { declaredBytes: number } | undefined {
  if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) return body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return JSON.stringify(body);
  if ('spaces' in body && typeof body.spaces === 'number') return Buffer.alloc(body.spaces, 0x20);
  if ('gzipOfSpaces' in body && typeof body.gzipOfSpaces === 'number') return gzipSync(Buffer.alloc(body.gzipOfSpaces, 0x20));
  if ('multipartFileBytes' in body && typeof body.multipartFileBytes === 'number') {
    return Buffer.concat([
      Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="upload.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      Buffer.alloc(body.multipartFileBytes, 0x41),
      Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
    ]);
  }
  if ('chunkedBytes' in body && typeof body.chunkedBytes === 'number') return { chunkedBytes: body.chunkedBytes };
  if ('declaredBytes' in body && typeof body.declaredBytes === 'number') return { declaredBytes: body.declaredBytes };
  return JSON.stringify(body);
}

function request(base: string, fuzzCase: Omit<Case, 'name'>): Promise<{ status: number; body: string }> {
  const { method = 'POST', path = '/api/messages', headers = {} } = fuzzCase;
  const payload = materialise(fuzzCase.body);
  const contentType = fuzzCase.contentType === undefined ? 'application/json' : fuzzCase.contentType;

  return new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request(`${base}${path}`, {
      method,
      headers: {
        ...(contentType ? { 'content-type': contentType } : {}),
        ...(typeof payload === 'string' || Buffer.isBuffer(payload) ? { 'content-length': String(Buffer.byteLength(payload)) } : {}),
        ...(payload && typeof payload === 'object' && 'declaredBytes' in payload ? { 'content-length': String(payload.declaredBytes) } : {}),
        ...headers,
      },
    });
    req.setTimeout(30_000, () => req.destroy(new Error('no answer in 30 s')));
    req.on('response', (res) => {
      answered = true;
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (payload === undefined) req.end();
    else if (typeof payload === 'string' || Buffer.isBuffer(payload)) req.end(payload);
    else if ('declaredBytes' in payload) req.write(Buffer.alloc(1024, 0x20));
    else {
      // Chunked: 1 MB at a time until the whole size is sent or the server has answered.
      const chunk = Buffer.alloc(MB, 0x20);
      let sent = 0;
      const pump = () => {
        while (!answered && sent < payload.chunkedBytes) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    }
  });
}
