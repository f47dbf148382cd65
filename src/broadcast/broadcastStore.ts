import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { namesUser, referenceNamesUser, withoutReferencedUser, type DataSubject, type PersonalDataHolder } from '../privacy/personalDataHolder';
import { deleteEntityIfExists, isConflict, isNotFound, openTable, type TableStorage, safeKey, transactionBatches } from '../storage/tables';
import {
  BroadcastRequestError,
  type ActivityPayload,
  type BroadcastKind,
  type BroadcastRecipient,
  type BroadcastSummary,
  type ConversationReferenceJson,
  type InstallationState,
  type NewBroadcast,
  type RecipientRecord,
  type RecipientState,
} from './model';

/** A change to a recipient's row: only the fields given are written. */
export interface RecipientChange {
  conversationId: string;
  state?: RecipientState;
  attempts?: number;
  settled?: number;
  failures?: number;
  throttles?: number;
  activityId?: string;
  /** The conversation an installation found (see BroadcastRecipient.installFor), with `installation: 'done'`. */
  reference?: ConversationReferenceJson;
  installation?: InstallationState;
  lastError?: string;
  /** null: the last attempt got no answer (network). */
  lastStatus?: number | null;
  nextAttemptAt?: string;
  updatedAt: string;
}

export interface BroadcastChange {
  status?: 'active' | 'done';
  startedAt?: string;
  finishedAt?: string;
  possibleDuplicates?: number;
}

/** Told as a send's recipient rows are stored, so a sender in the same process can start at once. */
export interface CreateHooks {
  /** The broadcast is visible to senders, with its first batch of recipients (the rest follow once this returns). */
  visible?: (broadcast: BroadcastSummary) => void | Promise<void>;
  /** Another batch of recipients is complete: `stored` batches of them are now. */
  batchStored?: (id: string, stored: number) => void | Promise<void>;
}

export interface BroadcastStore {
  /**
   * Stores a new broadcast, or returns the one stored under its id with created false. A send's recipients are
   * written in batches: the broadcast becomes visible to senders once its first batch is stored, and the call
   * resolves once all are. Called again for a send whose writing stopped part-way (its creator died), it writes
   * the recipients not yet stored, and leaves those a sender may have begun with as they are.
   */
  create(request: NewBroadcast, now: Date, hooks?: CreateHooks): Promise<{ broadcast: BroadcastSummary; created: boolean }>;
  get(id: string): Promise<BroadcastSummary | null>;
  /** The activity every recipient gets. */
  activity(id: string): Promise<ActivityPayload>;
  /** Broadcasts not yet done, oldest first. */
  listActive(): Promise<BroadcastSummary[]>;
  /** A broadcast's recipients, all or those in the given states. */
  recipients(id: string, states?: readonly RecipientState[]): Promise<RecipientRecord[]>;
  /** The recipients written in batches `from` to `to` (not included) of a send still being written. */
  recipientsInBatches(id: string, from: number, to: number): Promise<RecipientRecord[]>;
  /** Every recipient's state, read without their references (for counting). */
  recipientStates(id: string): Promise<RecipientState[]>;
  /**
   * Gives an update its recipients: the conversations its send reached, each with
   * the id of the message to replace. Done once; later calls return the same count.
   */
  materializeUpdate(id: string): Promise<number>;
  writeRecipients(id: string, changes: readonly RecipientChange[]): Promise<void>;
  updateBroadcast(id: string, change: BroadcastChange): Promise<void>;
  /**
   * Gives a send whose recipient rows were lost (storage that did not keep its writes) its recipients again, worked
   * out anew, each not yet sent; its total becomes their number. Returns that number.
   */
  restoreRecipients(id: string, recipients: readonly BroadcastRecipient[], now: Date): Promise<number>;
}

