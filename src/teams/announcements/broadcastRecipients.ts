import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import type { Recipient } from '../../announcements/announcementPorts';
import { isConflict, isNotFound, isTransactionConflict, openTable, type TableStorage, safeKey } from '../../storage/tables';

export type RecipientStatus = 'pending' | 'sent' | 'failed' | 'skipped';

/** One recipient of one broadcast, and how far their card has come. */
export interface BroadcastRecipient extends Recipient {
  status: RecipientStatus;
  /** The card's message in the recipient's conversation (for a delivery: once sent). */
  activityId: string | null;
  error: string | null;
  /** Connector failures so far; retries stop at a limit. */
  failures: number;
}

export interface BroadcastMeta {
  broadcastId: string;
  announcementId: string;
  kind: 'send' | 'update';
  /** The delivery whose cards an update replaces (a delivery names itself). */
  originBroadcastId: string;
  createdAt: string;
}

export type RecipientCounts = Record<RecipientStatus, number>;

/**
 * One partition per broadcast: its description row and a row per recipient.
 * The description is written last, so a broadcast whose creation was cut
 * short is simply created again (the recipient rows are written only if new).
 */
const META_ROW = 'meta';
const RECIPIENT_ROW = 'r|';
const RECIPIENT_END = 'r}';
/** Table Storage takes at most 100 operations in one transaction. */
const BATCH = 100;
const MAX_ERROR_CHARS = 2000;

type MetaEntity = Omit<BroadcastMeta, 'broadcastId'> & { partitionKey: string; rowKey: string };
type RecipientEntity = {
  partitionKey: string;
  rowKey: string;
  conversationId: string;
  reference: string;
  status: RecipientStatus;
  activityId?: string;
  error?: string;
  failures: number;
};

/** The per-recipient state of announcement broadcasts delivered through the outbox, in Azure Table Storage. */
export class TableBroadcastRecipients {
  private constructor(private readonly table: TableClient) {}

  static async open(storage: TableStorage, tableName = 'announcementbroadcasts'): Promise<TableBroadcastRecipients> {
    return new TableBroadcastRecipients(await openTable(storage, tableName));
  }

  async meta(broadcastId: string): Promise<BroadcastMeta | null> {
    try {
      const entity = await this.table.getEntity<MetaEntity>(partitionOf(broadcastId), META_ROW);
      return { broadcastId, announcementId: entity.announcementId, kind: entity.kind, originBroadcastId: entity.originBroadcastId, createdAt: entity.createdAt };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async createMeta(meta: BroadcastMeta): Promise<void> {
    const { broadcastId, ...rest } = meta;
    try {
      await this.table.createEntity<MetaEntity>({ partitionKey: partitionOf(broadcastId), rowKey: META_ROW, ...rest });
    } catch (error) {
      if (!isConflict(error)) throw error;
    }
  }

  /** Adds pending recipients; those already there keep their state. */
  async add(broadcastId: string, recipients: readonly Recipient[]): Promise<void> {
    const entities = recipients.map((recipient): RecipientEntity => ({
      partitionKey: partitionOf(broadcastId),
      rowKey: recipientRow(recipient.conversationId),
      conversationId: recipient.conversationId,
      reference: JSON.stringify(recipient.reference),
      status: 'pending',
      failures: 0,
    }));
    for (let start = 0; start < entities.length; start += BATCH) {
      const batch = entities.slice(start, start + BATCH);
      try {
        await this.table.submitTransaction(batch.map((entity): TransactionAction => ['create', entity]));
      } catch (error) {
        if (!isTransactionConflict(error)) throw error;
        // Part of the batch was written before (a creation cut short): add the rest one by one.
        for (const entity of batch) {
          await this.table.createEntity(entity).catch((single: unknown) => {
            if (!isConflict(single)) throw single;
          });
        }
      }
    }
  }

  async recipient(broadcastId: string, conversationId: string): Promise<BroadcastRecipient | null> {
    try {
      return fromEntity(await this.table.getEntity<RecipientEntity>(partitionOf(broadcastId), recipientRow(conversationId)));
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  /** Changes a recipient's state. One outbox message per recipient, claimed by one worker at a time, is its only writer. */
  async mark(broadcastId: string, conversationId: string, change: Partial<Pick<BroadcastRecipient, 'status' | 'activityId' | 'error' | 'failures'>>): Promise<void> {
    await this.table.updateEntity(
      {
        partitionKey: partitionOf(broadcastId),
        rowKey: recipientRow(conversationId),
        ...(change.status !== undefined && { status: change.status }),
        ...(change.activityId != null && { activityId: change.activityId }),
        ...(change.error != null && { error: change.error.slice(0, MAX_ERROR_CHARS) }),
        ...(change.failures !== undefined && { failures: change.failures }),
      },
      'Merge',
    );
  }

  async recipients(broadcastId: string): Promise<BroadcastRecipient[]> {
    const recipients: BroadcastRecipient[] = [];
    for await (const entity of this.table.listEntities<RecipientEntity>({ queryOptions: { filter: recipientRange(broadcastId) } })) {
      recipients.push(fromEntity(entity));
    }
    return recipients;
  }

  /** How many recipients are in each state; reads only the states. */
  async counts(broadcastId: string): Promise<RecipientCounts> {
    const counts: RecipientCounts = { pending: 0, sent: 0, failed: 0, skipped: 0 };
    const query = this.table.listEntities<{ status: RecipientStatus }>({ queryOptions: { filter: recipientRange(broadcastId), select: ['status'] } });
    for await (const entity of query) counts[entity.status] += 1;
    return counts;
  }
}

function partitionOf(broadcastId: string): string {
  return `b|${safeKey(broadcastId)}`;
}

function recipientRow(conversationId: string): string {
  return RECIPIENT_ROW + safeKey(conversationId);
}

function recipientRange(broadcastId: string): string {
  return odata`PartitionKey eq ${partitionOf(broadcastId)} and RowKey ge ${RECIPIENT_ROW} and RowKey lt ${RECIPIENT_END}`;
}

function fromEntity(entity: RecipientEntity): BroadcastRecipient {
  return {
    conversationId: entity.conversationId,
    reference: JSON.parse(entity.reference) as Record<string, unknown>,
    status: entity.status,
    activityId: entity.activityId ?? null,
    error: entity.error ?? null,
    failures: entity.failures,
  };
}
