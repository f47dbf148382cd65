import type { AccessToken, TokenCredential } from '@azure/identity';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InstallationError } from '../../src/broadcast/installation';
import type { KnownConversation } from '../../src/conversations/conversationStore';
import { GraphClient, GraphError } from '../../src/graph/graphClient';
import { TeamsAppInstaller } from '../../src/graph/teamsAppInstaller';
import { createLogger } from '../../src/logger';
import { StandInGraph } from '../../bench/support/standInGraph';

const BOT = { id: 'bot-app-id', tenantId: 'tenant', serviceUrl: 'https://smba.example/teams/' };

describe('proactive installation through a stand-in Microsoft Graph', () => {
  let graph: StandInGraph;
  let remembered: KnownConversation[];

  const installer = (client = new GraphClient({ baseUrl: graph.baseUrl, credential: null, requestsPerSecond: 1000, retry: { baseDelayMs: 10, maxDelayMs: 50 } })) =>
    new TeamsAppInstaller({
      graph: client,
      catalogAppId: graph.catalogAppId,
      bot: BOT,
      conversations: { remember: async (conversation) => void remembered.push(conversation) },
      logger: createLogger('silent'),
    });
  const failureOf = async (promise: Promise<unknown>): Promise<InstallationError> => {
    const error = await promise.then(
      () => null,
      (caught: unknown) => caught,
    );
    if (!(error instanceof InstallationError)) throw new Error(`expected an InstallationError, got ${String(error)}`);
    return error;
  };

  beforeEach(async () => {
    graph = new StandInGraph();
    await graph.start();
    remembered = [];
  });
  afterEach(async () => {
    await graph.stop();
  });

  it('finds the person by e-mail, installs the app, and gives and remembers the reference of the chat it made', async () => {
    const user = graph.addUser('Kari.Nordmann@ntnu.example', 'Kari Nordmann');

    const reference = await installer().install({ email: 'kari.nordmann@ntnu.example', label: 'Kari Nordmann' });

    expect(graph.installed).toBe(1);
    expect(reference).toEqual({
      channelId: 'msteams',
      serviceUrl: BOT.serviceUrl,
      conversation: { id: StandInGraph.chatIdOf(user.id), conversationType: 'personal', tenantId: 'tenant' },
      bot: { id: '28:bot-app-id' },
      user: { id: user.id, aadObjectId: user.id, name: 'Kari Nordmann' },
    });
    expect(remembered).toEqual([
      expect.objectContaining({
        conversationId: StandInGraph.chatIdOf(user.id),
        kind: 'personal',
        reference,
        user: { id: user.id, name: 'Kari Nordmann', email: 'kari.nordmann@ntnu.example' },
      }),
    ]);
  });

  it('takes 409 (installed already) for success and gives the chat of the installation there', async () => {
    const user = graph.addUser('ola@ntnu.example', 'Ola');
    graph.installations.set(user.id, { id: 'earlier-installation', chatId: '19:earlier@unq.gbl.spaces' });

    const reference = await installer().install({ email: 'ola@ntnu.example', label: null });

    expect(graph.conflicts).toBe(1);
    expect(graph.installed).toBe(0);
    expect(reference.conversation).toMatchObject({ id: '19:earlier@unq.gbl.spaces' });
  });

  it('gives the chat even when it cannot be remembered (storage failing): this delivery has it, and a later one installs again', async () => {
    const user = graph.addUser('lagring@ntnu.example', 'Lagring Feiler');
    const failing = new TeamsAppInstaller({
      graph: new GraphClient({ baseUrl: graph.baseUrl, credential: null, requestsPerSecond: 1000 }),
      catalogAppId: graph.catalogAppId,
      bot: BOT,
      conversations: { remember: () => Promise.reject(new Error('storage unavailable')) },
      logger: createLogger('silent'),
    });

    const reference = await failing.install({ email: 'lagring@ntnu.example', label: null });

    expect(reference.conversation).toMatchObject({ id: StandInGraph.chatIdOf(user.id) });
  });

  it('is not-found when Graph knows nobody with the e-mail, and when it answers 404 for the user', async () => {
    const nobody = await failureOf(installer().install({ email: 'ingen@ntnu.example', label: null }));
    expect(nobody).toMatchObject({ reason: 'not-found', status: 404 });

    graph.addUser('borte@ntnu.example', 'Borte');
    graph.failures.push({ method: 'POST', path: /installedApps$/, status: 404, remaining: 1 });
    const gone = await failureOf(installer().install({ email: 'borte@ntnu.example', label: null }));
    expect(gone).toMatchObject({ reason: 'not-found', status: 404 });
    expect(remembered).toEqual([]);
  });

  it('is blocked when the organisation’s policy refuses the installation (403)', async () => {
    const user = graph.addUser('blokkert@ntnu.example', 'Blokkert');
    graph.blocked.add(user.id);

    const error = await failureOf(installer().install({ email: 'blokkert@ntnu.example', label: null }));

    expect(error).toMatchObject({ reason: 'blocked', status: 403 });
    expect(error.message).toContain('permission policy');
  });

  it('waits for Retry-After on 429 and then succeeds, and holds back the other requests meanwhile', async () => {
    graph.addUser('a@ntnu.example', 'A');
    graph.addUser('b@ntnu.example', 'B');
    graph.failures.push({ method: 'POST', path: /installedApps$/, status: 429, retryAfterSeconds: 1, remaining: 1 });
    const client = new GraphClient({ baseUrl: graph.baseUrl, credential: null, requestsPerSecond: 1000 });
    const started = performance.now();

    const [a, b] = await Promise.all([installer(client).install({ email: 'a@ntnu.example', label: null }), installer(client).install({ email: 'b@ntnu.example', label: null })]);

    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(graph.throttled).toBe(1);
    expect(graph.installed).toBe(2);
    expect([a.conversation, b.conversation]).toEqual([expect.objectContaining({ conversationType: 'personal' }), expect.objectContaining({ conversationType: 'personal' })]);
  });

  it('backs off on a 429 without Retry-After, and then succeeds', async () => {
    graph.addUser('g@ntnu.example', 'G');
    graph.failures.push({ method: 'GET', path: /\/chat$/, status: 429, remaining: 2 });

    await expect(installer().install({ email: 'g@ntnu.example', label: null })).resolves.toMatchObject({ conversation: { conversationType: 'personal' } });
    expect(graph.throttled).toBe(2);
  });

  it('gives up throttled requests after the attempts allowed', async () => {
    graph.addUser('c@ntnu.example', 'C');
    graph.failures.push({ method: 'GET', path: /^\/v1\.0\/users$/, status: 429, retryAfterSeconds: 0, remaining: 10 });
    const client = new GraphClient({ baseUrl: graph.baseUrl, credential: null, requestsPerSecond: 1000, retry: { maxThrottledAttempts: 3 } });

    const error = await failureOf(installer(client).install({ email: 'c@ntnu.example', label: null }));

    expect(error).toMatchObject({ reason: 'graph-error', status: 429 });
    expect(error.message).toContain('Gave up after 3 throttled attempts');
    expect(graph.throttled).toBe(3);
  });

  it('retries 5xx with backoff and succeeds; after the attempts allowed it is a Graph error', async () => {
    graph.addUser('d@ntnu.example', 'D');
    graph.failures.push({ method: 'GET', path: /\/chat$/, status: 503, remaining: 2 });
    await expect(installer().install({ email: 'd@ntnu.example', label: null })).resolves.toMatchObject({ conversation: { conversationType: 'personal' } });

    graph.addUser('e@ntnu.example', 'E');
    graph.failures.push({ method: 'POST', path: /installedApps$/, status: 500, remaining: 10 });
    const error = await failureOf(installer().install({ email: 'e@ntnu.example', label: null }));
    expect(error).toMatchObject({ reason: 'graph-error', status: 500 });
    expect(error.message).toContain('Gave up after 4 failed attempts');
  });

  it('sends the app identity’s token for Graph, and asks for a new one only when it nears its end', async () => {
    graph.addUser('f@ntnu.example', 'F');
    const scopes: string[] = [];
    const credential: TokenCredential = {
      getToken: async (scope): Promise<AccessToken> => {
        scopes.push(String(scope));
        return { token: 'graph-token', expiresOnTimestamp: Date.now() + 3_600_000 };
      },
    };

    await installer(new GraphClient({ baseUrl: graph.baseUrl, credential, requestsPerSecond: 1000 })).install({ email: 'f@ntnu.example', label: null });

    expect(scopes).toEqual(['https://graph.microsoft.com/.default']);
    expect([...graph.authorizations]).toEqual(['Bearer graph-token']);
  });

  it('reports a Graph error a caller cannot retry with its status and code', async () => {
    const client = new GraphClient({ baseUrl: graph.baseUrl, credential: null, requestsPerSecond: 1000 });
    const error = await client.request('GET', '/nowhere').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GraphError);
    expect(error).toMatchObject({ status: 404, code: 'NotFound' });
  });
});