/**
 * Layout, in one table:
 *  - partition `broadcasts`, row <id>: one row per broadcast (kind, status,
 *    counts known up front). Listing the active ones reads this partition only.
 *  - partition `b|<id>`, one per broadcast:
 *      `a|0000`, `a|0001`, …: the activity JSON in chunks (a string property holds
 *        at most 64 KiB, i.e. 32,768 UTF-16 code units);
 *      `r|<conversation id>`: one row per recipient, its state and its reference,
 *        and the batch it was written in.
 *    Keeping a broadcast's recipients in one partition lets up to 100 state changes
 *    go in one entity-group transaction, and a restart reads them in one range scan.
 * The sender lease lives in the same table (partition `lease`, see senderLease.ts).
 */
const INDEX_PARTITION = 'broadcasts';
const ACTIVITY_PREFIX = 'a|';
const ACTIVITY_END = 'a}';
const RECIPIENT_PREFIX = 'r|';
/** '}' sorts right after '|', so this bounds the recipient rows from above. */
const RECIPIENT_END = 'r}';

/** Table Storage strings are at most 64 KiB of UTF-16. */
const MAX_STRING_CHARS = 32 * 1024;
/** Far beyond any Teams message (they are refused above about 100 KB); a guard against mistakes. */
const MAX_ACTIVITY_CHUNKS = 32;
const MAX_ID_KEY_CHARS = 200;
const MAX_CONVERSATION_KEY_CHARS = 700;
const MAX_LABEL_CHARS = 1000;
const MAX_ERROR_CHARS = 1000;
/** An entity-group transaction's payload may be 4 MiB; stay well under (the 100-operation limit is transactionBatches'). */
const TRANSACTION_CHARS = 1_500_000;
/** Transactions in flight at once when writing many rows. */
const PARALLEL_TRANSACTIONS = 4;
/**
 * A send's recipients are written in batches, the first small so a sender can
 * start within a transaction's time of the confirmation (two seconds of
 * sending at 50 a second), the rest a few transactions each; each batch
 * completed is recorded in the summary row.
 */
const FIRST_BATCH_ROWS = 100;
const BATCH_ROWS = 400;

type SummaryEntity = {
  partitionKey: string;
  rowKey: string;
  id: string;
  kind: BroadcastKind;
  updates?: string;
  status: 'active' | 'done';
  createdAt: string;
  /** Orders broadcasts made within the same millisecond (an update right after another). */
  sequence: number;
  startedAt?: string;
  finishedAt?: string;
  /** Absent for an update until it starts. */
  total?: number;
  activityChunks: number;
  possibleDuplicates: number;
  /** While a send's recipients are written: how many batches of them are completely stored. */
  writing?: boolean;
  storedBatches?: number;
};

type RecipientEntity = {
  partitionKey: string;
  rowKey: string;
  conversationId: string;
  reference: string;
  label?: string;
  installFor?: string;
  installation?: InstallationState;
  state: RecipientState;
  attempts: number;
  settled: number;
  failures: number;
  throttles: number;
  activityId?: string;
  targetActivityId?: string;
  lastError?: string;
  /** 0 stands for none (Table Storage has no nulls). */
  lastStatus?: number;
  nextAttemptAt?: string;
  updatedAt: string;
  /** The batch it was written in (see FIRST_BATCH_ROWS); absent on rows written whole. */
  batch?: number;
};

/** A recipient row with the broadcast it belongs to. */
export interface BroadcastRecipientRecord {
  broadcastId: string;
  recipient: RecipientRecord;
}

export class TableBroadcastStore implements BroadcastStore {
  private constructor(private readonly table: TableClient) {}

  static async open(storage: TableStorage, tableName = 'broadcasts'): Promise<TableBroadcastStore> {
    return new TableBroadcastStore(await openTable(storage, tableName));
  }

