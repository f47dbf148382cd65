import { beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/actor';
import { TableDirectoryStore, type DirectorySnapshot } from '../../src/directory/directoryStore';
import { DirectoryImport, OPERATOR } from '../../src/directory/import/directoryImport';
import { readDirectorySource } from '../../src/directory/import/readDirectorySource';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';
import { SAMPLE_FOLDER, appendRows, fixtureFolder } from './fixtures';

const COORDINATOR: Actor = { id: 'ida', name: 'Ida Koordinator', email: 'ida.koordinator@ntnu.example' };
const OUTSIDER: Actor = { id: 'ola', name: 'Ola Utenfor', email: 'ola.utenfor@ntnu.example' };

describe('the directory import, with Azurite', () => {
  let store: TableDirectoryStore;
  let imports: DirectoryImport;
  let opened: number;
  let replaced: DirectorySnapshot[];

  beforeEach(async () => {
    store = await TableDirectoryStore.open(testConnectionString(), `${uniqueTablePrefix('dimp')}directory`);
    opened = 0;
    replaced = [];
    imports = new DirectoryImport({
      store: async () => {
        opened += 1;
        return store;
      },
      mayImport: (actor) => actor.id === COORDINATOR.id,
      onReplaced: async (snapshot) => replaced.push(snapshot),
    });
  });

  const sample = () => readDirectorySource(SAMPLE_FOLDER);
  /** The sample with one unit more. */
  const withNewUnit = () => readDirectorySource(fixtureFolder({ 'units.csv': (text) => appendRows(text, 'IDI-X,IE,department,Ny avdeling,New department,') }));
  const broken = () => readDirectorySource(fixtureFolder({ 'units.csv': (text) => appendRows(text, 'IDI-Y,NOSUCH,department,Foreldreløs,Orphan,') }));

  it('previews a first import, applies it on the version previewed, and tells the instance', async () => {
    const preview = await imports.preview(COORDINATOR, await sample());
    expect(preview).toMatchObject({ kind: 'preview', baseVersion: null, firstImport: true, unchanged: false });
    expect(preview.kind === 'preview' ? preview.diff.units.added : 0).toBeGreaterThan(0);
    const applied = await imports.apply(COORDINATOR, await sample(), null, 'tab upload by ida.koordinator@ntnu.example');
    expect(applied.kind).toBe('applied');
    const current = await store.current();
    expect(current).toMatchObject({ source: 'tab upload by ida.koordinator@ntnu.example' });
    expect(applied.kind === 'applied' ? applied.snapshot.version : null).toBe(current?.version);
    expect(replaced.map((snapshot) => snapshot.version)).toEqual([current?.version]);
  });

  it('previews what a file changes against the current version, and that the same file changes nothing', async () => {
    await imports.apply(OPERATOR, await sample(), null, 'sample');
    const version = await store.currentVersion();
    expect(await imports.preview(COORDINATOR, await sample())).toMatchObject({ kind: 'preview', baseVersion: version, firstImport: false, unchanged: true });
    const changed = await imports.preview(COORDINATOR, await withNewUnit());
    expect(changed).toMatchObject({ kind: 'preview', baseVersion: version, unchanged: false, diff: { units: { added: 1, removed: 0 } } });
  });

  it('refuses to apply on a version another import has replaced, and changes nothing', async () => {
    await imports.apply(OPERATOR, await sample(), null, 'sample');
    const preview = await imports.preview(COORDINATOR, await withNewUnit());
    const base = preview.kind === 'preview' ? preview.baseVersion : 'none';
    await imports.apply(OPERATOR, await sample(), base, 'another import first');
    const latest = await store.currentVersion();
    replaced = [];
    expect(await imports.apply(COORDINATOR, await withNewUnit(), base, 'tab upload')).toEqual({ kind: 'refused', code: 'conflict' });
    expect(await store.currentVersion()).toBe(latest);
    expect(replaced).toEqual([]);
  });

  it('answers a file with problems with every problem, without opening storage, and applies nothing', async () => {
    const preview = await imports.preview(COORDINATOR, await broken());
    expect(preview.kind).toBe('invalid');
    expect(preview.kind === 'invalid' ? preview.problems.map((problem) => problem.code) : []).toContain('unknown-parent-unit');
    expect(opened).toBe(0);
    expect((await imports.apply(COORDINATOR, await broken(), null, 'tab upload')).kind).toBe('invalid');
    expect(opened).toBe(0);
    expect(await store.current()).toBeNull();
  });

  it('refuses anyone but a coordinator, before reading anything, and lets the operator of the import command import', async () => {
    expect(await imports.preview(OUTSIDER, await sample())).toEqual({ kind: 'refused', code: 'not-coordinator' });
    expect(await imports.apply(OUTSIDER, await sample(), null, 'tab upload')).toEqual({ kind: 'refused', code: 'not-coordinator' });
    expect(opened).toBe(0);
    expect(await store.current()).toBeNull();
    expect((await imports.apply(OPERATOR, await sample(), null, '/data/katalog')).kind).toBe('applied');
  });
});
