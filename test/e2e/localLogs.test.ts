import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';
import pino from 'pino';

describe('logs in a terminal', () => {
  it('are pretty by default in local mode and JSON with a bot identity', () => {
    expect(loadConfig({}).logFormat).toBe('pretty');
    expect(loadConfig({ BOT_ID: '00000000-0000-0000-0000-000000000001', BOT_PASSWORD: 'x', BOT_TENANT_ID: 't' }).logFormat).toBe('json');
    expect(loadConfig({ LOG_FORMAT: 'json' }).logFormat).toBe('json');
  });

  it('print one line per entry, the error included, through pino-pretty', () => {
    const logger = path.resolve(__dirname, '../../dist/src/logger.js');
    const script = `const { createLogger } = require(${JSON.stringify(logger)});
      const log = createLogger('info', 'pretty');
      log.info({ messageId: 'digest:1', error: 'no personal chat' }, 'outbox message will be retried');
      log.error({ err: new Error('boom') }, 'request failed');`;
    const output = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    const lines = output.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: outbox message will be retried \{.*"error":"no personal chat".*\}$/);
    expect(lines[1]).toMatch(/^\[\d\d:\d\d:\d\d\] ERROR: request failed/);
    expect(output).not.toContain('"pid"');
  });
});

describe("the Playground's probe and a browser's favicon", () => {
  let app: RunningApp;
  const warnings: string[] = [];
  beforeAll(async () => {
    const config = loadConfig({ PORT: '0', STORAGE_CONNECTION_STRING: testConnectionString(), TABLE_PREFIX: uniqueTablePrefix('logs') });
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        const entry = JSON.parse(chunk.toString()) as { level: number; msg: string };
        if (entry.level >= 40) warnings.push(entry.msg);
        done();
      },
    });
    app = await startApp(config, pino({ level: 'info' }, sink));
  });
  afterAll(async () => app.close());

  it('are answered quietly: no 405 or 404, nothing logged as a warning', async () => {
    const before = warnings.length;
    expect((await fetch(`${app.url}/api/messages`, { method: 'HEAD' })).status).toBe(204);
    expect((await fetch(`${app.url}/favicon.ico`)).status).toBe(204);
    expect(warnings.slice(before)).toEqual([]);
  });
});