  async create(request: NewBroadcast, now: Date, hooks: CreateHooks = {}): Promise<{ broadcast: BroadcastSummary; created: boolean }> {
    const idKey = broadcastKey(request.id);
    const existing = await this.get(request.id);
    if (existing !== null) {
      if (existing.loading !== null && request.kind === 'send')
        return { broadcast: await this.resumeWriting(existing, await allOf(request.recipients), now, hooks), created: false };
      return { broadcast: existing, created: false };
    }

    const chunks = activityChunks(request.activity);
    const partition = recipientPartition(request.id);
    const activityRows = chunks.map((text, index) => ({ partitionKey: partition, rowKey: activityKey(index), text }));
    const rows = new RecipientRows(partition, now);
    let ended = true;
    let source: AsyncIterator<readonly BroadcastRecipient[]> | null = null;
    if (request.kind === 'send') {
      source = pagesOf(request.recipients)[Symbol.asyncIterator]();
      ended = await rows.fill(source, FIRST_BATCH_ROWS + 1);
    } else {
      const target = await this.get(request.updates);
      if (target === null) throw new BroadcastRequestError(`There is no broadcast ${request.updates} to update.`);
      if (target.kind !== 'send') throw new BroadcastRequestError(`Broadcast ${request.updates} is itself an update; update the send it updates (${target.updates}).`);
    }
    const first = rows.take(FIRST_BATCH_ROWS, 0);
    // Upserts: rows left by an earlier attempt that failed before its summary row are simply rewritten.
    await this.submitAll([...activityRows, ...first].map((row) => ['upsert', row, 'Replace'] as TransactionAction));

    const writing = !ended || rows.buffered > 0;
    const summary: SummaryEntity = {
      partitionKey: INDEX_PARTITION,
      rowKey: idKey,
      id: request.id,
      kind: request.kind,
      ...(request.kind === 'update' && { updates: request.updates }),
      status: 'active',
      createdAt: now.toISOString(),
      sequence: nextSequence(now),
      ...(request.kind === 'send' && { total: first.length }),
      activityChunks: chunks.length,
      possibleDuplicates: 0,
      ...(writing && { storedBatches: 1, writing: true }),
    };
    // The summary row once the first batch is there: until it exists no sender sees the broadcast, so it is never without recipients.
    try {
      await this.table.createEntity(summary);
    } catch (error) {
      if (!isConflict(error)) throw error;
      const raced = await this.get(request.id);
      if (raced === null) throw error;
      return { broadcast: raced, created: false };
    }
    const broadcast = fromSummaryEntity(summary);
    if (!writing || source === null) {
      await hooks.visible?.(broadcast);
      return { broadcast, created: true };
    }
    await hooks.visible?.(broadcast);
    const total = await this.writeBatches(request.id, rows, source, ended, 1, first.length, hooks);
    return { broadcast: { ...broadcast, total, loading: null }, created: true };
  }

  /**
   * Finishes writing a send whose creator stopped part-way: the recipients not in a stored batch are written as
   * further batches. Rows in the stored batches are left alone (a sender may have sent to them); rows of a batch
   * begun but not recorded as stored were seen by no sender: written again, or deleted if no longer recipients.
   */
  private async resumeWriting(existing: BroadcastSummary, recipients: readonly BroadcastRecipient[], now: Date, hooks: CreateHooks): Promise<BroadcastSummary> {
    const loading = existing.loading as { stored: number };
    const partition = recipientPartition(existing.id);
    const stored = new Set<string>();
    const unrecorded: string[] = [];
    const query = this.table.listEntities<Record<string, unknown>>({
      queryOptions: { filter: odata`PartitionKey eq ${partition} and RowKey ge ${RECIPIENT_PREFIX} and RowKey lt ${RECIPIENT_END}`, select: ['RowKey', 'batch'] },
    });
    for await (const entity of query) {
      const batch = optionalNumber(entity, 'batch');
      if (batch !== null && batch >= loading.stored) unrecorded.push(String(entity.rowKey));
      else stored.add(String(entity.rowKey));
    }
    const rows = new RecipientRows(partition, now, stored);
    const source = pagesOf(recipients)[Symbol.asyncIterator]();
    const ended = await rows.fill(source, Number.POSITIVE_INFINITY);
    const keep = new Set(rows.keys());
    await this.submitAll(unrecorded.filter((rowKey) => !keep.has(rowKey)).map((rowKey) => ['delete', { partitionKey: partition, rowKey }] as TransactionAction));
    const total = await this.writeBatches(existing.id, rows, source, ended, loading.stored, stored.size, hooks);
    return { ...existing, total, loading: null };
  }

