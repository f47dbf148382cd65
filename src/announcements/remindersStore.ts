import { odata, type TableClient } from '@azure/data-tables';
import { deleteEntityIfExists, isNotFound, openTable, type TableStorage, safeKey } from '../storage/tables';
import type { Reminder, ReminderChoice, ReminderStore } from './reminders';

type ReminderEntity = {
  partitionKey: string;
  rowKey: string;
  body: string;
};

/**
 * Reminders in Azure Table Storage, partitioned by event: moving an event
 * reads its reminders with one partition query.
 */
export class TableReminderStore implements ReminderStore {
  private constructor(private readonly table: TableClient) {}

  static async open(storage: TableStorage, tableName = 'eventreminders'): Promise<TableReminderStore> {
    return new TableReminderStore(await openTable(storage, tableName));
  }

  async save(reminder: Reminder): Promise<void> {
    // The last request wins: asking again (another language, say) replaces the earlier one.
    await this.table.upsertEntity(toEntity(reminder), 'Replace');
  }

  async get(announcementId: string, userId: string, choice: ReminderChoice): Promise<Reminder | null> {
    try {
      const entity = await this.table.getEntity<ReminderEntity>(safeKey(announcementId), rowKey(userId, choice));
      return JSON.parse(entity.body) as Reminder;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async forAnnouncement(announcementId: string): Promise<Reminder[]> {
    const reminders: Reminder[] = [];
    const query = this.table.listEntities<ReminderEntity>({ queryOptions: { filter: odata`PartitionKey eq ${safeKey(announcementId)}` } });
    for await (const entity of query) reminders.push(JSON.parse(entity.body) as Reminder);
    return reminders;
  }

  async deleteForUser(userId: string): Promise<number> {
    // A user's rows start with their key and '|' in every event's partition: one
    // range query over the table ('}' is the character after '|').
    const prefix = `${safeKey(userId)}|`;
    const filter = odata`RowKey ge ${prefix} and RowKey lt ${`${safeKey(userId)}}`}`;
    let deleted = 0;
    for await (const entity of this.table.listEntities<ReminderEntity>({ queryOptions: { filter, select: ['PartitionKey', 'RowKey'] } })) {
      if (await deleteEntityIfExists(this.table, entity.partitionKey, entity.rowKey)) deleted += 1;
    }
    return deleted;
  }
}

function rowKey(userId: string, choice: ReminderChoice): string {
  return `${safeKey(userId)}|${choice}`;
}

function toEntity(reminder: Reminder): ReminderEntity {
  return { partitionKey: safeKey(reminder.announcementId), rowKey: rowKey(reminder.userId, reminder.choice), body: JSON.stringify(reminder) };
}
