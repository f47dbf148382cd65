import { odata, type TableClient } from '@azure/data-tables';
import { deleteEntityIfExists, isNotFound, openTable, type TableStorage, safeKey } from '../storage/tables';
import type { PersonalDataHolder } from '../privacy/personalDataHolder';
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

  /** Every reminder the user asked for. */
  async listForUser(userId: string): Promise<Reminder[]> {
    // A user's rows start with their key and '|' in every event's partition: one
    // range query over the table ('}' is the character after '|').
    const prefix = `${safeKey(userId)}|`;
    const filter = odata`RowKey ge ${prefix} and RowKey lt ${`${safeKey(userId)}}`}`;
    const reminders: Reminder[] = [];
    for await (const entity of this.table.listEntities<ReminderEntity>({ queryOptions: { filter } })) reminders.push(JSON.parse(entity.body) as Reminder);
    return reminders;
  }

  /** The event reminders the user asked for. */
  personalData(): PersonalDataHolder<Reminder> {
    return {
      kind: 'reminders',
      tables: [this.table.tableName],
      findForUser: (user) => this.listForUser(user.id),
      deleteForUser: async (user) => {
        const deleted: string[] = [];
        for (const reminder of await this.listForUser(user.id)) {
          if (await deleteEntityIfExists(this.table, safeKey(reminder.announcementId), rowKey(reminder.userId, reminder.choice)))
            deleted.push(`${reminder.announcementId}|${reminder.choice}`);
        }
        return deleted;
      },
    };
  }
}

function rowKey(userId: string, choice: ReminderChoice): string {
  return `${safeKey(userId)}|${choice}`;
}

function toEntity(reminder: Reminder): ReminderEntity {
  return { partitionKey: safeKey(reminder.announcementId), rowKey: rowKey(reminder.userId, reminder.choice), body: JSON.stringify(reminder) };
}