  /**
   * Writes the recipients still to come in batches, numbered from `from`, recording each in the summary row (with the
   * total so far) once it is complete, and the end once there are no more. Returns the total.
   */
  private async writeBatches(
    id: string,
    rows: RecipientRows,
    source: AsyncIterator<readonly BroadcastRecipient[]>,
    endedBefore: boolean,
    from: number,
    writtenBefore: number,
    hooks: CreateHooks,
  ): Promise<number> {
    let ended = endedBefore;
    let written = writtenBefore;
    let number = from;
    for (;;) {
      if (!ended) ended = await rows.fill(source, BATCH_ROWS);
      const batch = rows.take(BATCH_ROWS, number);
      if (batch.length === 0) break;
      // One transaction at a time: far faster than the sender needs them, and leaving storage to its claims and lease meanwhile.
      await this.submitAll(
        batch.map((row) => ['upsert', row, 'Replace'] as TransactionAction),
        1,
      );
      number += 1;
      written += batch.length;
      await this.updateSummary(id, { storedBatches: number, total: written });
      await hooks.batchStored?.(id, number);
    }
    await this.updateSummary(id, { storedBatches: number, total: written, writing: false });
    return written;
  }

  async get(id: string): Promise<BroadcastSummary | null> {
    try {
      return fromSummaryEntity(await this.table.getEntity<Record<string, unknown>>(INDEX_PARTITION, broadcastKey(id)));
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async activity(id: string): Promise<ActivityPayload> {
    let summary: Record<string, unknown>;
    try {
      summary = await this.table.getEntity<Record<string, unknown>>(INDEX_PARTITION, broadcastKey(id));
    } catch (error) {
      if (isNotFound(error)) throw new BroadcastRequestError(`There is no broadcast ${id}.`);
      throw error;
    }
    const chunks: string[] = [];
    const query = this.table.listEntities<Record<string, unknown>>({
      queryOptions: { filter: odata`PartitionKey eq ${recipientPartition(id)} and RowKey ge ${ACTIVITY_PREFIX} and RowKey lt ${ACTIVITY_END}` },
    });
    for await (const entity of query) chunks.push(text(entity, 'text'));
    const expected = optionalNumber(summary, 'activityChunks');
    if (chunks.length !== expected) throw new Error(`Broadcast ${id} has ${chunks.length} stored activity chunks where its summary says ${expected}.`);
    return JSON.parse(chunks.join('')) as ActivityPayload;
  }

  async listActive(): Promise<BroadcastSummary[]> {
    const summaries: Array<{ summary: BroadcastSummary; sequence: number }> = [];
    const query = this.table.listEntities<Record<string, unknown>>({
      queryOptions: { filter: odata`PartitionKey eq ${INDEX_PARTITION} and status eq ${'active'}` },
    });
    for await (const entity of query) summaries.push({ summary: fromSummaryEntity(entity), sequence: optionalNumber(entity, 'sequence') ?? 0 });
    return summaries.sort((a, b) => a.sequence - b.sequence || a.summary.id.localeCompare(b.summary.id)).map(({ summary }) => summary);
  }

  async recipients(id: string, states?: readonly RecipientState[]): Promise<RecipientRecord[]> {
    let filter = odata`PartitionKey eq ${recipientPartition(id)} and RowKey ge ${RECIPIENT_PREFIX} and RowKey lt ${RECIPIENT_END}`;
    if (states !== undefined) {
      if (states.length === 0) return [];
      filter += ` and (${states.map((state) => odata`state eq ${state}`).join(' or ')})`;
    }
    const records: RecipientRecord[] = [];
    for await (const entity of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
      records.push(fromRecipientEntity(entity));
    }
    return records;
  }

  async recipientsInBatches(id: string, from: number, to: number): Promise<RecipientRecord[]> {
    const filter = odata`PartitionKey eq ${recipientPartition(id)} and RowKey ge ${RECIPIENT_PREFIX} and RowKey lt ${RECIPIENT_END} and batch ge ${from} and batch lt ${to}`;
    const records: RecipientRecord[] = [];
    for await (const entity of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) records.push(fromRecipientEntity(entity));
    return records;
  }

  async recipientStates(id: string): Promise<RecipientState[]> {
    const states: RecipientState[] = [];
    const query = this.table.listEntities<Record<string, unknown>>({
      queryOptions: {
        filter: odata`PartitionKey eq ${recipientPartition(id)} and RowKey ge ${RECIPIENT_PREFIX} and RowKey lt ${RECIPIENT_END}`,
        select: ['state'],
      },
    });
    for await (const entity of query) states.push(recipientState(entity));
    return states;
  }

  async materializeUpdate(id: string): Promise<number> {
    const update = await this.get(id);
    if (update === null) throw new BroadcastRequestError(`There is no broadcast ${id}.`);
    if (update.kind !== 'update' || update.updates === null) throw new BroadcastRequestError(`Broadcast ${id} is not an update.`);
    if (update.total !== null) return update.total;
    const now = new Date();
    const partition = recipientPartition(id);
    // Also those whose message got no id: the engine reports them as failed, with why.
    const delivered = await this.recipients(update.updates, ['sent']);
    await this.submitAll(
      delivered.map((recipient) => [
        'upsert',
        newRecipientEntity(partition, recipient.conversationId, recipient.reference, recipient.label, recipient.activityId, now, null),
        'Replace',
      ]),
    );
    await this.updateSummary(id, { total: delivered.length });
    return delivered.length;
  }

  async writeRecipients(id: string, changes: readonly RecipientChange[]): Promise<void> {
    const partition = recipientPartition(id);
    await this.submitAll(changes.map((change) => ['update', toRecipientChangeEntity(partition, change), 'Merge']));
  }

  async updateBroadcast(id: string, change: BroadcastChange): Promise<void> {
    await this.updateSummary(id, change);
  }

  async restoreRecipients(id: string, recipients: readonly BroadcastRecipient[], now: Date): Promise<number> {
    const rows = uniqueRecipients(recipientPartition(id), recipients, now);
    await this.submitAll(rows.map((row) => ['upsert', row, 'Replace'] as TransactionAction));
    // Written whole: nothing is left loading.
    await this.updateSummary(id, { total: rows.length, writing: false });
    return rows.length;
  }

  private async updateSummary(id: string, change: BroadcastChange & { total?: number; writing?: boolean; storedBatches?: number }): Promise<void> {
    await this.table.updateEntity({ partitionKey: INDEX_PARTITION, rowKey: broadcastKey(id), ...change }, 'Merge');
  }

  /**
   * The user's delivery records: recipient rows of their personal chat (its
   * reference and label name them), and channel or group chat rows whose
   * reference names them as the one who last wrote there. A personal row is
   * deleted, a channel row loses only the person. Rows still pending are part
   * of a delivery under way, which the sender holds in memory and writes back:
   * they are left to it (asked again later, or the retention, removes them).
   */
  personalData(): PersonalDataHolder<BroadcastRecipientRecord> {
    return {
      kind: 'deliveryRecords',
      tables: [this.table.tableName],
      findForUser: (user) => this.recipientsNaming(user),
      deleteForUser: async (user) => {
        const removed: string[] = [];
        for (const { broadcastId, recipient } of await this.recipientsNaming(user)) {
          if (recipient.state === 'pending') continue;
          const partition = recipientPartition(broadcastId);
          const rowKey = recipientKey(recipient.conversationId);
          if (recipient.reference.conversation && (recipient.reference.conversation as { conversationType?: unknown }).conversationType !== 'personal') {
            await this.table.updateEntity({ partitionKey: partition, rowKey, reference: JSON.stringify(withoutReferencedUser(recipient.reference)) }, 'Merge');
          } else if (!(await deleteEntityIfExists(this.table, partition, rowKey))) {
            continue;
          }
          removed.push(`${broadcastId}|${recipient.conversationId}`);
        }
        return removed;
      },
    };
  }

  /**
   * Retention: deletes the recipient rows that settled (sent, failed,
   * unreachable, skipped) before `cutoff`; pending ones stay. The broadcast's
   * summary and activity stay, without people. How many were deleted.
   */
  async deleteSettledRecipientsBefore(cutoff: Date): Promise<number> {
    const filter = odata`RowKey ge ${RECIPIENT_PREFIX} and RowKey lt ${RECIPIENT_END} and state ne ${'pending'} and updatedAt lt ${cutoff.toISOString()}`;
    let deleted = 0;
    for await (const entity of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter, select: ['PartitionKey', 'RowKey'] } })) {
      if (await deleteEntityIfExists(this.table, String(entity.partitionKey), String(entity.rowKey))) deleted += 1;
    }
    return deleted;
  }

  /** Every recipient row, of every broadcast, whose reference or label names the user (a scan: a rare request). */
  private async recipientsNaming(user: DataSubject): Promise<BroadcastRecipientRecord[]> {
    const found: BroadcastRecipientRecord[] = [];
    const filter = odata`RowKey ge ${RECIPIENT_PREFIX} and RowKey lt ${RECIPIENT_END}`;
    for await (const entity of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
      const recipient = fromRecipientEntity(entity);
      if (referenceNamesUser(recipient.reference, user) || (recipient.label !== null && namesUser(recipient.label, user))) {
        found.push({ broadcastId: broadcastIdOf(String(entity.partitionKey)), recipient });
      }
    }
    return found;
  }

  /** Writes actions on one partition in transactions of bounded size, a few at a time. */
  private async submitAll(actions: readonly TransactionAction[], parallel = PARALLEL_TRANSACTIONS): Promise<void> {
    const batches = transactionBatches(actions, TRANSACTION_CHARS);
    let next = 0;
    const lane = async (): Promise<void> => {
      for (let current = batches[next++]; current !== undefined; current = batches[next++]) await this.table.submitTransaction(current);
    };
    await Promise.all(Array.from({ length: Math.min(parallel, batches.length) }, lane));
  }
}

