import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { namesUser, type DataSubject, type PersonalDataHolder } from '../privacy/personalDataHolder';
import { isConflict, isNotFound, openTable, type TableStorage, safeKey } from '../storage/tables';

/** `failed` is the dead letter: never delivered and no longer tried, with the reason in lastError. */
export type OutboxStatus = 'pending' | 'delivered' | 'failed';

export interface OutboxMessage<P = unknown> {
  /** Idempotency key chosen by the caller, e.g. `route:FF-2026-0042:channel`. */
  id: string;
  /** Which handler delivers it. */
  kind: string;
  payload: P;
  status: OutboxStatus;
  /** Attempts started so far (counted when claimed, so an attempt whose worker died still counts). */
  attempts: number;
  /** The earliest time anyone may (re)try it; while claimed, when the claim's lease runs out. */
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  /** What the handler reported on delivery, e.g. the sent activity id. */
  result: unknown;
  /** The worker that last claimed it, for whoever inspects the outbox. */
  claimedBy: string | null;
  /** When the first attempt began (the age limit counts from there, not from enqueuing, which may be long before it is due). */
  firstAttemptAt: string | null;
  /**
   * What an attempt recorded of its progress (e.g. the id of a card the connector accepted), kept across attempts, so
   * an attempt after a crash can carry on from there instead of sending again.
   */
  progress: unknown;
}

export interface EnqueueRequest<P> {
  id: string;
  kind: string;
  payload: P;
  /** Not to be sent before this time (default: now). */
  notBefore?: Date;
}

export interface OutboxStore {
  /** Idempotent: enqueuing an existing id returns the existing message unchanged. */
  enqueue<P>(message: EnqueueRequest<P>): Promise<OutboxMessage<P>>;
  /** Pending messages whose nextAttemptAt <= now, oldest first. */
  due(now: Date, limit: number): Promise<OutboxMessage[]>;
  get(id: string): Promise<OutboxMessage | null>;
  markDelivered(id: string, result: unknown): Promise<void>;
  markRetry(id: string, error: string, nextAttemptAt: Date): Promise<void>;
  /** Permanent failure (e.g. 403/404), or given up: the message becomes a dead letter, not retried. */
  markFailed(id: string, error: string): Promise<void>;
  /** Records an attempt's progress on a pending message (see OutboxMessage.progress). */
  recordProgress(id: string, progress: unknown): Promise<void>;
  list(filter: { status?: OutboxStatus; kind?: string }): Promise<OutboxMessage[]>;
  /**
   * Takes a due message for `leaseMs` (counting one attempt): true for exactly one
   * caller. The lease pushes nextAttemptAt forward, so if the holder dies the
   * message simply becomes due again when the lease runs out.
   */
  claim(id: string, workerId: string, leaseMs: number): Promise<boolean>;
}

export interface TableOutboxStoreOptions {
  /** The store's notion of now (createdAt, deliveredAt, lease start); injectable for tests. */
  clock?: () => Date;
}

/** The JSON of a payload or result is too large for one Table Storage string property. */
export class OutboxPayloadTooLargeError extends Error {
  constructor(
    readonly what: JsonProperty,
    readonly chars: number,
  ) {
    super(
      `The outbox message ${what} is ${chars} characters as JSON; Table Storage holds at most ${MAX_JSON_CHARS} ` +
        `(64 KiB of UTF-16) in one property. Store the bulk elsewhere and enqueue a reference to it.`,
    );
    this.name = 'OutboxPayloadTooLargeError';
  }
}

/**
 * Layout: everything in one partition, two kinds of rows.
 *  - `msg|<id>`: the message, the source of truth for get() and list().
 *  - `due|<nextAttemptAt>|<id>`: a copy of each *pending* message, keyed by when it
 *    is due. Row keys are kept in order by the service, so due() is one range
 *    read of exactly the due rows, already oldest first: no scan, no sorting, and
 *    its cost does not grow with the delivered history.
 * Every change rewrites the message row (guarded by its etag) and moves or removes
 * its due row in one entity-group transaction, which only works inside a single
 * partition; so the two can never disagree, and the etag makes claims exclusive.
 * One partition serves about 2,000 entity operations a second, well above the 50
 * requests a second Teams accepts from one app per tenant.
 */
const PARTITION = 'outbox';
const MESSAGE_PREFIX = 'msg|';
/** '}' sorts right after '|', so this bounds the message rows from above. */
const MESSAGE_END = 'msg}';
const DUE_PREFIX = 'due|';

