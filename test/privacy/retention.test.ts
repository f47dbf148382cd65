/**
 * Retention (docs/operations.md): delivery records and delivered outbox
 * messages older than DELIVERY_RETENTION_DAYS are removed by a scheduled pass;
 * newer ones and those still under way or failed stay. Conversation contexts
 * go once their lifetime is over.
 */
import { describe, expect, it } from 'vitest';
import { TableClient } from '@azure/data-tables';
import { TableBroadcastStore } from '../../src/broadcast/broadcastStore';
import { CONTEXT_LIFETIME_MS, TableConversationContextStore } from '../../src/conversations/conversationContextStore';
import { loadConfig } from '../../src/config';
import { TableOutboxStore } from '../../src/delivery/outbox';
import { createLogger } from '../../src/logger';
import { DeliveryRetention } from '../../src/privacy/retention';
import { startBotUnderTest } from '../support/botUnderTest';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';
import { waitFor } from '../support/teamsUsers';

const DAY_MS = 24 * 60 * 60 * 1000;
const now = new Date('2026-09-01T08:00:00.000Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS);
const reference = (conversationId: string) => ({ conversation: { id: conversationId, conversationType: 'personal' }, user: { id: `29:${conversationId}` } });

describe('the retention of delivery records', () => {
  it('is 180 days unless DELIVERY_RETENTION_DAYS says otherwise', () => {
    expect(loadConfig({}).deliveryRetentionDays).toBe(180);
    expect(loadConfig({ DELIVERY_RETENTION_DAYS: '30' }).deliveryRetentionDays).toBe(30);
    expect(() => loadConfig({ DELIVERY_RETENTION_DAYS: '0' })).toThrow(/DELIVERY_RETENTION_DAYS/);
  });

  it('removes settled recipient rows and delivered messages older than the age, and keeps the rest', async () => {
    const prefix = uniqueTablePrefix('ret');
    let clock = daysAgo(200);
    const broadcasts = await TableBroadcastStore.open(testConnectionString(), `${prefix}broadcasts`);
    const outbox = await TableOutboxStore.open(testConnectionString(), `${prefix}outbox`, { clock: () => clock });

    // An announcement sent 200 days ago: two reached, one failed, one still pending (a delivery under way).
    await broadcasts.create(
      { id: 'old', kind: 'send', activity: { type: 'message' }, recipients: ['a:1', 'a:2', 'a:3', 'a:4'].map((id) => ({ conversationId: id, reference: reference(id) })) },
      daysAgo(200),
    );
    await broadcasts.writeRecipients('old', [
      { conversationId: 'a:1', state: 'sent', activityId: 'm-1', updatedAt: daysAgo(200).toISOString() },
      { conversationId: 'a:2', state: 'sent', activityId: 'm-2', updatedAt: daysAgo(200).toISOString() },
      { conversationId: 'a:3', state: 'failed', lastError: '403', updatedAt: daysAgo(199).toISOString() },
    ]);
    // One sent ten days ago.
    await broadcasts.create({ id: 'new', kind: 'send', activity: { type: 'message' }, recipients: [{ conversationId: 'a:1', reference: reference('a:1') }] }, daysAgo(10));
    await broadcasts.writeRecipients('new', [{ conversationId: 'a:1', state: 'sent', activityId: 'm-5', updatedAt: daysAgo(10).toISOString() }]);

    await outbox.enqueue({ id: 'delivered-old', kind: 'k', payload: {} });
    await outbox.markDelivered('delivered-old', 'm-1');
    await outbox.enqueue({ id: 'failed-old', kind: 'k', payload: {} });
    await outbox.markFailed('failed-old', '404');
    await outbox.enqueue({ id: 'pending-old', kind: 'k', payload: {} });
    clock = daysAgo(10);
    await outbox.enqueue({ id: 'delivered-new', kind: 'k', payload: {} });
    await outbox.markDelivered('delivered-new', 'm-2');

    const noContexts = { deleteQuietBefore: async () => 0 };
    const retention = new DeliveryRetention({
      broadcasts,
      outbox,
      conversationContexts: noContexts,
      contextLifetimeMs: CONTEXT_LIFETIME_MS,
      maxAgeDays: 180,
      logger: createLogger('silent'),
      clock: () => now,
    });
    expect(await retention.runOnce()).toEqual({ deliveryRecords: 3, outboxMessages: 1, conversationContexts: 0 });

    expect((await broadcasts.recipients('old')).map((recipient) => `${recipient.conversationId} ${recipient.state}`)).toEqual(['a:4 pending']);
    expect((await broadcasts.recipients('new')).map((recipient) => recipient.conversationId)).toEqual(['a:1']);
    // The broadcast itself stays: what was sent and how many, without people.
    expect((await broadcasts.get('old'))?.total).toBe(4);
    expect(await broadcasts.activity('old')).toEqual({ type: 'message' });
    expect((await outbox.list({})).map((message) => message.id).sort()).toEqual(['delivered-new', 'failed-old', 'pending-old']);
    // The pending message still comes due.
    expect((await outbox.due(now, 10)).map((message) => message.id)).toEqual(['pending-old']);

    // A second pass finds nothing more.
    expect(await retention.runOnce()).toEqual({ deliveryRecords: 0, outboxMessages: 0, conversationContexts: 0 });
  });

  it('removes conversation contexts once no follow-up can use them, and rows of the earlier layout', async () => {
    const tableName = `${uniqueTablePrefix('retctx')}contexts`;
    const contexts = await TableConversationContextStore.open(testConnectionString(), tableName);
    const context = (userId: string, updatedAt: Date) => ({
      userId,
      conversationId: `a:${userId}`,
      language: 'nb' as const,
      process: 'PBO',
      role: null,
      unit: 'IFY',
      updatedAt: updatedAt.toISOString(),
    });
    await contexts.save(context('quiet', new Date(now.getTime() - CONTEXT_LIFETIME_MS - 1000)));
    await contexts.save(context('recent', new Date(now.getTime() - 60_000)));
    // Before contexts were spread over partitions, each user's were their own partition.
    const table = TableClient.fromConnectionString(testConnectionString(), tableName, { allowInsecureConnection: true });
    await table.upsertEntity({ partitionKey: 'aad-legacy', rowKey: 'a~3A1', userId: 'aad-legacy', conversationId: 'a:1', updatedAt: now.toISOString() });
    const none = { deleteSettledRecipientsBefore: async () => 0 };
    const retention = new DeliveryRetention({
      broadcasts: none,
      outbox: { deleteDeliveredBefore: async () => 0 },
      conversationContexts: contexts,
      contextLifetimeMs: CONTEXT_LIFETIME_MS,
      maxAgeDays: 180,
      logger: createLogger('silent'),
      clock: () => now,
    });
    expect(await retention.runOnce()).toMatchObject({ conversationContexts: 2 });
    const left: string[] = [];
    for await (const entity of table.listEntities<{ userId: string }>()) left.push(entity.userId);
    expect(left).toEqual(['recent']);
  });

  it('runs on a schedule, and a failed pass is reported while the next one runs', async () => {
    const errors: unknown[] = [];
    let passes = 0;
    const logger = { ...createLogger('silent'), error: (fields: unknown) => errors.push(fields) } as unknown as ReturnType<typeof createLogger>;
    const retention = new DeliveryRetention({
      broadcasts: {
        deleteSettledRecipientsBefore: async () => {
          passes += 1;
          if (passes === 1) throw new Error('storage unavailable');
          return 0;
        },
      },
      outbox: { deleteDeliveredBefore: async () => 0 },
      conversationContexts: { deleteQuietBefore: async () => 0 },
      contextLifetimeMs: CONTEXT_LIFETIME_MS,
      maxAgeDays: 180,
      logger,
    });
    retention.start(20);
    await new Promise((resolve) => setTimeout(resolve, 120));
    await retention.stop();
    expect(errors).toHaveLength(1);
    expect(passes).toBeGreaterThan(1);
  });

  it('runs in the app from its start, with the configured age', async () => {
    const prefix = uniqueTablePrefix('retapp');
    // The app's clock is the real one.
    const realDaysAgo = (days: number) => new Date(Date.now() - days * DAY_MS);
    let clock = realDaysAgo(40);
    const outbox = await TableOutboxStore.open(testConnectionString(), `${prefix}outbox`, { clock: () => clock });
    await outbox.enqueue({ id: 'delivered-40-days-ago', kind: 'k', payload: {} });
    await outbox.markDelivered('delivered-40-days-ago', null);
    clock = realDaysAgo(20);
    await outbox.enqueue({ id: 'delivered-20-days-ago', kind: 'k', payload: {} });
    await outbox.markDelivered('delivered-20-days-ago', null);

    const bot = await startBotUnderTest({ TABLE_PREFIX: prefix, DELIVERY_RETENTION_DAYS: '30' });
    try {
      await waitFor(async () => (await outbox.get('delivered-40-days-ago')) === null, 10_000, 'the retention pass');
      expect(await outbox.get('delivered-20-days-ago')).not.toBeNull();
    } finally {
      await bot.stop();
    }
  });
});
