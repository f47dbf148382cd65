import { randomUUID } from 'node:crypto';
import { TeamsAdapter } from '@microsoft/teams-ai';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TableChannelRegistrationStore } from '../../src/conversations/channelRegistrations';
import { TableConversationStore } from '../../src/conversations/conversationStore';
import { TableOutboxStore } from '../../src/delivery/outbox';
import { OutboxWorker } from '../../src/delivery/outboxWorker';
import { DirectoryService } from '../../src/directory/directoryService';
import { TableDirectoryStore } from '../../src/directory/directoryStore';
import { ensureSeeded } from '../../src/directory/seedDirectory';
import { createLogger } from '../../src/logger';
import { SuggestionService } from '../../src/suggestions/suggestionService';
import { TableSuggestionStore } from '../../src/suggestions/suggestionStore';
import { SupportTokens } from '../../src/suggestions/supportTokens';
import { suggestionDeliveryJobs } from '../../src/teams/suggestions/suggestionDelivery';
import { StandInConnector } from '../support/standInConnector';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';
import { fakeClock } from './support';

const logger = createLogger('silent');
/** A BTB suggestion from IDI goes to this advisor one to one when no channel is registered. */
const ADVISOR_EMAIL = 'audun.brekke@ntnu.example';
const LEASE_MS = 120_000;

/**
 * The routed card of a suggestion when the process dies after the connector took the card but before the suggestion
 * recorded where it was posted: the outbox, the suggestion and the advisor's chat are real (Azurite, a stand-in connector).
 */
describe('a crash between posting a routed card and recording the posting', () => {
  const connector = new StandInConnector();
  let setUp: () => Promise<{
    service: SuggestionService;
    outbox: TableOutboxStore;
    clock: ReturnType<typeof fakeClock>;
    worker: () => OutboxWorker;
    suggestionId: string;
    advisorChat: string;
    /** The suggestion's cards posted to the advisor. */
    cards: () => unknown[];
    /** The ids of the advisor's messages updated in place. */
    updates: () => (string | null)[];
  }>;

  beforeAll(async () => {
    await connector.start();
    const directoryStore = await TableDirectoryStore.open(testConnectionString(), `${uniqueTablePrefix('dir')}directory`);
    const directory = new DirectoryService(directoryStore, await ensureSeeded(directoryStore), logger);
    setUp = async () => {
      const prefix = uniqueTablePrefix('routecrash');
      // Suggestion numbers start afresh in each test's tables: each test's advisor chat is its own.
      const advisorChat = `a:${randomUUID()}`;
      const clock = fakeClock(new Date().toISOString());
      const outbox = await TableOutboxStore.open(testConnectionString(), `${prefix}outbox`, { clock: clock.now });
      const conversations = await TableConversationStore.open(testConnectionString(), `${prefix}conversations`);
      const registrations = await TableChannelRegistrationStore.open(testConnectionString(), `${prefix}registrations`);
      await conversations.remember({
        conversationId: advisorChat,
        kind: 'personal',
        reference: { channelId: 'msteams', serviceUrl: connector.url, conversation: { id: advisorChat, conversationType: 'personal' }, bot: { id: '28:bot', name: 'Bot' } },
        user: { id: 'audun', name: 'Audun Brekke', email: ADVISOR_EMAIL },
        updatedAt: new Date().toISOString(),
      });
      const service = new SuggestionService({
        directory: () => directory.index,
        store: await TableSuggestionStore.open(testConnectionString(), `${prefix}suggestions`),
        registrations,
        outbox: { enqueue: (message) => outbox.enqueue(message), kick: async () => undefined },
        coordinators: new Set(),
        supportTokens: new SupportTokens({ secret: Buffer.alloc(32, 1) }),
      });
      const draft = { process: 'BTB', unit: 'IDI', title: `Krasj ${randomUUID()}`, description: 'D', potential: 'P', system: 'unit4', mayContact: 'true' };
      const submitted = await service.submit(draft, { id: 'kari', name: 'Kari Ansatt' }, randomUUID(), 'nb', true);
      if (submitted.kind !== 'submitted') throw new Error(`not submitted: ${submitted.kind}`);
      // Each worker is a fresh process: its own adapter and handlers over the same stores.
      const worker = () => {
        const started = new OutboxWorker({ store: outbox, logger, clock: clock.now, random: () => 0, leaseMs: LEASE_MS });
        started.register(suggestionDeliveryJobs({ adapter: new TeamsAdapter({}), botAppId: '', service, directory, conversations, registrations, logger }));
        return started;
      };
      const cards = () => connector.messagesIn(advisorChat).filter((message) => JSON.stringify(message).includes(submitted.suggestion.id));
      const updates = () => connector.updatesIn(advisorChat).map((entry) => entry.replyToId);
      return { service, outbox, clock, worker, suggestionId: submitted.suggestion.id, advisorChat, cards, updates };
    };
  });
  afterAll(async () => connector.stop());

  it('updates the card already posted on the next attempt instead of posting a second one', async () => {
    const { service, clock, worker, suggestionId, cards, updates } = await setUp();
    // The first process dies while recording the posting: the connector has the card, the suggestion does not know.
    vi.spyOn(service, 'recordPosting').mockRejectedValueOnce(new Error('the process died'));
    expect((await worker().runOnce()).retried).toBe(1);
    expect(cards()).toHaveLength(1);
    expect((await service.get(suggestionId))?.postings).toEqual([]);

    clock.advance(1000);
    expect((await worker().runOnce()).delivered).toBe(1);
    expect(cards()).toHaveLength(1);
    const postings = (await service.get(suggestionId))?.postings ?? [];
    expect(postings).toHaveLength(1);
    // The one card there is, brought up to date in place.
    expect(updates()).toEqual([postings[0]?.activityId]);
  });

  it('leaves a worker that died mid-attempt to the next one after its lease, which updates the posted card', async () => {
    const { service, clock, worker, suggestionId, outbox, advisorChat, cards, updates } = await setUp();
    // Killed while recording the posting: it never finishes, and the worker never gets to mark anything.
    const recording = vi.spyOn(service, 'recordPosting').mockReturnValueOnce(new Promise(() => undefined));
    void worker().runOnce();
    await vi.waitFor(() => expect(recording).toHaveBeenCalled(), { timeout: 10_000 });
    expect(cards()).toHaveLength(1);

    clock.advance(LEASE_MS + 1);
    expect(await worker().runOnce()).toMatchObject({ delivered: 1 });
    expect(cards()).toHaveLength(1);
    const postings = (await service.get(suggestionId))?.postings ?? [];
    expect(postings.map((posting) => posting.conversationId)).toEqual([advisorChat]);
    expect(updates()).toEqual([postings[0]?.activityId]);
    expect((await outbox.list({ status: 'delivered' })).map((message) => message.result)).toEqual([postings[0]?.activityId]);
  });
});