/** Table Storage strings are at most 64 KiB of UTF-16: 32,768 code units. */
const MAX_JSON_CHARS = 32 * 1024;
/** Keys are at most 1 KiB; leaves room for the prefixes and the timestamp. */
const MAX_ID_KEY_CHARS = 400;
/** Connector errors can carry whole HTML pages; the gist is enough, and keeps the row writable. */
const MAX_ERROR_CHARS = 4000;
/** Marks that lose an etag race re-read and try again; claims do not (the other claimant won). */
const CONFLICT_RETRIES = 5;

/** A type, not an interface, so it is assignable to the SDK's entity record. */
type MessageEntity = {
  partitionKey: string;
  rowKey: string;
  id: string;
  kind: string;
  payload: string;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError?: string;
  createdAt: string;
  deliveredAt?: string;
  result?: string;
  claimedBy?: string;
  firstAttemptAt?: string;
  progress?: string;
};

interface Stored {
  message: OutboxMessage;
  etag: string;
}

/** The outbox in Azure Table Storage. */
export class TableOutboxStore implements OutboxStore {
  private constructor(
    private readonly table: TableClient,
    private readonly clock: () => Date,
  ) {}

  static async open(storage: TableStorage, tableName = 'outbox', options: TableOutboxStoreOptions = {}): Promise<TableOutboxStore> {
    return new TableOutboxStore(await openTable(storage, tableName), options.clock ?? (() => new Date()));
  }

  async enqueue<P>(request: EnqueueRequest<P>): Promise<OutboxMessage<P>> {
    const key = messageKey(request.id);
    if (request.kind === '') throw new Error('An outbox message needs a kind.');
    const now = this.clock();
    const message: OutboxMessage = {
      id: request.id,
      kind: request.kind,
      // As stored, so the caller sees what get() and the handler will see.
      payload: fromJson(toJson(request.payload, 'payload')),
      status: 'pending',
      attempts: 0,
      nextAttemptAt: (request.notBefore ?? now).toISOString(),
      lastError: null,
      createdAt: now.toISOString(),
      deliveredAt: null,
      result: null,
      claimedBy: null,
      firstAttemptAt: null,
      progress: null,
    };
    try {
      await this.table.submitTransaction([
        ['create', toEntity(key, message)],
        ['create', toEntity(dueKey(message), message)],
      ]);
      return message as OutboxMessage<P>;
    } catch (error) {
      if (!isConflict(error)) throw error;
      const existing = await this.get(request.id);
      if (existing === null) throw error;
      // The id is the caller's idempotency key, so the stored payload is the caller's type.
      return existing as OutboxMessage<P>;
    }
  }

  async due(now: Date, limit: number): Promise<OutboxMessage[]> {
    if (limit <= 0) return [];
    // Due rows sort by time; everything before the next millisecond is due by now.
    const upTo = DUE_PREFIX + new Date(now.getTime() + 1).toISOString();
    const query = this.table.listEntities<Record<string, unknown>>({
      queryOptions: { filter: odata`PartitionKey eq ${PARTITION} and RowKey ge ${DUE_PREFIX} and RowKey lt ${upTo}` },
    });
    const messages: OutboxMessage[] = [];
    for await (const page of query.byPage({ maxPageSize: Math.min(limit, 1000) })) {
      for (const entity of page) {
        messages.push(fromEntity(entity));
        if (messages.length === limit) return messages;
      }
    }
    return messages;
  }

  async get(id: string): Promise<OutboxMessage | null> {
    return (await this.read(id))?.message ?? null;
  }

