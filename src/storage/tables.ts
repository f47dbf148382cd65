import { TableClient, TableServiceClient, RestError, type TableServiceClientOptions, type TransactionAction } from '@azure/data-tables';
import type { TokenCredential } from '@azure/identity';

/**
 * Where the tables are: a connection string (Azurite, or an account key), or
 * an account's table endpoint reached with an Entra ID credential (the web
 * app's managed identity in Azure, where the account has no keys).
 */
export type TableStorage = string | TableEndpoint;

export interface TableEndpoint {
  /** e.g. https://okonomilonnst.table.core.windows.net/ */
  endpoint: string;
  credential: TokenCredential;
  /** Client options for tests (a test certificate authority); production needs none. */
  clientOptions?: TableServiceClientOptions;
}

/** Opens a table, creating it when missing. Loopback http is allowed so Azurite works. */
export async function openTable(storage: TableStorage, tableName: string): Promise<TableClient> {
  const client =
    typeof storage === 'string'
      ? TableClient.fromConnectionString(storage, tableName, { allowInsecureConnection: isLoopbackHttp(storage) })
      : new TableClient(storage.endpoint, tableName, storage.credential, storage.clientOptions);
  try {
    await client.createTable();
  } catch (error) {
    if (!(error instanceof RestError && error.statusCode === 409)) throw error;
  }
  return client;
}

export function tableService(storage: TableStorage): TableServiceClient {
  return typeof storage === 'string'
    ? TableServiceClient.fromConnectionString(storage, { allowInsecureConnection: isLoopbackHttp(storage) })
    : new TableServiceClient(storage.endpoint, storage.credential, storage.clientOptions);
}

function isLoopbackHttp(connectionString: string): boolean {
  return /Endpoint=http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/i.test(connectionString) || /UseDevelopmentStorage=true/i.test(connectionString);
}

export function isNotFound(error: unknown): boolean {
  return error instanceof RestError && error.statusCode === 404;
}

export function isConflict(error: unknown): boolean {
  return error instanceof RestError && (error.statusCode === 409 || error.statusCode === 412);
}

/**
 * A row or partition key for arbitrary text. Keys may not contain / \\ # ? %
 * or control characters; Teams ids and unit codes can contain some of them.
 * Percent-encoding (with '~' encoded too, so the mapping stays one-to-one) and
 * then writing '%' as '~' gives a safe, reversible key.
 */
export function safeKey(text: string): string {
  return encodeURIComponent(text).replace(/~/g, '%7E').replace(/%/g, '~');
}

/** Whether a failed transaction (or write) lost to another writer: the row exists already, or its etag moved on. */
export function isTransactionConflict(error: unknown): boolean {
  if (isConflict(error)) return true;
  const status = (error as { statusCode?: number } | null)?.statusCode;
  return status === 409 || status === 412 || /EntityAlreadyExists|UpdateConditionNotSatisfied/.test(String((error as Error | null)?.message ?? ''));
}

/** An entity, or null when there is none. */
export async function getEntityOrNull<T extends object>(table: TableClient, partitionKey: string, rowKey: string): Promise<(T & { etag: string }) | null> {
  try {
    return await table.getEntity<T>(partitionKey, rowKey);
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/** Deletes a row; false when there was none. */
export async function deleteEntityIfExists(table: TableClient, partitionKey: string, rowKey: string): Promise<boolean> {
  try {
    await table.deleteEntity(partitionKey, rowKey);
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

/** Table Storage's limit of operations in one transaction. */
export const MAX_TRANSACTION_OPERATIONS = 100;

/**
 * Consecutive actions (all of one partition) in transactions within Table
 * Storage's limits: at most 100 operations, and a payload kept under
 * `maxChars` of JSON (the service allows 4 MiB; callers leave room for the envelope).
 */
export function transactionBatches(actions: readonly TransactionAction[], maxChars: number): TransactionAction[][] {
  const batches: TransactionAction[][] = [];
  let batch: TransactionAction[] = [];
  let chars = 0;
  for (const action of actions) {
    const size = JSON.stringify(action[1]).length;
    if (batch.length === MAX_TRANSACTION_OPERATIONS || (batch.length > 0 && chars + size > maxChars)) {
      batches.push(batch);
      batch = [];
      chars = 0;
    }
    batch.push(action);
    chars += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}
