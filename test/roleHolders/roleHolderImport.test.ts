import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/actor';
import { OPERATOR } from '../../src/directory/import/directoryImport';
import { readSingleTableSource } from '../../src/directory/import/readDirectorySource';
import { ROLE_HOLDER_SHEET } from '../../src/roleHolders/model';
import { RoleHolderImport } from '../../src/roleHolders/roleHolderImport';
import { TableRoleHolderStore } from '../../src/roleHolders/roleHolderStore';
import type { KnownCodes } from '../../src/roleHolders/validateRoleHolders';
import { tempFolder } from '../directory/fixtures';
import { seededDirectoryIndex } from '../support/seededDirectory';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';

const COORDINATOR: Actor = { id: 'ida', name: 'Ida Koordinator', email: 'ida.koordinator@ntnu.example' };
const OUTSIDER: Actor = { id: 'ola', name: 'Ola Utenfor', email: 'ola.utenfor@ntnu.example' };

function listFile(...rows: string[]) {
  const file = path.join(tempFolder(), 'roller.csv');
  writeFileSync(file, ['email,name,role,unit,process', ...rows].join('\n'));
  return readSingleTableSource(file, ROLE_HOLDER_SHEET);
}

const LIVE = 'live.hagen@ntnu.example,Live Hagen,prosjektokonom,IHB,PROSJ';
const NEW_PERSON = 'ny.person@ntnu.example,Ny Person,innkjoper,IDI,BTB';

describe('the role-holder import, with Azurite', () => {
  let store: TableRoleHolderStore;
  let known: KnownCodes | null;
  let imports: RoleHolderImport;

  beforeEach(async () => {
    store = await TableRoleHolderStore.open(testConnectionString(), `${uniqueTablePrefix('rhimp')}roleholders`);
    const index = await seededDirectoryIndex();
    known = { units: index.directory.units.map((unit) => unit.code), processes: index.directory.processes.map((process) => process.code) };
    imports = new RoleHolderImport({ store, knownCodes: async () => known, mayImport: (actor) => actor.id === COORDINATOR.id });
  });

  it('previews a first list, applies it on the version previewed, then previews what the next one changes', async () => {
    expect(await imports.preview(COORDINATOR, await listFile(LIVE))).toMatchObject({
      kind: 'preview',
      baseVersion: null,
      firstImport: true,
      unchanged: false,
      holders: [{ email: 'live.hagen@ntnu.example' }],
    });
    const applied = await imports.apply(COORDINATOR, await listFile(LIVE), null, 'tab upload by ida.koordinator@ntnu.example');
    expect(applied).toMatchObject({ kind: 'applied', snapshot: { source: 'tab upload by ida.koordinator@ntnu.example' } });
    const version = (await store.current())?.version;
    expect(await imports.preview(COORDINATOR, await listFile(LIVE))).toMatchObject({ kind: 'preview', baseVersion: version, firstImport: false, unchanged: true });
    const next = await imports.preview(COORDINATOR, await listFile(LIVE, NEW_PERSON));
    expect(next).toMatchObject({ kind: 'preview', unchanged: false, diff: { added: [{ email: 'ny.person@ntnu.example' }], removed: [], changed: [] } });
  });

  it('refuses to apply on a version another import has replaced, and changes nothing', async () => {
    await imports.apply(OPERATOR, await listFile(LIVE), null, 'first');
    const base = (await store.current())?.version ?? null;
    await imports.apply(OPERATOR, await listFile(NEW_PERSON), base, 'another import first');
    const latest = await store.current();
    expect(await imports.apply(COORDINATOR, await listFile(LIVE, NEW_PERSON), base, 'tab upload')).toEqual({ kind: 'refused', code: 'conflict' });
    expect((await store.current())?.version).toBe(latest?.version);
  });

  it('answers a list with problems with every problem, checked against the directory, and applies nothing', async () => {
    const bad = () => listFile(LIVE, 'feil,Per Feil,innkjoper,NOWHERE,BTB');
    const preview = await imports.preview(COORDINATOR, await bad());
    expect(preview.kind === 'invalid' ? preview.problems.map((problem) => [problem.line, problem.code]) : preview).toEqual([
      [3, 'invalid-email'],
      [3, 'unknown-unit'],
    ]);
    expect((await imports.apply(COORDINATOR, await bad(), null, 'tab upload')).kind).toBe('invalid');
    expect(await store.current()).toBeNull();
  });

  it('asks for the directory first when there is none, and stores nothing', async () => {
    known = null;
    expect(await imports.preview(OPERATOR, await listFile(LIVE))).toEqual({ kind: 'refused', code: 'no-directory' });
    expect(await imports.apply(OPERATOR, await listFile(LIVE), null, 'first')).toEqual({ kind: 'refused', code: 'no-directory' });
    expect(await store.current()).toBeNull();
  });

  it('refuses anyone but a coordinator, and lets the operator of the import command import', async () => {
    expect(await imports.preview(OUTSIDER, await listFile(LIVE))).toEqual({ kind: 'refused', code: 'not-coordinator' });
    expect(await imports.apply(OUTSIDER, await listFile(LIVE), null, 'tab upload')).toEqual({ kind: 'refused', code: 'not-coordinator' });
    expect(await store.current()).toBeNull();
    expect((await imports.apply(OPERATOR, await listFile(LIVE), null, '/data/roller.csv')).kind).toBe('applied');
  });
});