/**
 * Microseconds since the epoch, made strictly increasing within this process:
 * broadcasts made here keep their order even within one millisecond. (Made on
 * different instances within the same millisecond, their order is arbitrary,
 * as it would be anyway.)
 */
let lastSequence = 0;
function nextSequence(now: Date): number {
  lastSequence = Math.max(now.getTime() * 1000, lastSequence + 1);
  return lastSequence;
}

function broadcastKey(id: string): string {
  const key = safeKey(id);
  if (key === '') throw new BroadcastRequestError('A broadcast needs an id.');
  if (key.length > MAX_ID_KEY_CHARS) throw new BroadcastRequestError(`The broadcast id is too long (${key.length} characters once encoded; at most ${MAX_ID_KEY_CHARS}).`);
  return key;
}

function recipientPartition(id: string): string {
  return `b|${broadcastKey(id)}`;
}

/** The broadcast id a recipient partition belongs to (safeKey undone). */
function broadcastIdOf(partition: string): string {
  return decodeURIComponent(partition.slice('b|'.length).replace(/~/g, '%'));
}

function activityKey(index: number): string {
  return `${ACTIVITY_PREFIX}${String(index).padStart(4, '0')}`;
}

function recipientKey(conversationId: string): string {
  const key = safeKey(conversationId);
  if (key === '') throw new BroadcastRequestError('A recipient needs a conversation id.');
  if (key.length > MAX_CONVERSATION_KEY_CHARS) throw new BroadcastRequestError(`A conversation id is too long (${key.length} characters once encoded).`);
  return RECIPIENT_PREFIX + key;
}

