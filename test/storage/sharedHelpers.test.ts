import type { TransactionAction } from '@azure/data-tables';
import { describe, expect, it } from 'vitest';
import { MAX_TRANSACTION_OPERATIONS, transactionBatches } from '../../src/storage/tables';

const upsert = (rowKey: string, body = ''): TransactionAction => ['upsert', { partitionKey: 'p', rowKey, body }];

describe('transactionBatches', () => {
  it('keeps order and splits at 100 operations and at the payload limit', () => {
    const actions = Array.from({ length: 250 }, (_, i) => upsert(`r${i}`));
    const batches = transactionBatches(actions, 1_000_000);
    expect(batches.map((batch) => batch.length)).toEqual([MAX_TRANSACTION_OPERATIONS, MAX_TRANSACTION_OPERATIONS, 50]);
    expect(batches.flat()).toEqual(actions);
    const large = transactionBatches([upsert('a', 'x'.repeat(600)), upsert('b', 'x'.repeat(600)), upsert('c')], 1000);
    expect(large.map((batch) => batch.length)).toEqual([1, 2]);
  });
});
