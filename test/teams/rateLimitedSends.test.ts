import { TeamsAdapter } from '@microsoft/teams-ai';
import { TestAdapter } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppRateLimit } from '../../src/broadcast/appRateLimit';
import { createLogger } from '../../src/logger';
import { TeamsMessenger } from '../../src/teams/broadcast/teamsMessenger';
import { inConversation } from '../../src/teams/proactive';
import { rateLimitedSends } from '../../src/teams/rateLimitedSends';
import { StandInConnector } from '../support/standInConnector';
import { mostInAnyWindow } from '../broadcast/support';

const logger = createLogger('silent');
const connector = new StandInConnector();
beforeAll(() => connector.start());
afterAll(() => connector.stop());

function reference(conversationId: string) {
  return {
    channelId: 'msteams',
    serviceUrl: connector.url,
    conversation: { id: conversationId, conversationType: 'personal', tenantId: 'tenant' },
    bot: { id: '28:bot', name: 'Økonomi og lønn' },
    user: { id: `29:${conversationId}` },
  };
}

function limitedAdapter(requestsPerSecond: number) {
  const adapter = new TeamsAdapter({});
  // A wide margin: requests made in this process may reach the stand-in later than they left (a busy test machine).
  adapter.use(rateLimitedSends(new AppRateLimit({ limits: { requestsPerSecond, safetyMarginMs: 100 } })));
  return adapter;
}

const arrivals = (prefix: string) => connector.received.filter((entry) => entry.conversationId.startsWith(prefix)).map((entry) => entry.at);

describe('rateLimitedSends', () => {
  it('holds proactive posts and updates from any sender to the app’s rate', async () => {
    const adapter = limitedAdapter(5);
    const messenger = new TeamsMessenger({ adapter, botAppId: '', logger });
    await Promise.all([
      ...Array.from({ length: 6 }, (_, index) => messenger.send(reference(`a:mixed-${index}`), { type: 'message', text: 'Varsel' })),
      ...Array.from({ length: 3 }, (_, index) => messenger.update(reference(`a:mixed-u${index}`), 'sent-1', { type: 'message', text: 'Status' })),
      // A routed card or a digest: a proactive turn of its own.
      ...Array.from({ length: 3 }, (_, index) =>
        inConversation(adapter, '', reference(`a:mixed-t${index}`), async (context) => {
          await context.sendActivity('Ukentlig oversikt');
        }),
      ),
    ]);
    const times = arrivals('a:mixed-');
    expect(times).toHaveLength(12);
    expect(mostInAnyWindow(times, 1000)).toBeLessThanOrEqual(5);
  });

  it('lets through at once what the broadcast engine paced itself, counted until they were answered', async () => {
    const rateLimit = new AppRateLimit({ limits: { requestsPerSecond: 2 } });
    const adapter = new TeamsAdapter({});
    adapter.use(rateLimitedSends(rateLimit));
    const messenger = new TeamsMessenger({ adapter, botAppId: '', logger });
    const startedAt = performance.now();
    await Promise.all(
      Array.from({ length: 6 }, (_, index) => {
        const conversationId = `a:paced-${index}`;
        // As the engine does: it records the slot as it fires, then makes the request.
        const recordedAt = rateLimit.clock() - 5000;
        rateLimit.limiter.record(conversationId, recordedAt);
        return rateLimit.paced(conversationId, recordedAt, () => messenger.send(reference(conversationId), { type: 'message', text: 'Kunngjøring' }));
      }),
    );
    expect(arrivals('a:paced-')).toHaveLength(6);
    expect(performance.now() - startedAt).toBeLessThan(1000);
    // Counted until they were answered, not from when they were recorded: a request of anyone else now waits.
    expect(rateLimit.limiter.appNextAllowedAt(rateLimit.clock())).toBeGreaterThan(rateLimit.clock() + 500);
  });

  it('holds a turn’s replies to the rate on an adapter without a connector pipeline to join', async () => {
    const sentAt: number[] = [];
    const adapter = new TestAdapter(async (context) => {
      await context.sendActivity('Velkommen');
    });
    adapter.use(rateLimitedSends(new AppRateLimit({ limits: { requestsPerSecond: 2, safetyMarginMs: 100 } })));
    adapter.use({
      onTurn: async (context, next) => {
        context.onSendActivities(async (_context, activities, send) => {
          sentAt.push(performance.now());
          return send();
        });
        await next();
      },
    });
    for (let index = 0; index < 4; index += 1) await adapter.send(`hei ${index}`);
    expect(sentAt).toHaveLength(4);
    expect(mostInAnyWindow(sentAt, 1000)).toBeLessThanOrEqual(2);
  });

  it('slows the app down when Teams answers 429 all the same', async () => {
    const rateLimit = new AppRateLimit({ limits: { requestsPerSecond: 50 } });
    const adapter = new TeamsAdapter({});
    adapter.use(rateLimitedSends(rateLimit));
    connector.failures.set('a:refused', { status: 429, retryAfter: 2, remaining: 1 });
    const failure = await new TeamsMessenger({ adapter, botAppId: '', logger }).send(reference('a:refused'), { type: 'message', text: 'x' }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: 'throttled' });
    const now = rateLimit.clock();
    expect(rateLimit.limiter.ratePerSecond(now)).toBeLessThan(50);
    expect(rateLimit.limiter.conversationNextAllowedAt('a:refused', now)).toBeGreaterThan(now + 1500);
  });
});