/** The recipients as rows, each conversation once (however often it was listed), in the order given. */
function uniqueRecipients(partition: string, recipients: readonly BroadcastRecipient[], now: Date): RecipientEntity[] {
  const rows = new Map<string, RecipientEntity>();
  for (const recipient of recipients) {
    const entity = newRecipientEntity(partition, recipient.conversationId, recipient.reference, recipient.label ?? null, null, now, recipient.installFor ?? null);
    if (!rows.has(entity.rowKey)) rows.set(entity.rowKey, entity);
  }
  return [...rows.values()];
}

/** Recipients as they come (page by page), as rows to write in numbered batches; each conversation once. */
class RecipientRows {
  private readonly seen: Set<string>;
  private readonly waiting: RecipientEntity[] = [];
  private readonly all: string[] = [];

  constructor(
    private readonly partition: string,
    private readonly now: Date,
    /** Rows stored already: left out. */
    skip: ReadonlySet<string> = new Set(),
  ) {
    this.seen = new Set(skip);
  }

  get buffered(): number {
    return this.waiting.length;
  }

  /** Reads pages until `want` rows wait or the recipients end; true when they ended. */
  async fill(source: AsyncIterator<readonly BroadcastRecipient[]>, want: number): Promise<boolean> {
    while (this.waiting.length < want) {
      const page = await source.next();
      if (page.done === true) return true;
      for (const recipient of page.value) {
        const entity = newRecipientEntity(this.partition, recipient.conversationId, recipient.reference, recipient.label ?? null, null, this.now, recipient.installFor ?? null);
        if (this.seen.has(entity.rowKey)) continue;
        this.seen.add(entity.rowKey);
        this.all.push(entity.rowKey);
        this.waiting.push(entity);
      }
    }
    return false;
  }

