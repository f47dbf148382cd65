import type { TableClient, TransactionAction } from '@azure/data-tables';
import { getEntityOrNull, isTransactionConflict } from './tables';

export interface NumberedCreate<T> {
  table: TableClient;
  /** The partition of the counter and of every row written (one partition: one atomic transaction). */
  partition: string;
  /** The readable id's letters, e.g. `KU` for KU-2026-0007. */
  prefix: string;
  /** The year the number counts in. */
  year: number;
  /** What was made for the same request before (a form or activity submitted twice), if anything. */
  existing(): Promise<T | null>;
  /** The rows to create with the id: the item itself and its idempotency marker. */
  rows(id: string): TransactionAction[];
  /** The item as stored, read back after it was created. */
  read(id: string): Promise<T | null>;
}

const COUNTER_ROW = 'counter:';
const ATTEMPTS = 10;

type CounterEntity = { partitionKey: string; rowKey: string; last: number };

/**
 * Creates an item under the next readable number of its year (PREFIX-yyyy-nnnn):
 * the year's counter, the item and its idempotency marker go in one atomic
 * transaction, so no number is used twice and a request that arrives twice
 * creates one item. A lost race (another item took the number, or the same
 * request came in at the same moment) is tried again with what is stored then.
 */
export async function createNumbered<T>(request: NumberedCreate<T>): Promise<{ stored: T; created: boolean }> {
  const counterRow = COUNTER_ROW + request.year;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const existing = await request.existing();
    if (existing) return { stored: existing, created: false };

    const counter = await getEntityOrNull<CounterEntity>(request.table, request.partition, counterRow);
    const number = (counter?.last ?? 0) + 1;
    const id = `${request.prefix}-${request.year}-${String(number).padStart(4, '0')}`;
    const counterEntity: CounterEntity = { partitionKey: request.partition, rowKey: counterRow, last: number };
    const actions: TransactionAction[] = [counter ? ['update', counterEntity, 'Replace', { etag: counter.etag }] : ['create', counterEntity], ...request.rows(id)];
    try {
      await request.table.submitTransaction(actions);
    } catch (error) {
      if (isTransactionConflict(error)) continue;
      throw error;
    }
    const stored = await request.read(id);
    if (!stored) throw new Error(`${id} vanished right after it was stored`);
    return { stored, created: true };
  }
  throw new Error(`Could not allocate a ${request.prefix} number: too many created at once`);
}
