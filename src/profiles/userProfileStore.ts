import { odata, type TableClient } from '@azure/data-tables';
import type { PersonalDataHolder } from '../privacy/personalDataHolder';
import { RecentRows } from '../storage/recentRows';
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

/**
 * How long this instance trusts a profile it read or wrote, without reading it
 * again: a unit stated and then asked about ("hos oss") costs one write and no
 * read. Every write goes to storage at once, and this instance's own writes
 * (chat, tab, deletion) update what it holds; a write by another instance is
 * seen here once this runs out. That is safe because a profile changes only by
 * its user's own act, and what another instance could have changed within
 * these seconds is a unit set in the tab and then asked about in the chat in
 * the same breath (the card names the unit it answered for), or a waiting
 * question answered by a message that went to another instance than the one
 * before it, both within 5 seconds of this instance's last look.
 */
export const PROFILE_CACHE_MS = 5_000;

/** Profiles in Azure Table Storage, one row per user. */
export class TableUserProfileStore implements UserProfileStore {
  /** What this instance last read or wrote per user (null: none stored). */
  private readonly recent: RecentRows<UserProfile | null>;

  private constructor(
    private readonly table: TableClient,
    cacheMs: number,
  ) {
    this.recent = new RecentRows(cacheMs);
  }

  static async open(storage: TableStorage, tableName = 'userprofiles', options: { cacheMs?: number } = {}): Promise<TableUserProfileStore> {
    return new TableUserProfileStore(await openTable(storage, tableName), options.cacheMs ?? PROFILE_CACHE_MS);
  }

  async get(userId: string): Promise<UserProfile | null> {
    const known = this.recent.get(userId);
    if (known !== undefined) return known && { ...known };
    let profile: UserProfile | null;
    try {
      profile = fromEntity(await this.table.getEntity<ProfileEntity>(PARTITION, safeKey(userId)));
    } catch (error) {
      if (!isNotFound(error)) throw error;
      profile = null;
    }
    this.recent.set(userId, profile);
    return profile && { ...profile };
  }

  async setUnit(userId: string, unitCode: string): Promise<void> {
    const updatedAt = new Date().toISOString();
    // Every field is written, so what is stored afterwards is known without reading it.
    await this.written(userId, () => this.table.upsertEntity({ partitionKey: PARTITION, rowKey: safeKey(userId), userId, unitCode, pendingQuestion: '', updatedAt }, 'Merge'), {
      userId,
      unitCode,
      pendingQuestion: null,
      updatedAt,
    });
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
    const updatedAt = new Date().toISOString();
    // The unit is kept by the merge; it is known here only if this instance holds the profile.
    const known = this.recent.get(userId);
    await this.written(
      userId,
      () => this.table.upsertEntity({ partitionKey: PARTITION, rowKey: safeKey(userId), userId, pendingQuestion: question ?? '', updatedAt }, 'Merge'),
      known === undefined ? undefined : { userId, unitCode: known?.unitCode ?? null, pendingQuestion: question || null, updatedAt },
    );
  }

  async delete(userId: string): Promise<boolean> {
    const deleted = await deleteEntityIfExists(this.table, PARTITION, safeKey(userId));
    // Another instance may go on using what it read for PROFILE_CACHE_MS at most.
    this.recent.set(userId, null);
    return deleted;
  }

  /** Writes, then records what is stored now (`undefined`: not known, read it next time). */
  private async written(userId: string, write: () => Promise<unknown>, stored: UserProfile | undefined): Promise<void> {
    try {
      await write();
    } catch (error) {
      this.recent.delete(userId);
      throw error;
    }
    if (stored === undefined) this.recent.delete(userId);
    else this.recent.set(userId, stored);
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
