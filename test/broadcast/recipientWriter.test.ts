import { describe, expect, it } from 'vitest';
import type { BroadcastStore, RecipientChange } from '../../src/broadcast/broadcastStore';
import { RecipientWriter } from '../../src/broadcast/recipientWriter';

/** Records each transaction's changes; fails the next one when told to. */
function recordingStore() {
  const transactions: RecipientChange[][] = [];
  let failNext: Error | null = null;
  const store = {
    writeRecipients: async (_id: string, changes: readonly RecipientChange[]) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (failNext) {
        const error = failNext;
        failNext = null;
        throw error;
      }
      transactions.push([...changes]);
    },
  } as unknown as BroadcastStore;
  return { store, transactions, failNextWith: (error: Error) => (failNext = error) };
}

const change = (conversationId: string, fields: Partial<RecipientChange> = {}): RecipientChange => ({ conversationId, updatedAt: '2026-03-02T08:00:00.000Z', ...fields });

describe('RecipientWriter', () => {
  it('lets outcomes wait for company, and writes them with the next urgent change', async () => {
    const { store, transactions } = recordingStore();
    const writer = new RecipientWriter(store, 'b', 10_000);
    const outcomes = [writer.write(change('a', { state: 'sent' }), false), writer.write(change('b', { state: 'sent' }), false)];
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(transactions).toHaveLength(0);
    await writer.write(change('c', { attempts: 1 }), true);
    await Promise.all(outcomes);
    expect(transactions.map((batch) => batch.map((entry) => entry.conversationId))).toEqual([['a', 'b', 'c']]);
  });

  it('writes lingering outcomes after the linger time, and at once when a transaction is full', async () => {
    const { store, transactions } = recordingStore();
    const writer = new RecipientWriter(store, 'b', 20);
    await writer.write(change('a'), false);
    expect(transactions).toHaveLength(1);
    const slow = new RecipientWriter(store, 'b', 60_000);
    await Promise.all(Array.from({ length: 100 }, (_, index) => slow.write(change(`c${index}`), false)));
    expect(transactions[1]).toHaveLength(100);
  });

  it('merges changes to the same recipient queued together, later fields winning', async () => {
    const { store, transactions } = recordingStore();
    const writer = new RecipientWriter(store, 'b', 60_000);
    const first = writer.write(change('a', { state: 'pending', settled: 1, nextAttemptAt: 'x' }), false);
    await writer.write(change('a', { attempts: 2 }), true);
    await first;
    expect(transactions).toEqual([[change('a', { state: 'pending', settled: 1, nextAttemptAt: 'x', attempts: 2 })]]);
  });

  it('queues what arrives while a transaction is out for the next one', async () => {
    const { store, transactions } = recordingStore();
    const writer = new RecipientWriter(store, 'b', 60_000);
    const first = writer.write(change('a'), true);
    const second = writer.write(change('b'), true);
    const third = writer.write(change('c'), true);
    await Promise.all([first, second, third]);
    expect(transactions.map((batch) => batch.length)).toEqual([1, 2]);
  });

  it('rejects every change of a failed transaction, and goes on with the next', async () => {
    const { store, transactions, failNextWith } = recordingStore();
    const writer = new RecipientWriter(store, 'b', 60_000);
    failNextWith(new Error('503 Server Busy'));
    const failed = [writer.write(change('a'), false), writer.write(change('b'), true)];
    for (const write of failed) await expect(write).rejects.toThrow('503 Server Busy');
    await writer.write(change('c'), true);
    expect(transactions).toEqual([[change('c')]]);
  });

  it('writes what is waiting when asked to become idle', async () => {
    const { store, transactions } = recordingStore();
    const writer = new RecipientWriter(store, 'b', 60_000);
    const lingering = writer.write(change('a'), false);
    await writer.idle();
    await lingering;
    expect(transactions).toEqual([[change('a')]]);
    await writer.idle();
    expect(transactions).toHaveLength(1);
  });
});
