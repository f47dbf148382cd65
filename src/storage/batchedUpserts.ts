import type { TableClient, TableEntity, TransactionAction } from '@azure/data-tables';
import { transactionBatches } from './tables';

/** A JSON envelope's share of a transaction's 4 MiB, left free (see transactionBatches). */
const MAX_TRANSACTION_CHARS = 3_500_000;

interface PendingRow {
  entity: TableEntity;
  /** Everyone waiting for this row (a later write of the same row replaces the entity, not the waiters). */
  waiters: Array<{ resolve: () => void; reject: (error: unknown) => void }>;
}

/**
 * Upserts (Replace) that are gathered for a moment and written together, one
 * transaction per partition, instead of one request each. Why: a request
 * through the Azure SDK costs about half a millisecond of CPU here, a row in a
 * transaction of twenty about a tenth of that (bench/turnLatency.ts), and the
 * rows written on every turn are small and many. What it costs: a row reaches
 * storage up to `delayMs` after it was handed over; a later write of the same
 * row before then replaces it, so only the last is written.
 */
export class BatchedUpserts {
  private readonly pending = new Map<string, Map<string, PendingRow>>();
  private timer: NodeJS.Timeout | null = null;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly table: TableClient,
    private readonly delayMs: number,
  ) {}

  /** Resolves once the row is stored; rejects when its transaction failed (the row's state in storage is then unknown). */
  upsert(entity: TableEntity): Promise<void> {
    return new Promise((resolve, reject) => {
      let rows = this.pending.get(entity.partitionKey);
      if (!rows) {
        rows = new Map();
        this.pending.set(entity.partitionKey, rows);
      }
      const row = rows.get(entity.rowKey);
      if (row) {
        row.entity = entity;
        row.waiters.push({ resolve, reject });
      } else {
        rows.set(entity.rowKey, { entity, waiters: [{ resolve, reject }] });
      }
      this.timer ??= setTimeout(() => {
        this.timer = null;
        this.writePending();
      }, this.delayMs);
    });
  }

  /**
   * Drops the rows not yet written that pass the test (their writers are told they are stored: what they asked for
   * was overtaken, e.g. by the deletion of the user's data).
   */
  discardWhere(test: (entity: TableEntity) => boolean): void {
    for (const rows of this.pending.values()) {
      for (const [rowKey, row] of rows) {
        if (!test(row.entity)) continue;
        rows.delete(rowKey);
        for (const waiter of row.waiters) waiter.resolve();
      }
    }
  }

  /** Writes what is pending now, without waiting for the delay, and waits for everything under way (at shutdown, or before reading all rows). */
  async flush(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.writePending();
    await Promise.allSettled([...this.inFlight]);
  }

  private writePending(): void {
    for (const [partitionKey, rows] of this.pending) {
      this.pending.delete(partitionKey);
      const actions: TransactionAction[] = [...rows.values()].map((row) => ['upsert', row.entity, 'Replace']);
      for (const batch of transactionBatches(actions, MAX_TRANSACTION_CHARS)) {
        const waiters = batch.flatMap((action) => rows.get((action[1] as TableEntity).rowKey)?.waiters ?? []);
        const writing = this.table.submitTransaction(batch).then(
          () => {
            for (const waiter of waiters) waiter.resolve();
          },
          (error: unknown) => {
            for (const waiter of waiters) waiter.reject(error);
          },
        );
        this.inFlight.add(writing);
        void writing.finally(() => this.inFlight.delete(writing));
      }
    }
  }
}
