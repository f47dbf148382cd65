import { odata, type TableClient } from '@azure/data-tables';
import type { PersonalDataHolder } from '../privacy/personalDataHolder';
import { deleteEntityIfExists, isConflict, isNotFound, openTable, type TableStorage, safeKey } from '../storage/tables';
import { EVENT_KINDS, PROCESS_ROLES, type EventKind, type ProcessRole } from './model';
import { emptySubscriptions, type Subscriptions, type Topic } from './subscriptions';

export interface SubscriptionStore {
  /** The user's subscriptions; empty ones when the user has set none. */
  get(userId: string): Promise<Subscriptions>;
  /** Applies `change` to the current subscriptions; a concurrent change is re-read and `change` applied again. */
  update(userId: string, change: (current: Subscriptions) => Subscriptions): Promise<Subscriptions>;
  /** Everyone's, for audience resolution: one range read of the partition. */
  list(): Promise<Subscriptions[]>;
  /** Forgets the user's roles and subscriptions; false when they had none stored. */
  delete(userId: string): Promise<boolean>;
}

type SubscriptionEntity = {
  partitionKey: string;
  rowKey: string;
  userId: string;
  /** Comma-separated role codes. */
  roles: string;
  /** JSON array of topics. */
  topics: string;
  updatedAt: string;
};

/** One partition: resolving an audience reads every row, which a single range read does fastest. */
const PARTITION = 'subscriptions';
const CONFLICT_RETRIES = 5;

/** Subscriptions in Azure Table Storage, one row per user. */
export class TableSubscriptionStore implements SubscriptionStore {
  private constructor(private readonly table: TableClient) {}

  static async open(storage: TableStorage, tableName = 'subscriptions'): Promise<TableSubscriptionStore> {
    return new TableSubscriptionStore(await openTable(storage, tableName));
  }

  async get(userId: string): Promise<Subscriptions> {
    return (await this.read(userId))?.subscriptions ?? emptySubscriptions(userId);
  }

  async update(userId: string, change: (current: Subscriptions) => Subscriptions): Promise<Subscriptions> {
    for (let attempt = 1; ; attempt += 1) {
      const stored = await this.read(userId);
      const next = change(stored?.subscriptions ?? emptySubscriptions(userId));
      if (stored && next === stored.subscriptions) return next;
      const entity = toEntity(next);
      try {
        if (stored) await this.table.updateEntity(entity, 'Replace', { etag: stored.etag });
        else await this.table.createEntity(entity);
        return next;
      } catch (error) {
        if (!isConflict(error) || attempt >= CONFLICT_RETRIES) throw error;
      }
    }
  }

  async list(): Promise<Subscriptions[]> {
    const all: Subscriptions[] = [];
    const query = this.table.listEntities<SubscriptionEntity>({ queryOptions: { filter: odata`PartitionKey eq ${PARTITION}` } });
    for await (const entity of query) all.push(fromEntity(entity));
    return all;
  }

  delete(userId: string): Promise<boolean> {
    return deleteEntityIfExists(this.table, PARTITION, safeKey(userId));
  }

  /** The user's process roles and subscriptions. */
  personalData(): PersonalDataHolder<Subscriptions> {
    return {
      kind: 'subscriptions',
      tables: [this.table.tableName],
      findForUser: async (user) => {
        const stored = await this.read(user.id);
        return stored ? [stored.subscriptions] : [];
      },
      deleteForUser: async (user) => ((await this.delete(user.id)) ? [user.id] : []),
    };
  }

  private async read(userId: string): Promise<{ subscriptions: Subscriptions; etag: string } | null> {
    try {
      const entity = await this.table.getEntity<SubscriptionEntity>(PARTITION, safeKey(userId));
      return { subscriptions: fromEntity(entity), etag: entity.etag };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }
}

function toEntity(subscriptions: Subscriptions): SubscriptionEntity {
  return {
    partitionKey: PARTITION,
    rowKey: safeKey(subscriptions.userId),
    userId: subscriptions.userId,
    roles: subscriptions.roles.join(','),
    topics: JSON.stringify(subscriptions.topics),
    updatedAt: subscriptions.updatedAt ?? new Date().toISOString(),
  };
}

/** Rows outlive code: a role or kind no longer known is dropped rather than failing the whole audience. */
function fromEntity(entity: SubscriptionEntity): Subscriptions {
  const roles = entity.roles.split(',').filter(isProcessRole);
  const topics = (JSON.parse(entity.topics) as Topic[]).filter((topic) => (topic.kind === null || isEventKind(topic.kind)) && (topic.role === null || isProcessRole(topic.role)));
  return { userId: entity.userId, roles, topics, updatedAt: entity.updatedAt };
}

function isProcessRole(value: string): value is ProcessRole {
  return (PROCESS_ROLES as readonly string[]).includes(value);
}

function isEventKind(value: string): value is EventKind {
  return (EVENT_KINDS as readonly string[]).includes(value);
}
