import { odata, type TableClient } from '@azure/data-tables';
import type { PersonalDataHolder } from '../privacy/personalDataHolder';
import { deleteEntityIfExists, isNotFound, openTable, type TableStorage, safeKey } from '../storage/tables';

/** What the bot remembers about a user between conversations. */
export interface UserProfile {
  userId: string;
  /** The unit the user said they work at. */
  unitCode: string | null;
  /** A question that waits for the user's unit before it can be answered. */
  pendingQuestion: string | null;
  updatedAt: string;
}

export interface UserProfileStore {
  get(userId: string): Promise<UserProfile | null>;
  /** Saves the user's unit; any waiting question is answered by then, so it is cleared in the same write. */
  setUnit(userId: string, unitCode: string): Promise<void>;
  setPendingQuestion(userId: string, question: string | null): Promise<void>;
  /** Forgets the user (their unit and any waiting question); false when nothing was stored. */
  delete(userId: string): Promise<boolean>;
}

interface ProfileEntity {
  partitionKey: string;
  rowKey: string;
  userId: string;
  unitCode?: string;
  pendingQuestion?: string;
  updatedAt: string;
}

const PARTITION = 'profile';

/** Profiles in Azure Table Storage, one row per user. */
export class TableUserProfileStore implements UserProfileStore {
  private constructor(private readonly table: TableClient) {}

  static async open(storage: TableStorage, tableName = 'userprofiles'): Promise<TableUserProfileStore> {
    return new TableUserProfileStore(await openTable(storage, tableName));
  }

  async get(userId: string): Promise<UserProfile | null> {
    try {
      return fromEntity(await this.table.getEntity<ProfileEntity>(PARTITION, safeKey(userId)));
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async setUnit(userId: string, unitCode: string): Promise<void> {
    await this.table.upsertEntity(
      { partitionKey: PARTITION, rowKey: safeKey(userId), userId, unitCode, pendingQuestion: '', updatedAt: new Date().toISOString() },
      'Merge',
    );
  }

  /** Every profile (one range read), for matching announcements' audiences by unit. */
  async list(): Promise<UserProfile[]> {
    const profiles: UserProfile[] = [];
    for await (const entity of this.table.listEntities<ProfileEntity>({ queryOptions: { filter: odata`PartitionKey eq ${PARTITION}` } })) {
      profiles.push(fromEntity(entity));
    }
    return profiles;
  }

  async setPendingQuestion(userId: string, question: string | null): Promise<void> {
    await this.table.upsertEntity(
      { partitionKey: PARTITION, rowKey: safeKey(userId), userId, pendingQuestion: question ?? '', updatedAt: new Date().toISOString() },
      'Merge',
    );
  }

  delete(userId: string): Promise<boolean> {
    return deleteEntityIfExists(this.table, PARTITION, safeKey(userId));
  }

  /** The user's profile: their unit and a waiting question. */
  personalData(): PersonalDataHolder<UserProfile> {
    return {
      kind: 'profile',
      tables: [this.table.tableName],
      findForUser: async (user) => {
        const profile = await this.get(user.id);
        return profile ? [profile] : [];
      },
      deleteForUser: async (user) => ((await this.delete(user.id)) ? [user.id] : []),
    };
  }
}

function fromEntity(entity: ProfileEntity): UserProfile {
  return {
    userId: entity.userId,
    unitCode: entity.unitCode || null,
    pendingQuestion: entity.pendingQuestion || null,
    updatedAt: entity.updatedAt,
  };
}
