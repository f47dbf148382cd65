import type { TableClient } from '@azure/data-tables';
import type { ConversationReferenceValue } from './conversationReference';
import { referenceNamesUser, withoutReferencedUser, type DataSubject, type PersonalDataHolder } from '../privacy/personalDataHolder';
import { isNotFound, openTable, type TableStorage, safeKey } from '../storage/tables';

/** A Teams channel chosen to receive the suggestions of a process (at a unit, or for the whole process). */
export interface ChannelRegistration {
  process: string;
  /** null: for the whole process (the service centre's or the process managers' channel). */
  unit: string | null;
  conversationId: string;
  /** Where the bot posts there, as Teams gave it. */
  reference: ConversationReferenceValue;
  channelName: string | null;
  registeredBy: string;
  registeredAt: string;
}

export interface ChannelRegistrationStore {
  find(process: string, unit: string | null): Promise<ChannelRegistration | null>;
  save(registration: ChannelRegistration): Promise<void>;
  remove(process: string, unit: string | null): Promise<boolean>;
  list(): Promise<ChannelRegistration[]>;
}

export function registrationKey(process: string, unit: string | null): string {
  return `${process}|${unit ?? '*'}`;
}

interface RegistrationEntity {
  partitionKey: string;
  rowKey: string;
  process: string;
  unit: string;
  conversationId: string;
  reference: string;
  channelName: string;
  registeredBy: string;
  registeredAt: string;
}

const PARTITION = 'registration';

/** Registrations in Azure Table Storage, one row per process and unit. */
export class TableChannelRegistrationStore implements ChannelRegistrationStore {
  private constructor(private readonly table: TableClient) {}

  static async open(storage: TableStorage, tableName = 'channelregistrations'): Promise<TableChannelRegistrationStore> {
    return new TableChannelRegistrationStore(await openTable(storage, tableName));
  }

  async find(process: string, unit: string | null): Promise<ChannelRegistration | null> {
    try {
      return fromEntity(await this.table.getEntity<RegistrationEntity>(PARTITION, safeKey(registrationKey(process, unit))));
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async save(registration: ChannelRegistration): Promise<void> {
    await this.table.upsertEntity<RegistrationEntity>(
      {
        partitionKey: PARTITION,
        rowKey: safeKey(registrationKey(registration.process, registration.unit)),
        process: registration.process,
        unit: registration.unit ?? '',
        conversationId: registration.conversationId,
        reference: JSON.stringify(registration.reference),
        channelName: registration.channelName ?? '',
        registeredBy: registration.registeredBy,
        registeredAt: registration.registeredAt,
      },
      'Replace',
    );
  }

  async remove(process: string, unit: string | null): Promise<boolean> {
    try {
      await this.table.deleteEntity(PARTITION, safeKey(registrationKey(process, unit)));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async list(): Promise<ChannelRegistration[]> {
    const registrations: ChannelRegistration[] = [];
    for await (const entity of this.table.listEntities<RegistrationEntity>({ queryOptions: { filter: `PartitionKey eq '${PARTITION}'` } })) {
      registrations.push(fromEntity(entity));
    }
    return registrations.sort((a, b) => registrationKey(a.process, a.unit).localeCompare(registrationKey(b.process, b.unit), 'nb'));
  }

  /**
   * Registrations whose channel reference names the user (Teams puts whoever
   * wrote the registering message there); the bot posts to the channel without
   * it, so the person is removed from the reference. Who registered the channel
   * (registeredBy) stays, as the record of a coordinator's or process manager's
   * act, like a handler's actions on a suggestion.
   */
  personalData(): PersonalDataHolder<ChannelRegistration> {
    const naming = async (user: DataSubject) => (await this.list()).filter((registration) => referenceNamesUser(registration.reference, user));
    return {
      kind: 'channelRegistrations',
      tables: [this.table.tableName],
      findForUser: naming,
      deleteForUser: async (user) => {
        const found = await naming(user);
        for (const registration of found) await this.save({ ...registration, reference: withoutReferencedUser(registration.reference) });
        return found.map((registration) => registrationKey(registration.process, registration.unit));
      },
    };
  }
}

function fromEntity(entity: RegistrationEntity): ChannelRegistration {
  return {
    process: entity.process,
    unit: entity.unit || null,
    conversationId: entity.conversationId,
    reference: JSON.parse(entity.reference) as ConversationReferenceValue,
    channelName: entity.channelName || null,
    registeredBy: entity.registeredBy,
    registeredAt: entity.registeredAt,
  };
}
