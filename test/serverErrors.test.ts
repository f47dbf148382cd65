import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger';
import { createHttpServer } from '../src/server';

/**
 * What the HTTP server answers when a route fails: restify would put the
 * error's own message in the body; here the body says only that it failed.
 * Only the health check is exercised; the other routes are registered but
 * never called, so their dependencies are left out.
 */
describe('a route that fails', () => {
  const server = createHttpServer({
    health: async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:10002 (an internal detail)');
    },
    logger: createLogger('silent'),
    adapter: {} as never,
    bot: {} as never,
    capabilities: [],
  });
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => {
      server.listen(0, '127.0.0.1', resolve);
    });
    url = `http://127.0.0.1:${server.address().port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
    });
  });

  it('answers 500 without the internal message', async () => {
    const response = await fetch(`${url}/healthz`);
    expect(response.status).toBe(500);
    const body = await response.text();
    expect(JSON.parse(body)).toEqual({ error: 'internal' });
    expect(body).not.toContain('ECONNREFUSED');
  });

  it('still answers 404 for an unknown address, as restify does', async () => {
    expect((await fetch(`${url}/no/such/page`)).status).toBe(404);
  });
});
