import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TeamsAdapter } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../src/broadcast/messenger';
import type { Logger } from '../../src/logger';
import { freePort } from '../../src/storage/azurite';
import { retryAfterMs, TeamsMessenger, toDeliveryError } from '../../src/teams/broadcast/teamsMessenger';
import { StandInConnector } from '../support/standInConnector';
import { logger } from './support';

const connector = new StandInConnector();
beforeAll(() => connector.start());
afterAll(() => connector.stop());

function reference(conversationId: string, serviceUrl = connector.url) {
  return {
    channelId: 'msteams',
    serviceUrl,
    conversation: { id: conversationId, conversationType: 'personal', tenantId: 'tenant' },
    bot: { id: '28:bot', name: 'Økonomi og lønn' },
    user: { id: `29:${conversationId}` },
    // A stored reference carries the last incoming activity's id; a broadcast must not become a reply to it.
    activityId: 'incoming-1',
  };
}

const messenger = (options: { requestTimeoutMs?: number } = {}) => new TeamsMessenger({ adapter: new TeamsAdapter({}), botAppId: '', logger, ...options });

async function failureOf(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof DeliveryError)) throw new Error(`expected a DeliveryError, got ${String(error)}`);
  return error;
}

describe('TeamsMessenger', () => {
  it('posts a new message (not a reply) and returns the id Teams gave it', async () => {
    const id = await messenger().send(reference('a:send'), { type: 'message', text: 'Fagkafé torsdag' });
    expect(id).toMatch(/^sent-/);
    const [posted] = connector.received.filter((entry) => entry.conversationId === 'a:send');
    expect(posted).toMatchObject({ method: 'POST', replyToId: null, activity: { type: 'message', text: 'Fagkafé torsdag' } });
    expect(posted?.activity.replyToId).toBeUndefined();
  });

  it('updates a message in place by its id', async () => {
    await messenger().update(reference('a:update'), 'sent-41', { type: 'message', text: 'AVLYST' });
    expect(connector.updatesIn('a:update')).toEqual([
      expect.objectContaining({ method: 'PUT', replyToId: 'sent-41', activity: expect.objectContaining({ id: 'sent-41', text: 'AVLYST' }) }),
    ]);
  });

  it('hands a 429 with its Retry-After to the engine after one request, without the SDK retrying it', async () => {
    connector.failures.set('a:throttled', { status: 429, retryAfter: 2, remaining: 5 });
    const error = await failureOf(messenger().send(reference('a:throttled'), { type: 'message', text: 'x' }));
    expect(error).toMatchObject({ kind: 'throttled', status: 429, retryAfterMs: 2000 });
    expect(connector.failures.get('a:throttled')?.remaining).toBe(4);
  });

  it('classifies 412, 502, 503 and 504 as transient, 403 and 404 as unreachable, the rest as rejected', async () => {
    const cases: Array<[number, DeliveryError['kind']]> = [
      [412, 'transient'],
      [502, 'transient'],
      [503, 'transient'],
      [504, 'transient'],
      [403, 'unreachable'],
      [404, 'unreachable'],
      [400, 'rejected'],
      [500, 'rejected'],
    ];
    for (const [status, kind] of cases) {
      const conversationId = `a:status-${status}`;
      connector.failures.set(conversationId, { status, remaining: 3 });
      const error = await failureOf(messenger().send(reference(conversationId), { type: 'message', text: 'x' }));
      expect([status, error.kind, error.status]).toEqual([status, kind, status]);
      expect(error.message).toContain(`stand-in failure ${status}`);
      // One request each: the SDK retried none of them.
      expect(connector.failures.get(conversationId)?.remaining).toBe(2);
    }
    connector.failures.set('a:update-gone', { status: 404, remaining: 1 });
    expect((await failureOf(messenger().update(reference('a:update-gone'), 'sent-1', { type: 'message' }))).kind).toBe('unreachable');
  });

  it('treats a connection refused as a transient network error', async () => {
    const closed = `http://127.0.0.1:${await freePort()}/`;
    const error = await failureOf(messenger().send(reference('a:nowhere', closed), { type: 'message', text: 'x' }));
    expect(error).toMatchObject({ kind: 'transient', status: null });
    expect(error.message).toMatch(/^network: /);
  });

  it('gives up on a request that gets no answer within the timeout', async () => {
    const silent = http.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    try {
      const started = Date.now();
      const error = await failureOf(
        messenger({ requestTimeoutMs: 300 }).send(reference('a:silent', `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`), { type: 'message' }),
      );
      expect(error).toMatchObject({ kind: 'transient', status: null });
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('reports a refusal to the engine even when the app has a turn-error handler, which must not apologise into the chat', async () => {
    // As in the app: teams-ai's app.error() sets the adapter's onTurnError, which would swallow a failed proactive turn.
    const adapter = new TeamsAdapter({});
    const handled: unknown[] = [];
    adapter.onTurnError = async (context, error) => {
      handled.push(error);
      await context.sendActivity('Beklager, noe gikk galt.');
    };
    connector.failures.set('a:blocked-in-app', { status: 403, remaining: 1 });
    const error = await failureOf(new TeamsMessenger({ adapter, botAppId: '', logger }).send(reference('a:blocked-in-app'), { type: 'message', text: 'x' }));
    expect(error).toMatchObject({ kind: 'unreachable', status: 403 });
    expect(handled).toEqual([]);
    expect(connector.messagesIn('a:blocked-in-app')).toEqual([]);
  });

  it('still sends, and warns once, when the connector client has no pipeline it can adjust', async () => {
    const warnings: string[] = [];
    const warningLogger = { warn: (message: string) => warnings.push(message) } as unknown as Logger;
    const context = {
      turnState: new Map<symbol, unknown>(),
      onSendActivities: () => context,
      sendActivity: async () => ({ id: 'from-fake' }),
    } as unknown as TurnContext;
    const adapter = {
      ConnectorClientKey: Symbol('ConnectorClient'),
      continueConversationAsync: async (_appId: unknown, _reference: unknown, logic: (context: TurnContext) => Promise<void>) => logic(context),
    } as unknown as ConstructorParameters<typeof TeamsMessenger>[0]['adapter'];
    const fake = new TeamsMessenger({ adapter, botAppId: '', logger: warningLogger });
    expect(await fake.send(reference('a:fake'), { type: 'message' })).toBe('from-fake');
    expect(await fake.send(reference('a:fake'), { type: 'message' })).toBe('from-fake');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/retries throttled requests itself/);
  });
});

describe('toDeliveryError and retryAfterMs', () => {
  const now = Date.parse('2026-03-02T08:00:00.000Z');

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterMs('1', now)).toBe(1000);
    expect(retryAfterMs(' 2.5 ', now)).toBe(2500);
    expect(retryAfterMs('Mon, 02 Mar 2026 08:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Mon, 02 Mar 2026 07:59:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeNull();
  });

  it('takes anything without a status for a network error', () => {
    expect(toDeliveryError('boom', now)).toMatchObject({ kind: 'transient', status: null, message: 'network: boom' });
    expect(toDeliveryError(Object.assign(new Error('throttled'), { statusCode: 429, response: { headers: { get: () => 'soon' } } }), now)).toMatchObject({
      kind: 'throttled',
      retryAfterMs: null,
    });
  });
});