  /** Up to `count` rows, labelled as batch `number`. */
  take(count: number, number: number): RecipientEntity[] {
    const batch = this.waiting.splice(0, count);
    for (const row of batch) row.batch = number;
    return batch;
  }

  /** The row keys of every recipient read so far. */
  keys(): readonly string[] {
    return this.all;
  }
}

/** Recipients given whole or page by page, as pages. */
async function* pagesOf(recipients: readonly BroadcastRecipient[] | AsyncIterable<readonly BroadcastRecipient[]>): AsyncIterable<readonly BroadcastRecipient[]> {
  if (Symbol.asyncIterator in recipients) yield* recipients;
  else yield recipients;
}

async function allOf(recipients: readonly BroadcastRecipient[] | AsyncIterable<readonly BroadcastRecipient[]>): Promise<BroadcastRecipient[]> {
  const all: BroadcastRecipient[] = [];
  for await (const page of pagesOf(recipients)) all.push(...page);
  return all;
}

function activityChunks(activity: ActivityPayload): string[] {
  if (typeof activity !== 'object' || activity === null || Array.isArray(activity)) throw new BroadcastRequestError('The activity must be a JSON object.');
  const json: unknown = JSON.stringify(activity);
  if (typeof json !== 'string') throw new BroadcastRequestError('The activity cannot be written as JSON.');
  const chunks: string[] = [];
  for (let start = 0; start < json.length; start += MAX_STRING_CHARS) chunks.push(json.slice(start, start + MAX_STRING_CHARS));
  if (chunks.length > MAX_ACTIVITY_CHUNKS) {
    throw new BroadcastRequestError(`The activity is ${json.length} characters as JSON; a broadcast holds at most ${MAX_ACTIVITY_CHUNKS * MAX_STRING_CHARS}.`);
  }
  return chunks;
}

function newRecipientEntity(
  partition: string,
  conversationId: string,
  reference: ConversationReferenceJson,
  label: string | null,
  targetActivityId: string | null,
  now: Date,
  installFor: string | null,
): RecipientEntity {
  const referenceJson: unknown = JSON.stringify(reference);
  if (typeof referenceJson !== 'string' || typeof reference !== 'object' || reference === null) {
    throw new BroadcastRequestError(`The conversation reference for ${conversationId} is not a JSON object.`);
  }
  if (referenceJson.length > MAX_STRING_CHARS)
    throw new BroadcastRequestError(`The conversation reference for ${conversationId} is too large (${referenceJson.length} characters).`);
  if (label !== null && label.length > MAX_LABEL_CHARS) throw new BroadcastRequestError(`The label for ${conversationId} is too long (at most ${MAX_LABEL_CHARS} characters).`);
  return {
    partitionKey: partition,
    rowKey: recipientKey(conversationId),
    conversationId,
    reference: referenceJson,
    ...(label !== null && { label }),
    ...(installFor !== null && { installFor, installation: 'needed' as const }),
    state: 'pending',
    attempts: 0,
    settled: 0,
    failures: 0,
    throttles: 0,
    ...(targetActivityId !== null && { targetActivityId }),
    updatedAt: now.toISOString(),
  };
}

