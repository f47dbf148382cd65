import { TableClient, type TableEntityResult } from '@azure/data-tables';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import { BatchedUpserts } from '../../src/storage/batchedUpserts';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';

/** A table client that counts the requests it makes. */
async function countingTable(): Promise<{ table: TableClient; requests: () => number }> {
  let requests = 0;
  const counting: PipelinePolicy = {
    name: 'countRequests',
    sendRequest: (request, next) => {
      requests += 1;
      return next(request);
    },
  };
  const table = TableClient.fromConnectionString(testConnectionString(), `${uniqueTablePrefix('batch')}rows`, {
    allowInsecureConnection: true,
    additionalPolicies: [{ policy: counting, position: 'perCall' }],
  });
  await table.createTable();
  const before = requests;
  return { table, requests: () => requests - before };
}

async function rows(table: TableClient): Promise<Array<TableEntityResult<{ n: number }>>> {
  const found: Array<TableEntityResult<{ n: number }>> = [];
  for await (const entity of table.listEntities<{ n: number }>()) found.push(entity);
  return found;
}

describe('BatchedUpserts', () => {
  it('writes what is handed over in the same moment as one transaction per partition, and each writer learns when it is stored', async () => {
    const { table, requests } = await countingTable();
    const writes = new BatchedUpserts(table, 20);
    const written = Array.from({ length: 30 }, (_, n) => writes.upsert({ partitionKey: `p${n % 2}`, rowKey: `r${n}`, n }));
    await Promise.all(written);
    expect(requests()).toBe(2);
    expect(await rows(table)).toHaveLength(30);
  });

  it('writes only the last of several writes of a row, and tells every writer', async () => {
    const { table, requests } = await countingTable();
    const writes = new BatchedUpserts(table, 20);
    await Promise.all([1, 2, 3].map((n) => writes.upsert({ partitionKey: 'p', rowKey: 'r', n })));
    expect(requests()).toBe(1);
    expect((await rows(table)).map((row) => row.n)).toEqual([3]);
  });

  it('rejects the writers of a failed transaction, and writes the other partitions', async () => {
    const { table } = await countingTable();
    const writes = new BatchedUpserts(table, 20);
    // A row key with '/' is not allowed: the partition's transaction fails as a whole.
    const failing = [writes.upsert({ partitionKey: 'bad', rowKey: 'a/b', n: 1 }), writes.upsert({ partitionKey: 'bad', rowKey: 'fine', n: 2 })];
    const good = writes.upsert({ partitionKey: 'good', rowKey: 'r', n: 3 });
    for (const write of failing) await expect(write).rejects.toBeTruthy();
    await good;
    expect((await rows(table)).map((row) => row.n)).toEqual([3]);
  });

  it('drops rows not yet written when asked (their writers resolve), and writes what waits when flushed, without waiting for the delay', async () => {
    const { table } = await countingTable();
    const writes = new BatchedUpserts(table, 60_000);
    const dropped = writes.upsert({ partitionKey: 'p', rowKey: 'deleted-user', n: 1 });
    const kept = writes.upsert({ partitionKey: 'p', rowKey: 'other-user', n: 2 });
    writes.discardWhere((entity) => entity.rowKey === 'deleted-user');
    await dropped;
    const flushing = writes.flush();
    await kept;
    await flushing;
    expect((await rows(table)).map((row) => row.rowKey)).toEqual(['other-user']);
  });
});