  async list(filter: { status?: OutboxStatus; kind?: string }): Promise<OutboxMessage[]> {
    // Reads every message row (filtered by the service): meant for operators and tests, not hot paths.
    let query = odata`PartitionKey eq ${PARTITION} and RowKey ge ${MESSAGE_PREFIX} and RowKey lt ${MESSAGE_END}`;
    if (filter.status !== undefined) query += odata` and status eq ${filter.status}`;
    if (filter.kind !== undefined) query += odata` and kind eq ${filter.kind}`;
    const messages: OutboxMessage[] = [];
    for await (const entity of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter: query } })) {
      messages.push(fromEntity(entity));
    }
    return messages.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  async claim(id: string, workerId: string, leaseMs: number): Promise<boolean> {
    const stored = await this.read(id);
    const now = this.clock();
    if (stored === null || stored.message.status !== 'pending' || Date.parse(stored.message.nextAttemptAt) > now.getTime()) {
      return false;
    }
    try {
      await this.write(stored, {
        ...stored.message,
        attempts: stored.message.attempts + 1,
        nextAttemptAt: new Date(now.getTime() + leaseMs).toISOString(),
        claimedBy: workerId,
        firstAttemptAt: stored.message.firstAttemptAt ?? now.toISOString(),
      });
      return true;
    } catch (error) {
      if (isConflict(error)) return false;
      throw error;
    }
  }

  async markDelivered(id: string, result: unknown): Promise<void> {
    const stored = fromJson(toJson(result ?? null, 'result'));
    // Also over a failure: a worker whose lease ran out may still have got the message through.
    await this.change(id, (message) => (message.status === 'delivered' ? null : { ...message, status: 'delivered', deliveredAt: this.clock().toISOString(), result: stored }));
  }

  async markRetry(id: string, error: string, nextAttemptAt: Date): Promise<void> {
    await this.change(id, (message) => (message.status !== 'pending' ? null : { ...message, lastError: truncate(error), nextAttemptAt: nextAttemptAt.toISOString() }));
  }

  async markFailed(id: string, error: string): Promise<void> {
    await this.change(id, (message) => (message.status !== 'pending' ? null : { ...message, status: 'failed', lastError: truncate(error) }));
  }

  async recordProgress(id: string, progress: unknown): Promise<void> {
    const stored = fromJson(toJson(progress ?? null, 'progress'));
    await this.change(id, (message) => (message.status !== 'pending' ? null : { ...message, progress: stored }));
  }

  /**
   * The messages that name the user by id or e-mail (in their id, payload,
   * error or result: their reminders, cards and digests addressed to them),
   * whatever their state. Deleting a pending one drops work that only mattered
   * to them or is made again where it still matters: a routed card by
   * resumeUndelivered at the next start, a follow-up reminder by the next pass.
   */
  personalData(): PersonalDataHolder<OutboxMessage> {
    return {
      kind: 'outboxMessages',
      tables: [this.table.tableName],
      findForUser: (user) => this.messagesNaming(user),
      deleteForUser: async (user) => {
        const removed: string[] = [];
        for (const message of await this.messagesNaming(user)) if (await this.remove(message.id)) removed.push(message.id);
        return removed;
      },
    };
  }

  /** Retention: deletes the messages delivered before `cutoff` (pending and failed ones stay); how many. */
  async deleteDeliveredBefore(cutoff: Date): Promise<number> {
    const filter = odata`PartitionKey eq ${PARTITION} and RowKey ge ${MESSAGE_PREFIX} and RowKey lt ${MESSAGE_END} and status eq ${'delivered'} and deliveredAt lt ${cutoff.toISOString()}`;
    let deleted = 0;
    for await (const entity of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter, select: ['id'] } })) {
      if (await this.remove(text(entity, 'id'), (message) => message.status === 'delivered')) deleted += 1;
    }
    return deleted;
  }

  private async messagesNaming(user: DataSubject): Promise<OutboxMessage[]> {
    const all = await this.list({});
    return all.filter((message) => namesUser(JSON.stringify([message.id, message.payload, message.lastError, message.result, message.progress]), user));
  }

  /** Deletes a message and its due row together, if `still` holds for it as it is now; whether it was deleted. */
  private async remove(id: string, still: (message: OutboxMessage) => boolean = () => true): Promise<boolean> {
    for (let attempt = 1; ; attempt += 1) {
      const stored = await this.read(id);
      if (stored === null || !still(stored.message)) return false;
      const actions: TransactionAction[] = [['delete', { partitionKey: PARTITION, rowKey: messageKey(id) }]];
      if (stored.message.status === 'pending') actions.push(['delete', { partitionKey: PARTITION, rowKey: dueKey(stored.message) }]);
      try {
        await this.table.submitTransaction(actions);
        return true;
      } catch (error) {
        // A claim moved the due row since the read (404): read again.
        if (!(isNotFound(error) || isConflict(error)) || attempt >= CONFLICT_RETRIES) throw error;
      }
    }
  }

  /** Applies `next` to the current message (null: leave it), re-reading when another writer got there first. */
  private async change(id: string, next: (message: OutboxMessage) => OutboxMessage | null): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      const stored = await this.read(id);
      if (stored === null) throw new Error(`There is no outbox message with id ${id}.`);
      const updated = next(stored.message);
      if (updated === null) return;
      try {
        await this.write(stored, updated);
        return;
      } catch (error) {
        if (!isConflict(error) || attempt >= CONFLICT_RETRIES) throw error;
      }
    }
  }

  private async read(id: string): Promise<Stored | null> {
    try {
      const entity = await this.table.getEntity<Record<string, unknown>>(PARTITION, messageKey(id));
      return { message: fromEntity(entity), etag: entity.etag };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  /** Replaces the message row if unchanged since read, and moves its due row, atomically. */
  private async write(previous: Stored, next: OutboxMessage): Promise<void> {
    const oldDue = previous.message.status === 'pending' ? dueKey(previous.message) : null;
    const newDue = next.status === 'pending' ? dueKey(next) : null;
    const actions: TransactionAction[] = [['update', toEntity(messageKey(next.id), next), 'Replace', { etag: previous.etag }]];
    if (oldDue !== null && oldDue !== newDue) actions.push(['delete', { partitionKey: PARTITION, rowKey: oldDue }]);
    if (newDue !== null) {
      actions.push(newDue === oldDue ? ['update', toEntity(newDue, next), 'Replace'] : ['create', toEntity(newDue, next)]);
    }
    await this.table.submitTransaction(actions);
  }
}

function messageKey(id: string): string {
  const key = safeKey(id);
  if (key === '') throw new Error('An outbox message needs an id.');
  if (key.length > MAX_ID_KEY_CHARS) throw new Error(`The outbox message id is too long (${key.length} characters once encoded; at most ${MAX_ID_KEY_CHARS}).`);
  return MESSAGE_PREFIX + key;
}

/** ISO timestamps have a fixed width (years 0–9999), so text order is time order. */
function dueKey(message: OutboxMessage): string {
  return `${DUE_PREFIX}${message.nextAttemptAt}|${safeKey(message.id)}`;
}

type JsonProperty = 'payload' | 'result' | 'progress';

function toJson(value: unknown, what: JsonProperty): string {
  const json: unknown = JSON.stringify(value);
  if (typeof json !== 'string') throw new Error(`The outbox message ${what} cannot be written as JSON.`);
  if (json.length > MAX_JSON_CHARS) throw new OutboxPayloadTooLargeError(what, json.length);
  return json;
}

function fromJson(json: string): unknown {
  return JSON.parse(json);
}

function truncate(error: string): string {
  return error.length > MAX_ERROR_CHARS ? `${error.slice(0, MAX_ERROR_CHARS - 1)}…` : error;
}

function toEntity(rowKey: string, message: OutboxMessage): MessageEntity {
  return {
    partitionKey: PARTITION,
    rowKey,
    id: message.id,
    kind: message.kind,
    payload: JSON.stringify(message.payload),
    status: message.status,
    attempts: message.attempts,
    nextAttemptAt: message.nextAttemptAt,
    createdAt: message.createdAt,
    // Table Storage has no nulls: absent properties stand for them.
    ...(message.lastError !== null && { lastError: message.lastError }),
    ...(message.deliveredAt !== null && { deliveredAt: message.deliveredAt }),
    ...(message.result !== null && { result: JSON.stringify(message.result) }),
    ...(message.claimedBy !== null && { claimedBy: message.claimedBy }),
    ...(message.firstAttemptAt !== null && { firstAttemptAt: message.firstAttemptAt }),
    ...(message.progress !== null && { progress: JSON.stringify(message.progress) }),
  };
}

function fromEntity(entity: Record<string, unknown>): OutboxMessage {
  const status = text(entity, 'status');
  if (status !== 'pending' && status !== 'delivered' && status !== 'failed') {
    throw new Error(`Stored outbox message has an unknown status: ${status}.`);
  }
  const attempts = entity.attempts;
  if (typeof attempts !== 'number') throw new Error('Stored outbox message lacks its attempt count.');
  const result = optionalText(entity, 'result');
  const progress = optionalText(entity, 'progress');
  return {
    id: text(entity, 'id'),
    kind: text(entity, 'kind'),
    payload: fromJson(text(entity, 'payload')),
    status,
    attempts,
    nextAttemptAt: text(entity, 'nextAttemptAt'),
    lastError: optionalText(entity, 'lastError'),
    createdAt: text(entity, 'createdAt'),
    deliveredAt: optionalText(entity, 'deliveredAt'),
    result: result === null ? null : fromJson(result),
    claimedBy: optionalText(entity, 'claimedBy'),
    firstAttemptAt: optionalText(entity, 'firstAttemptAt'),
    progress: progress === null ? null : fromJson(progress),
  };
}

function text(entity: Record<string, unknown>, key: string): string {
  const value = entity[key];
  if (typeof value !== 'string') throw new Error(`Stored outbox message lacks text property ${key}.`);
  return value;
}

function optionalText(entity: Record<string, unknown>, key: string): string | null {
  return entity[key] === undefined || entity[key] === null ? null : text(entity, key);
}
