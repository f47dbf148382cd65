import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import type { ConversationReferenceValue } from './conversationReference';
import { referenceNamesUser, withoutReferencedUser, type DataSubject, type PersonalDataHolder } from '../privacy/personalDataHolder';
import { deleteEntityIfExists, isNotFound, openTable, type TableStorage, safeKey } from '../storage/tables';

export type ConversationKind = 'personal' | 'channel' | 'groupChat';

/** A conversation the bot is part of, with what it needs to write there later. */
export interface KnownConversation {
  conversationId: string;
  kind: ConversationKind;
  /** Where the bot writes to it later, as Teams gave it. */
  reference: ConversationReferenceValue;
  /** For a personal chat: the user, so they can be reached by id or e-mail. */
  user: { id: string; name: string | null; email: string | null } | null;
  /** For a channel: its name as Teams shows it ("Team › Channel"), when Teams told it. */
  name?: string | null;
  updatedAt: string;
}

export interface ConversationStore {
  remember(conversation: KnownConversation): Promise<void>;
  get(conversationId: string): Promise<KnownConversation | null>;
  /** The personal chat with a user, by user id or e-mail. */
  personalChatOf(user: { id?: string; email?: string }): Promise<KnownConversation | null>;
  /** Every conversation of one kind, e.g. the channels where the bot is installed. */
  list(kind: ConversationKind): Promise<KnownConversation[]>;
  /** The same, a page at a time, as storage returns them (for thousands of personal chats). */
  listPages(kind: ConversationKind): AsyncIterable<KnownConversation[]>;
  /** Forgets the personal chat with a user and its indexes; false when none was stored. */
  forgetPersonalChat(user: { id: string; email?: string | null }): Promise<boolean>;
}

type ConversationEntity = {
  partitionKey: string;
  rowKey: string;
  body: string;
  /** Beside the body so list() can filter by kind in the query. */
  kind: ConversationKind;
};

type UserIndexEntity = {
  partitionKey: string;
  rowKey: string;
  conversationId: string;
};

/**
 * One partition holds the conversations and their user indexes, so a
 * conversation and its index rows are written in one transaction: one round
 * trip on a user's first turn, and never an index row without its conversation.
 */
const PARTITION = 'conversations';
const CONVERSATION_ROW = 'conversation:';
/** ';' sorts right after ':', so this bounds the conversation rows from above. */
const CONVERSATION_END = 'conversation;';
const BY_USER_ID = 'user-id:';
const BY_EMAIL = 'user-email:';

/** Conversation references in Azure Table Storage, with indexes from user id and e-mail to the personal chat. */
export class TableConversationStore implements ConversationStore {
  private constructor(private readonly table: TableClient) {}

  static async open(storage: TableStorage, tableName = 'conversations'): Promise<TableConversationStore> {
    return new TableConversationStore(await openTable(storage, tableName));
  }

  async remember(conversation: KnownConversation): Promise<void> {
    const actions: TransactionAction[] = [
      [
        'upsert',
        {
          partitionKey: PARTITION,
          rowKey: CONVERSATION_ROW + safeKey(conversation.conversationId),
          body: JSON.stringify(conversation),
          kind: conversation.kind,
        } satisfies ConversationEntity,
        'Replace',
      ],
    ];
    const user = conversation.kind === 'personal' ? conversation.user : null;
    const index = (prefix: string, key: string): TransactionAction => [
      'upsert',
      { partitionKey: PARTITION, rowKey: prefix + safeKey(key), conversationId: conversation.conversationId } satisfies UserIndexEntity,
      'Replace',
    ];
    if (user) actions.push(index(BY_USER_ID, user.id));
    if (user?.email) actions.push(index(BY_EMAIL, user.email.toLowerCase()));
    await this.table.submitTransaction(actions);
  }

