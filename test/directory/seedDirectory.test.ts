import { describe, expect, it } from 'vitest';
import { TableDirectoryStore, type DirectoryStore } from '../../src/directory/directoryStore';
import { InvalidSampleDirectoryError, ensureSeeded, findRepositoryRoot, sampleDirectoryFolder } from '../../src/directory/seedDirectory';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';
import { fixtureFolder } from './fixtures';
import path from 'node:path';

/** A store that counts replace calls, to see that seeding writes only once. */
function countingReplaces(store: DirectoryStore): { store: DirectoryStore; replaces: () => number } {
  let count = 0;
  return {
    store: {
      current: () => store.current(),
      currentVersion: () => store.currentVersion(),
      replace: (...args) => {
        count += 1;
        return store.replace(...args);
      },
    },
    replaces: () => count,
  };
}

async function emptyStore(): Promise<TableDirectoryStore> {
  return TableDirectoryStore.open(testConnectionString(), uniqueTablePrefix('seed'));
}

describe('ensureSeeded', () => {
  it('finds the shipped sample from the repository root', () => {
    expect(sampleDirectoryFolder()).toBe(path.join(findRepositoryRoot(), 'data', 'sample-directory'));
    expect(findRepositoryRoot()).toBe(path.resolve(__dirname, '..', '..'));
  });

  it('seeds an empty store with the sample once, and not again', async () => {
    const { store, replaces } = countingReplaces(await emptyStore());
    const seeded = await ensureSeeded(store);
    expect(seeded.directory.people).toHaveLength(115);
    expect(seeded.source).toBe(sampleDirectoryFolder());
    const again = await ensureSeeded(store);
    expect(again.version).toBe(seeded.version);
    expect(replaces()).toBe(1);
  });

  it('lets instances that start together agree on one seeded version', async () => {
    const store = await emptyStore();
    const [first, second] = await Promise.all([ensureSeeded(store), ensureSeeded(store)]);
    expect(first.version).toBe(second.version);
    expect(await store.currentVersion()).toBe(first.version);
  });

  it('leaves an imported directory alone', async () => {
    const store = await emptyStore();
    const imported = await ensureSeeded(store, fixtureFolder({ 'people.csv': (text) => text.split('\n').slice(0, 3).join('\n') }));
    const { store: counted, replaces } = countingReplaces(store);
    expect((await ensureSeeded(counted)).version).toBe(imported.version);
    expect(replaces()).toBe(0);
  });

  it('fails loudly when the sample has problems, and writes nothing', async () => {
    const store = await emptyStore();
    const broken = fixtureFolder({ 'units.csv': (text) => text.replace('IAP,AD,', 'IAP,XX,') });
    const failure = await ensureSeeded(store, broken).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(InvalidSampleDirectoryError);
    expect((failure as InvalidSampleDirectoryError).problems).toContainEqual({
      file: 'units.csv',
      line: 10,
      code: 'unknown-parent-unit',
      params: { value: 'XX', suggestion: null },
    });
    expect((failure as Error).message).toMatch(/units\.csv:10: unknown-parent-unit \{"value":"XX","suggestion":null\}/);
    expect(await store.current()).toBeNull();
  });
});
