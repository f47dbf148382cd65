import { odata } from '@azure/data-tables';
import { beforeAll, describe, expect, it } from 'vitest';
import { DirectoryConflictError, TableDirectoryStore } from '../../src/directory/directoryStore';
import { readDirectorySource } from '../../src/directory/import/readDirectorySource';
import { validateDirectory } from '../../src/directory/import/validateDirectory';
import type { Directory } from '../../src/directory/model';
import { openTable } from '../../src/storage/tables';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';
import { SAMPLE_FOLDER, withGeneratedPeople } from './fixtures';

let sample: Directory;

beforeAll(async () => {
  const result = validateDirectory(await readDirectorySource(SAMPLE_FOLDER));
  if (!result.ok) throw new Error('sample directory does not validate');
  sample = result.directory;
});

async function newStore(): Promise<{ store: TableDirectoryStore; tableName: string }> {
  const tableName = uniqueTablePrefix('dir');
  return { store: await TableDirectoryStore.open(testConnectionString(), tableName), tableName };
}

/** Every partition in the table with its row count, to see which versions' rows exist. */
async function partitions(tableName: string): Promise<Map<string, number>> {
  const table = await openTable(testConnectionString(), tableName);
  const counts = new Map<string, number>();
  for await (const entity of table.listEntities({ queryOptions: { select: ['PartitionKey'] } })) {
    const key = entity.partitionKey ?? '';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function expectedPartitions(version: string, directory: Directory): Map<string, number> {
  return new Map([
    ['meta', 1],
    [`v${version}-units`, directory.units.length],
    [`v${version}-processes`, directory.processes.length],
    [`v${version}-roles`, directory.roles.length],
    [`v${version}-people`, directory.people.length],
    [`v${version}-contactPoints`, directory.contactPoints.length],
  ]);
}

describe('TableDirectoryStore', () => {
  it('is empty before the first import', async () => {
    const { store } = await newStore();
    expect(await store.current()).toBeNull();
    expect(await store.currentVersion()).toBeNull();
  });

  it('round-trips the sample directory, order and nulls included', async () => {
    const { store } = await newStore();
    const snapshot = await store.replace(sample, 'data/sample-directory');
    expect(await store.currentVersion()).toBe(snapshot.version);
    const current = await store.current();
    expect(current).toEqual({ version: snapshot.version, importedAt: snapshot.importedAt, source: 'data/sample-directory', directory: sample });
  });

  it('round-trips process and role descriptions, empty ones and æøå included', async () => {
    const { store } = await newStore();
    const edited: Directory = {
      ...sample,
      processes: sample.processes.map((process, index) =>
        index === 0 ? { ...process, descriptionNb: '', descriptionEn: '' } : { ...process, descriptionNb: `${process.descriptionNb} Æ, ø og å.` },
      ),
      roles: sample.roles.map((role, index) => (index === 0 ? { ...role, descriptionNb: '' } : role)),
    };
    await store.replace(edited, 'edited');
    const current = await store.current();
    expect(current?.directory.processes).toEqual(edited.processes);
    expect(current?.directory.roles).toEqual(edited.roles);
    expect(current?.directory.processes.find((process) => process.code === 'LONN')?.descriptionEn).toContain('Tjenestesenteret');
  });

  it("loads process and role rows stored before descriptions existed, with '' for them", async () => {
    const { store, tableName } = await newStore();
    const snapshot = await store.replace(sample, 'sample');
    // Rewrite the stored rows as an older version of the app wrote them: without the description properties.
    const table = await openTable(testConnectionString(), tableName);
    const withoutDescriptions = { processes: ['descriptionNb', 'descriptionEn'], roles: ['descriptionNb'] };
    for (const [file, properties] of Object.entries(withoutDescriptions)) {
      const partition = `v${snapshot.version}-${file}`;
      for await (const entity of table.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${partition}` } })) {
        const { etag: _etag, timestamp: _timestamp, ...rest } = entity;
        for (const property of properties) delete rest[property];
        await table.updateEntity({ ...rest, partitionKey: partition, rowKey: entity.rowKey ?? '' }, 'Replace');
      }
    }
    const current = await store.current();
    expect(current?.directory.processes).toEqual(sample.processes.map((process) => ({ ...process, descriptionNb: '', descriptionEn: '' })));
    expect(current?.directory.roles).toEqual(sample.roles.map((role) => ({ ...role, descriptionNb: '' })));
  });

  it('replaces the directory and removes the old version rows', async () => {
    const { store, tableName } = await newStore();
    const first = await store.replace(sample, 'first');
    const smaller = { ...sample, people: sample.people.slice(10) };
    const second = await store.replace(smaller, 'second');
    expect(second.version).not.toBe(first.version);
    expect((await store.current())?.directory).toEqual(smaller);
    expect(await partitions(tableName)).toEqual(expectedPartitions(second.version, smaller));
  });

  it('never reads rows of other versions, such as a crashed import leftover', async () => {
    const { store, tableName } = await newStore();
    const snapshot = await store.replace(sample, 'sample');
    const table = await openTable(testConnectionString(), tableName);
    await table.createEntity({ partitionKey: 'v00000000T000000000Z-deadbeef-people', rowKey: '0000000', role: 'x', unit: 'y', name: 'Ghost', email: 'ghost@ntnu.example' });
    await table.createEntity({ partitionKey: `v${snapshot.version}x-people`, rowKey: '0000000', role: 'x', unit: 'y', name: 'Ghost', email: 'ghost@ntnu.example' });
    expect((await store.current())?.directory).toEqual(sample);
  });

  it('refuses to return a version whose rows are incomplete', async () => {
    const { store, tableName } = await newStore();
    const snapshot = await store.replace(sample, 'sample');
    const table = await openTable(testConnectionString(), tableName);
    await table.deleteEntity(`v${snapshot.version}-people`, '0000003');
    await expect(store.current()).rejects.toThrow(/incomplete/);
  });

  it('changes nothing when writing the new version fails', async () => {
    const { store, tableName } = await newStore();
    const snapshot = await store.replace(sample, 'sample');
    // Table Storage rejects string properties over 64 KiB: the write fails after other rows went in.
    const tooLarge = { ...sample, roles: sample.roles.map((role, index) => (index === 5 ? { ...role, descriptionEn: 'x'.repeat(40_000) } : role)) };
    await expect(store.replace(tooLarge, 'too large')).rejects.toThrow();
    expect(await store.currentVersion()).toBe(snapshot.version);
    expect((await store.current())?.directory).toEqual(sample);
    expect(await partitions(tableName)).toEqual(expectedPartitions(snapshot.version, sample));
  });

  it('lets concurrent imports not interleave: the pointer ends on one complete version', async () => {
    const { store, tableName } = await newStore();
    await store.replace(sample, 'initial');
    const directories = [0, 1, 2, 3].map((index) => withGeneratedPeople(sample, 150 + index * 10, `c${index}`));
    const results = await Promise.allSettled(directories.map((directory, index) => store.replace(directory, `import ${index}`)));

    const fulfilled = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    const rejected = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
    // All four read the pointer before any of them could flip it, so one wins and the others conflict.
    expect(fulfilled.length).toBeGreaterThanOrEqual(1);
    expect(rejected.length).toBeGreaterThanOrEqual(1);
    for (const reason of rejected) expect(reason).toBeInstanceOf(DirectoryConflictError);

    const current = await store.current();
    const winner = fulfilled.find((snapshot) => snapshot.version === current?.version);
    expect(winner).toBeDefined();
    expect(current?.directory).toEqual(winner?.directory);
    // Losers removed their rows, and displaced winners were removed by their successors.
    expect(await partitions(tableName)).toEqual(expectedPartitions(current?.version ?? '', current!.directory));
  });

  it('refuses to replace a version other than the expected one', async () => {
    const { store } = await newStore();
    const snapshot = await store.replace(sample, 'first');
    await expect(store.replace(sample, 'second', { expectedVersion: null })).rejects.toBeInstanceOf(DirectoryConflictError);
    await expect(store.replace(sample, 'second', { expectedVersion: 'some-other-version' })).rejects.toBeInstanceOf(DirectoryConflictError);
    expect(await store.currentVersion()).toBe(snapshot.version);
    const next = await store.replace(sample, 'second', { expectedVersion: snapshot.version });
    expect(await store.currentVersion()).toBe(next.version);
  });

  it('round-trips 10,000 people', async () => {
    const { store, tableName } = await newStore();
    const large = withGeneratedPeople(sample, 10_000);
    const written = performance.now();
    const snapshot = await store.replace(large, 'generated');
    const read = performance.now();
    const current = await store.current();
    const done = performance.now();
    const replacedAgain = await store.replace(large, 'generated again');
    const replacedAgainDone = performance.now();
    console.log(
      `10,000 people on Azurite: first replace ${Math.round(read - written)} ms, current() ${Math.round(done - read)} ms, ` +
        `replace over it (write + delete old) ${Math.round(replacedAgainDone - done)} ms`,
    );
    expect(current?.version).toBe(snapshot.version);
    expect(current?.directory).toEqual(large);
    expect(await partitions(tableName)).toEqual(expectedPartitions(replacedAgain.version, large));
  });
});
