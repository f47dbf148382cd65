import type { TableClient } from '@azure/data-tables';
import { isConflict, isNotFound, openTable, type TableStorage } from '../storage/tables';

export interface LeaseHolder {
  holder: string;
  expiresAt: Date;
}

/** Chooses one sender among the app's instances. */
export interface SenderLease {
  /**
   * Takes the lease for `durationMs` if nobody holds it or its holder let it run
   * out, or extends it if `holder` holds it already. Resolves to the new expiry,
   * or null when another instance holds it. Exactly one of several instances
   * racing for it gets it.
   */
  acquire(holder: string, durationMs: number): Promise<Date | null>;
  /** Gives the lease up at once (a clean stop), if `holder` holds it: it then expires now. */
  release(holder: string): Promise<void>;
  /** The holder and expiry on record (also when it has run out: until when its last holder could send); null if never taken. */
  current(): Promise<LeaseHolder | null>;
}

export interface TableSenderLeaseOptions {
  /** Which lease (row) this is (default `broadcast-sender`). */
  name?: string;
  /** Injectable for tests; the holder's clock decides when the lease runs out. */
  clock?: () => Date;
}

const PARTITION = 'lease';

type LeaseEntity = {
  partitionKey: string;
  rowKey: string;
  holder: string;
  expiresAt: string;
};

/**
 * The lease as one row, changed only with its etag, so two instances that read
 * it at the same time cannot both take it: the second write is refused (412).
 * A holder that dies simply stops renewing; once the expiry passes, the next
 * instance to ask takes it. Instances' clocks are assumed to agree to within a
 * small part of the lease (they are NTP-synchronised on Azure).
 */
export class TableSenderLease implements SenderLease {
  private constructor(
    private readonly table: TableClient,
    private readonly name: string,
    private readonly clock: () => Date,
  ) {}

  static async open(storage: TableStorage, tableName = 'broadcasts', options: TableSenderLeaseOptions = {}): Promise<TableSenderLease> {
    return new TableSenderLease(await openTable(storage, tableName), options.name ?? 'broadcast-sender', options.clock ?? (() => new Date()));
  }

  async acquire(holder: string, durationMs: number): Promise<Date | null> {
    if (holder === '') throw new Error('A lease holder needs a name.');
    const now = this.clock();
    const expiresAt = new Date(now.getTime() + durationMs);
    const entity: LeaseEntity = { partitionKey: PARTITION, rowKey: this.name, holder, expiresAt: expiresAt.toISOString() };
    try {
      const stored = await this.read();
      if (stored === null) {
        await this.table.createEntity(entity);
        return expiresAt;
      }
      if (stored.lease.holder !== holder && stored.lease.expiresAt.getTime() > now.getTime()) return null;
      await this.table.updateEntity(entity, 'Replace', { etag: stored.etag });
      return expiresAt;
    } catch (error) {
      // Another instance wrote the row between our read and our write: it has the lease.
      if (isConflict(error)) return null;
      throw error;
    }
  }

  async release(holder: string): Promise<void> {
    const stored = await this.read();
    if (stored === null || stored.lease.holder !== holder) return;
    // Kept, expiring now rather than deleted: the next holder learns when this one stopped sending.
    const released: LeaseEntity = { partitionKey: PARTITION, rowKey: this.name, holder, expiresAt: this.clock().toISOString() };
    try {
      await this.table.updateEntity(released, 'Replace', { etag: stored.etag });
    } catch (error) {
      // Renewed or taken over meanwhile, or already gone: not ours to release any more.
      if (!isConflict(error) && !isNotFound(error)) throw error;
    }
  }

  async current(): Promise<LeaseHolder | null> {
    return (await this.read())?.lease ?? null;
  }

  private async read(): Promise<{ lease: LeaseHolder; etag: string } | null> {
    try {
      const entity = await this.table.getEntity<Record<string, unknown>>(PARTITION, this.name);
      const holder = entity.holder;
      const expiresAt = entity.expiresAt;
      if (typeof holder !== 'string' || typeof expiresAt !== 'string') throw new Error(`The lease row ${this.name} is malformed.`);
      return { lease: { holder, expiresAt: new Date(expiresAt) }, etag: entity.etag };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }
}
