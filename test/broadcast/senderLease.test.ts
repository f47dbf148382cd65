import { TableClient } from '@azure/data-tables';
import { describe, expect, it } from 'vitest';
import { TableSenderLease } from '../../src/broadcast/senderLease';
import { fakeClock } from '../delivery/support';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';

async function twoInstances() {
  const clock = fakeClock();
  const tableName = uniqueTablePrefix('lease');
  const open = () => TableSenderLease.open(testConnectionString(), tableName, { clock: clock.now });
  return { clock, tableName, one: await open(), two: await open() };
}

describe('TableSenderLease', () => {
  it('goes to the first instance that asks, and is renewed by it while the others are refused', async () => {
    const { clock, one, two } = await twoInstances();
    expect(await one.acquire('one', 30_000)).toEqual(clock.at(30_000));
    expect(await two.acquire('two', 30_000)).toBeNull();
    clock.advance(10_000);
    expect(await one.acquire('one', 30_000)).toEqual(clock.at(30_000));
    clock.advance(29_000);
    // Renewed ten seconds in: still held 39 s after it was first taken.
    expect(await two.acquire('two', 30_000)).toBeNull();
    expect(await two.current()).toEqual({ holder: 'one', expiresAt: clock.at(1000) });
  });

  it('passes to another instance once its holder stops renewing and it runs out', async () => {
    const { clock, one, two } = await twoInstances();
    await one.acquire('one', 30_000);
    clock.advance(29_999);
    expect(await two.acquire('two', 30_000)).toBeNull();
    clock.advance(1);
    expect(await two.acquire('two', 30_000)).toEqual(clock.at(30_000));
    // The old holder, come back, finds it taken.
    expect(await one.acquire('one', 30_000)).toBeNull();
  });

  it('goes to exactly one of several instances asking at once', async () => {
    const { tableName } = await twoInstances();
    const instances = await Promise.all(Array.from({ length: 6 }, () => TableSenderLease.open(testConnectionString(), tableName)));
    const granted = await Promise.all(instances.map((lease, index) => lease.acquire(`instance-${index}`, 30_000)));
    expect(granted.filter((expiry) => expiry !== null)).toHaveLength(1);
    // And once it ran out, again to exactly one.
    const later = fakeClock('2100-01-01T00:00:00.000Z');
    const reopened = await Promise.all(Array.from({ length: 6 }, () => TableSenderLease.open(testConnectionString(), tableName, { clock: later.now })));
    const regranted = await Promise.all(reopened.map((lease, index) => lease.acquire(`late-${index}`, 30_000)));
    expect(regranted.filter((expiry) => expiry !== null)).toHaveLength(1);
  });

  it('is free for others at once when its holder releases it, and only its holder can', async () => {
    const { clock, one, two } = await twoInstances();
    await one.acquire('one', 30_000);
    await two.release('two');
    expect(await two.acquire('two', 30_000)).toBeNull();
    await one.release('one');
    // On record as expiring at the release, so the next holder knows when the last one stopped.
    expect(await one.current()).toEqual({ holder: 'one', expiresAt: clock.at(0) });
    expect(await two.acquire('two', 30_000)).not.toBeNull();
    // Releasing what is not held (any more) is harmless.
    await one.release('one');
    expect((await two.current())?.holder).toBe('two');
  });

  it('does not release a lease renewed since it was read', async () => {
    const { clock, tableName, one } = await twoInstances();
    await one.acquire('one', 30_000);
    // Another writer renews the row between the read and the write of a release: the etag refuses the write.
    const table = TableClient.fromConnectionString(testConnectionString(), tableName, { allowInsecureConnection: true });
    const original = table.getEntity.bind(table);
    let renewed = false;
    const racing = await TableSenderLease.open(testConnectionString(), tableName, { clock: clock.now });
    Object.assign(racing as unknown as { table: TableClient }, {
      table: Object.assign(Object.create(table) as TableClient, {
        getEntity: async (...args: Parameters<TableClient['getEntity']>) => {
          const entity = await original(...args);
          if (!renewed) {
            renewed = true;
            await one.acquire('one', 60_000);
          }
          return entity;
        },
      }),
    });
    await racing.release('one');
    expect((await one.current())?.expiresAt).toEqual(clock.at(60_000));
  });

  it('refuses a holder without a name, and a malformed row', async () => {
    const { tableName, one } = await twoInstances();
    await expect(one.acquire('', 30_000)).rejects.toThrow(/needs a name/);
    const table = TableClient.fromConnectionString(testConnectionString(), tableName, { allowInsecureConnection: true });
    await table.upsertEntity({ partitionKey: 'lease', rowKey: 'broadcast-sender', holder: 7 });
    await expect(one.current()).rejects.toThrow(/malformed/);
  });
});
