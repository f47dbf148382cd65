import { TableClient } from '@azure/data-tables';
import { describe, expect, it } from 'vitest';
import { safeKey } from '../../src/storage/tables';
import { testConnectionString } from '../support/storage';
import { BroadcastRequestError } from '../../src/broadcast/model';
import { announcement, openTables, recipients, referenceFor } from './support';

const now = new Date('2026-03-02T08:00:00.000Z');

describe('TableBroadcastStore', () => {
  it('stores a send with its recipients as pending, and finds it among the active ones', async () => {
    const { store } = await openTables();
    const { broadcast, created } = await store.create({ id: 'kurs-1', kind: 'send', activity: announcement, recipients: recipients(3) }, now);
    expect(created).toBe(true);
    expect(broadcast).toEqual({
      id: 'kurs-1',
      kind: 'send',
      updates: null,
      status: 'active',
      createdAt: now.toISOString(),
      startedAt: null,
      finishedAt: null,
      total: 3,
      possibleDuplicates: 0,
      loading: null,
    });
    expect(await store.get('kurs-1')).toEqual(broadcast);
    expect(await store.activity('kurs-1')).toEqual(announcement);
    const stored = await store.recipients('kurs-1');
    expect(stored.map((recipient) => recipient.conversationId)).toEqual(['a:person-0000', 'a:person-0001', 'a:person-0002']);
    expect(stored[0]).toMatchObject({ state: 'pending', attempts: 0, settled: 0, label: 'Person 0', reference: referenceFor('a:person-0000'), activityId: null });
    expect(await store.recipientStates('kurs-1')).toEqual(['pending', 'pending', 'pending']);
    expect((await store.listActive()).map((summary) => summary.id)).toEqual(['kurs-1']);
  });

  it('is idempotent by id: creating again changes nothing', async () => {
    const { store } = await openTables();
    await store.create({ id: 'kurs-1', kind: 'send', activity: announcement, recipients: recipients(2) }, now);
    await store.writeRecipients('kurs-1', [{ conversationId: 'a:person-0000', state: 'sent', activityId: 'm-1', updatedAt: now.toISOString() }]);
    const again = await store.create({ id: 'kurs-1', kind: 'send', activity: { text: 'other' }, recipients: recipients(5) }, new Date());
    expect(again.created).toBe(false);
    expect(again.broadcast.total).toBe(2);
    expect(await store.activity('kurs-1')).toEqual(announcement);
    expect(await store.recipientStates('kurs-1')).toEqual(['sent', 'pending']);
  });

  it('lists a conversation once however often it was given', async () => {
    const { store } = await openTables();
    const list = recipients(2);
    const { broadcast } = await store.create({ id: 'dup', kind: 'send', activity: announcement, recipients: [...list, ...list] }, now);
    expect(broadcast.total).toBe(2);
    expect(await store.recipients('dup')).toHaveLength(2);
  });

  it('keeps an activity larger than one Table Storage property, in chunks', async () => {
    const { store } = await openTables();
    const big = { type: 'message', text: 'æøå'.repeat(40_000), attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { body: 'x'.repeat(20_000) } }] };
    await store.create({ id: 'big', kind: 'send', activity: big, recipients: recipients(1) }, now);
    expect(await store.activity('big')).toEqual(big);
  });

  it('writes hundreds of recipients (several transactions) and changes to them', async () => {
    const { store } = await openTables();
    await store.create({ id: 'many', kind: 'send', activity: announcement, recipients: recipients(250) }, now);
    const changes = recipients(250).map((recipient, index) => ({
      conversationId: recipient.conversationId,
      state: index % 2 === 0 ? ('sent' as const) : ('failed' as const),
      attempts: 1,
      settled: 1,
      lastError: index % 2 === 0 ? undefined : `400: ${'x'.repeat(3000)}`,
      lastStatus: index % 2 === 0 ? undefined : 400,
      updatedAt: now.toISOString(),
    }));
    await store.writeRecipients(
      'many',
      changes.map(({ lastError, lastStatus, ...change }) => ({ ...change, ...(lastError !== undefined && { lastError, lastStatus }) })),
    );
    const failed = await store.recipients('many', ['failed']);
    expect(failed).toHaveLength(125);
    // Long connector messages are cut, so the row stays writable.
    expect(failed[0]?.lastError?.length).toBeLessThanOrEqual(1000);
    expect(failed[0]?.lastStatus).toBe(400);
    expect(await store.recipients('many', [])).toEqual([]);
    expect((await store.recipientStates('many')).filter((state) => state === 'sent')).toHaveLength(125);
  });

  it('makes a large send visible to senders once its first batch is stored, and records each batch after', async () => {
    const { store } = await openTables();
    const seen: Array<{ at: string; stored: number; rows: number; total: number | null | undefined; loading: unknown }> = [];
    const { broadcast } = await store.create({ id: 'stor', kind: 'send', activity: announcement, recipients: recipients(950) }, now, {
      visible: async (visible) => {
        const stored = await store.get('stor');
        seen.push({
          at: 'visible',
          stored: visible.loading?.stored ?? -1,
          rows: (await store.recipientsInBatches('stor', 0, 1)).length,
          total: stored?.total,
          loading: stored?.loading,
        });
      },
      batchStored: async (_id, stored) => {
        const summary = await store.get('stor');
        seen.push({ at: 'batch', stored, rows: (await store.recipientsInBatches('stor', 0, stored)).length, total: summary?.total, loading: summary?.loading });
      },
    });
    // 100 first, so a sender starts within one transaction; then 400 at a time, the total counting those stored.
    expect(seen).toEqual([
      { at: 'visible', stored: 1, rows: 100, total: 100, loading: { stored: 1 } },
      { at: 'batch', stored: 2, rows: 500, total: 500, loading: { stored: 2 } },
      { at: 'batch', stored: 3, rows: 900, total: 900, loading: { stored: 3 } },
      { at: 'batch', stored: 4, rows: 950, total: 950, loading: { stored: 4 } },
    ]);
    expect(await store.get('stor')).toMatchObject({ total: 950, loading: null });
    expect(broadcast).toMatchObject({ total: 950, loading: null });
    expect((await store.recipientsInBatches('stor', 1, 3)).map((recipient) => recipient.conversationId)).toEqual(
      recipients(950)
        .slice(100, 900)
        .map((recipient) => recipient.conversationId),
    );
  });

  it('takes its recipients page by page, as they are worked out, each conversation once', async () => {
    const { store } = await openTables();
    const list = recipients(700);
    let pagesRead = 0;
    async function* pages() {
      for (let start = 0; start < list.length; start += 250) {
        pagesRead += 1;
        // The second page repeats the first's last recipient.
        yield list.slice(Math.max(0, start - 1), start + 250);
      }
    }
    let pagesAtVisible = 0;
    const { broadcast } = await store.create({ id: 'sider', kind: 'send', activity: announcement, recipients: pages() }, now, { visible: () => void (pagesAtVisible = pagesRead) });
    // Visible with the first page read, not the whole audience.
    expect(pagesAtVisible).toBe(1);
    expect(broadcast).toMatchObject({ total: 700, loading: null });
    expect((await store.recipients('sider')).map((row) => row.conversationId).sort()).toEqual(list.map((recipient) => recipient.conversationId));
  });

  it('finishes writing a send whose creator stopped part-way, leaving the recipients a sender may have begun with alone', async () => {
    const { store, tableName } = await openTables();
    const list = recipients(950);
    await expect(
      store.create({ id: 'halv', kind: 'send', activity: announcement, recipients: list }, now, {
        batchStored: async (_id, stored) => {
          if (stored < 2) return;
          // It died while writing the next batch: some of its rows are there, not recorded as stored.
          const table = TableClient.fromConnectionString(testConnectionString(), tableName, { allowInsecureConnection: true });
          for (const recipient of list.slice(500, 650)) {
            await table.upsertEntity(
              {
                partitionKey: 'b|halv',
                rowKey: `r|${safeKey(recipient.conversationId)}`,
                conversationId: recipient.conversationId,
                reference: JSON.stringify(recipient.reference),
                state: 'pending',
                attempts: 0,
                settled: 0,
                failures: 0,
                throttles: 0,
                updatedAt: now.toISOString(),
                batch: 2,
              },
              'Replace',
            );
          }
          throw new Error('the creating instance died');
        },
      }),
    ).rejects.toThrow(/died/);
    expect(await store.get('halv')).toMatchObject({ total: 500, loading: { stored: 2 } });
    // A sender went ahead with the stored batches meanwhile.
    await store.writeRecipients('halv', [{ conversationId: 'a:person-0001', state: 'sent', attempts: 1, settled: 1, activityId: 'm-1', updatedAt: now.toISOString() }]);

    // The dispatch runs again, with the audience as it is now: one person left, one joined.
    const now2 = new Date(now.getTime() + 60_000);
    const again = [...list.filter((recipient) => recipient.conversationId !== 'a:person-0600'), ...recipients(1, 'a:newcomer')];
    const { broadcast, created } = await store.create({ id: 'halv', kind: 'send', activity: announcement, recipients: again }, now2);
    expect(created).toBe(false);
    expect(broadcast).toMatchObject({ total: 950, loading: null });
    expect(await store.get('halv')).toMatchObject({ total: 950, loading: null });
    const rows = await store.recipients('halv');
    expect(rows).toHaveLength(950);
    expect(rows.find((row) => row.conversationId === 'a:person-0001')).toMatchObject({ state: 'sent', activityId: 'm-1' });
    expect(rows.some((row) => row.conversationId === 'a:newcomer-0000')).toBe(true);
    expect(rows.some((row) => row.conversationId === 'a:person-0600')).toBe(false);
    // Only the new batches are for a sender to take up: nobody of the first two comes again.
    const later = await store.recipientsInBatches('halv', 2, Number.MAX_SAFE_INTEGER);
    expect(later).toHaveLength(450);
    expect(later.every((row) => row.state === 'pending' && !list.slice(0, 500).some((recipient) => recipient.conversationId === row.conversationId))).toBe(true);
    // Created again once complete: nothing changes.
    expect((await store.create({ id: 'halv', kind: 'send', activity: announcement, recipients: list }, now2)).broadcast.loading).toBeNull();
    expect(await store.recipients('halv')).toHaveLength(950);
  });

  it('records a network error as no status', async () => {
    const { store } = await openTables();
    await store.create({ id: 'net', kind: 'send', activity: announcement, recipients: recipients(1) }, now);
    await store.writeRecipients('net', [{ conversationId: 'a:person-0000', lastError: 'network: ECONNRESET', lastStatus: null, updatedAt: now.toISOString() }]);
    expect((await store.recipients('net'))[0]).toMatchObject({ lastStatus: null, lastError: 'network: ECONNRESET' });
  });

  it('gives an update the recipients its send reached, with their message ids, once', async () => {
    const { store } = await openTables();
    await store.create({ id: 'kurs-1', kind: 'send', activity: announcement, recipients: recipients(3) }, now);
    await store.writeRecipients('kurs-1', [
      { conversationId: 'a:person-0000', state: 'sent', activityId: 'm-0', updatedAt: now.toISOString() },
      { conversationId: 'a:person-0001', state: 'unreachable', updatedAt: now.toISOString() },
      { conversationId: 'a:person-0002', state: 'sent', activityId: 'm-2', updatedAt: now.toISOString() },
    ]);
    const { broadcast } = await store.create({ id: 'kurs-1-endret', kind: 'update', activity: { text: 'Flyttet til fredag' }, updates: 'kurs-1' }, now);
    expect(broadcast).toMatchObject({ kind: 'update', updates: 'kurs-1', total: null });
    expect(await store.materializeUpdate('kurs-1-endret')).toBe(2);
    const updated = await store.recipients('kurs-1-endret');
    expect(updated.map((recipient) => [recipient.conversationId, recipient.targetActivityId, recipient.state])).toEqual([
      ['a:person-0000', 'm-0', 'pending'],
      ['a:person-0002', 'm-2', 'pending'],
    ]);
    // Later calls keep what was materialized, even if the send changed meanwhile.
    await store.writeRecipients('kurs-1-endret', [{ conversationId: 'a:person-0000', state: 'sent', updatedAt: now.toISOString() }]);
    expect(await store.materializeUpdate('kurs-1-endret')).toBe(2);
    expect((await store.recipients('kurs-1-endret'))[0]?.state).toBe('sent');
    expect((await store.get('kurs-1-endret'))?.total).toBe(2);
  });

  it('marks a broadcast done and leaves it out of the active list', async () => {
    const { store } = await openTables();
    await store.create({ id: 'old', kind: 'send', activity: announcement, recipients: recipients(1) }, now);
    await store.create({ id: 'new', kind: 'send', activity: announcement, recipients: recipients(1) }, new Date(now.getTime() + 1000));
    await store.updateBroadcast('old', { status: 'done', startedAt: now.toISOString(), finishedAt: now.toISOString(), possibleDuplicates: 2 });
    expect(await store.get('old')).toMatchObject({ status: 'done', startedAt: now.toISOString(), finishedAt: now.toISOString(), possibleDuplicates: 2 });
    expect((await store.listActive()).map((summary) => summary.id)).toEqual(['new']);
  });

  it('refuses what it cannot store or make sense of', async () => {
    const { store } = await openTables();
    const send = (overrides: Record<string, unknown>) => store.create({ id: 'x', kind: 'send', activity: announcement, recipients: recipients(1), ...overrides } as never, now);
    await expect(send({ id: '' })).rejects.toThrow(BroadcastRequestError);
    await expect(send({ id: 'x'.repeat(201) })).rejects.toThrow(/too long/);
    await expect(send({ activity: ['not', 'an', 'object'] })).rejects.toThrow(/JSON object/);
    await expect(send({ activity: { text: 'x'.repeat(32 * 32 * 1024 + 1) } })).rejects.toThrow(/at most/);
    await expect(send({ recipients: [{ conversationId: '', reference: referenceFor('') }] })).rejects.toThrow(/conversation id/);
    await expect(send({ recipients: [{ conversationId: 'x'.repeat(800), reference: referenceFor('y') }] })).rejects.toThrow(/too long/);
    await expect(send({ recipients: [{ conversationId: 'c', reference: { huge: 'x'.repeat(40_000) } }] })).rejects.toThrow(/too large/);
    await expect(send({ recipients: [{ conversationId: 'c', reference: null }] })).rejects.toThrow(/not a JSON object/);
    await expect(send({ recipients: [{ conversationId: 'c', reference: referenceFor('c'), label: 'x'.repeat(1001) }] })).rejects.toThrow(/label/);
    await expect(store.create({ id: 'u', kind: 'update', activity: announcement, updates: 'nobody' }, now)).rejects.toThrow(/no broadcast nobody/);
    await store.create({ id: 's', kind: 'send', activity: announcement, recipients: recipients(1) }, now);
    await store.create({ id: 'u1', kind: 'update', activity: announcement, updates: 's' }, now);
    await expect(store.create({ id: 'u2', kind: 'update', activity: announcement, updates: 'u1' }, now)).rejects.toThrow(/itself an update/);
    await expect(store.activity('nobody')).rejects.toThrow(/no broadcast/);
    await expect(store.materializeUpdate('nobody')).rejects.toThrow(/no broadcast/);
    await expect(store.materializeUpdate('s')).rejects.toThrow(/not an update/);
    expect(await store.get('nobody')).toBeNull();
  });
});