  async get(conversationId: string): Promise<KnownConversation | null> {
    try {
      const entity = await this.table.getEntity<ConversationEntity>(PARTITION, CONVERSATION_ROW + safeKey(conversationId));
      return JSON.parse(entity.body) as KnownConversation;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async personalChatOf(user: { id?: string; email?: string }): Promise<KnownConversation | null> {
    const lookups: string[] = [];
    if (user.id) lookups.push(BY_USER_ID + safeKey(user.id));
    if (user.email) lookups.push(BY_EMAIL + safeKey(user.email.toLowerCase()));
    for (const rowKey of lookups) {
      try {
        const entry = await this.table.getEntity<UserIndexEntity>(PARTITION, rowKey);
        return await this.get(entry.conversationId);
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
    return null;
  }

  async forgetPersonalChat(user: { id: string; email?: string | null }): Promise<boolean> {
    const chat = await this.personalChatOf({ id: user.id, email: user.email ?? undefined });
    const rows = [BY_USER_ID + safeKey(user.id)];
    const emails = new Set([user.email, chat?.user?.email].filter((email): email is string => Boolean(email)).map((email) => email.toLowerCase()));
    for (const email of emails) rows.push(BY_EMAIL + safeKey(email));
    if (chat?.kind === 'personal') rows.push(CONVERSATION_ROW + safeKey(chat.conversationId));
    let forgotten = false;
    for (const row of rows) if (await deleteEntityIfExists(this.table, PARTITION, row)) forgotten = true;
    return forgotten;
  }

  async list(kind: ConversationKind): Promise<KnownConversation[]> {
    const conversations: KnownConversation[] = [];
    for await (const page of this.listPages(kind)) conversations.push(...page);
    return conversations;
  }

  async *listPages(kind: ConversationKind): AsyncIterable<KnownConversation[]> {
    const filter = odata`PartitionKey eq ${PARTITION} and kind eq ${kind}`;
    for await (const page of this.table.listEntities<ConversationEntity>({ queryOptions: { filter } }).byPage()) {
      if (page.length > 0) yield page.map((entity) => JSON.parse(entity.body) as KnownConversation);
    }
  }

  /**
   * The user's personal chats (the current one and any earlier one, say from
   * before a reinstall) with the indexes to them, and the channels and group
   * chats whose stored reference names them (Teams puts whoever wrote there in
   * it). The personal chats are deleted; the others lose only the person.
   */
  personalData(): PersonalDataHolder<KnownConversation> {
    return {
      kind: 'personalChat',
      tables: [this.table.tableName],
      findForUser: (user) => this.conversationsNaming(user),
      deleteForUser: async (user) => {
        const removed: string[] = [];
        for (const conversation of await this.conversationsNaming(user)) {
          const rowKey = CONVERSATION_ROW + safeKey(conversation.conversationId);
          if (conversation.kind === 'personal') {
            const email = conversation.user?.email;
            if (email) await deleteEntityIfExists(this.table, PARTITION, BY_EMAIL + safeKey(email.toLowerCase()));
            if (await deleteEntityIfExists(this.table, PARTITION, rowKey)) removed.push(conversation.conversationId);
          } else {
            const kept: KnownConversation = { ...conversation, reference: withoutReferencedUser(conversation.reference) };
            await this.table.upsertEntity({ partitionKey: PARTITION, rowKey, body: JSON.stringify(kept), kind: kept.kind } satisfies ConversationEntity, 'Replace');
            removed.push(conversation.conversationId);
          }
        }
        // Index rows left without their conversation (or pointing to another one) go too.
        if ((await this.forgetPersonalChat(user)) && removed.length === 0) removed.push(user.id);
        return removed;
      },
    };
  }

  private async conversationsNaming(user: DataSubject): Promise<KnownConversation[]> {
    const found: KnownConversation[] = [];
    const filter = odata`PartitionKey eq ${PARTITION} and RowKey ge ${CONVERSATION_ROW} and RowKey lt ${CONVERSATION_END}`;
    for await (const entity of this.table.listEntities<ConversationEntity>({ queryOptions: { filter } })) {
      const conversation = JSON.parse(entity.body) as KnownConversation;
      const person = conversation.kind === 'personal' ? conversation.user : null;
      const own = person !== null && (person.id === user.id || (Boolean(user.email) && person.email?.toLowerCase() === user.email?.toLowerCase()));
      if (own || referenceNamesUser(conversation.reference, user)) found.push(conversation);
    }
    return found;
  }
}