function toRecipientChangeEntity(partition: string, change: RecipientChange): { partitionKey: string; rowKey: string } & Record<string, unknown> {
  const { conversationId, lastError, lastStatus, reference, ...fields } = change;
  return {
    partitionKey: partition,
    rowKey: recipientKey(conversationId),
    ...fields,
    ...(reference !== undefined && { reference: JSON.stringify(reference) }),
    ...(lastError !== undefined && { lastError: truncate(lastError) }),
    ...(lastStatus !== undefined && { lastStatus: lastStatus ?? 0 }),
  };
}

function truncate(error: string): string {
  return error.length > MAX_ERROR_CHARS ? `${error.slice(0, MAX_ERROR_CHARS - 1)}…` : error;
}

function fromSummaryEntity(entity: Record<string, unknown>): BroadcastSummary {
  const kind = text(entity, 'kind');
  if (kind !== 'send' && kind !== 'update') throw new Error(`Stored broadcast has an unknown kind: ${kind}.`);
  const status = text(entity, 'status');
  if (status !== 'active' && status !== 'done') throw new Error(`Stored broadcast has an unknown status: ${status}.`);
  return {
    id: text(entity, 'id'),
    kind,
    updates: optionalText(entity, 'updates'),
    status,
    createdAt: text(entity, 'createdAt'),
    startedAt: optionalText(entity, 'startedAt'),
    finishedAt: optionalText(entity, 'finishedAt'),
    total: optionalNumber(entity, 'total'),
    possibleDuplicates: optionalNumber(entity, 'possibleDuplicates') ?? 0,
    loading: loadingOf(entity),
  };
}

function loadingOf(entity: Record<string, unknown>): BroadcastSummary['loading'] {
  return entity.writing === true ? { stored: optionalNumber(entity, 'storedBatches') ?? 0 } : null;
}

function recipientState(entity: Record<string, unknown>): RecipientState {
  const state = text(entity, 'state');
  if (state !== 'pending' && state !== 'sent' && state !== 'failed' && state !== 'unreachable' && state !== 'skipped')
    throw new Error(`Stored recipient has an unknown state: ${state}.`);
  return state;
}

function installationState(entity: Record<string, unknown>): InstallationState | null {
  const state = optionalText(entity, 'installation');
  if (state === null) return null;
  if (state !== 'needed' && state !== 'done' && state !== 'not-found' && state !== 'blocked' && state !== 'graph-error' && state !== 'off')
    throw new Error(`Stored recipient has an unknown installation state: ${state}.`);
  return state;
}

function fromRecipientEntity(entity: Record<string, unknown>): RecipientRecord {
  const reference: unknown = JSON.parse(text(entity, 'reference'));
  const lastStatus = optionalNumber(entity, 'lastStatus');
  return {
    conversationId: text(entity, 'conversationId'),
    reference: reference as ConversationReferenceJson,
    label: optionalText(entity, 'label'),
    installFor: optionalText(entity, 'installFor'),
    installation: installationState(entity),
    state: recipientState(entity),
    attempts: optionalNumber(entity, 'attempts') ?? 0,
    settled: optionalNumber(entity, 'settled') ?? 0,
    failures: optionalNumber(entity, 'failures') ?? 0,
    throttles: optionalNumber(entity, 'throttles') ?? 0,
    activityId: optionalText(entity, 'activityId'),
    targetActivityId: optionalText(entity, 'targetActivityId'),
    lastError: optionalText(entity, 'lastError'),
    lastStatus: lastStatus === 0 ? null : lastStatus,
    nextAttemptAt: optionalText(entity, 'nextAttemptAt'),
    updatedAt: text(entity, 'updatedAt'),
  };
}

function text(entity: Record<string, unknown>, key: string): string {
  const value = entity[key];
  if (typeof value !== 'string') throw new Error(`Stored broadcast row lacks text property ${key}.`);
  return value;
}

function optionalText(entity: Record<string, unknown>, key: string): string | null {
  return entity[key] === undefined || entity[key] === null ? null : text(entity, key);
}

function optionalNumber(entity: Record<string, unknown>, key: string): number | null {
  const value = entity[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number') throw new Error(`Stored broadcast row has a non-numeric ${key}.`);
  return value;
}
