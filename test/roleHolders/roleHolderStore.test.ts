import { describe, expect, it } from 'vitest';
import type { RoleHolder } from '../../src/roleHolders/model';
import { RoleHolderConflictError, TableRoleHolderStore } from '../../src/roleHolders/roleHolderStore';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';

const kari: RoleHolder = { email: 'Kari.Nord@ntnu.example', name: 'Kari Nord', role: 'innkjoper', unit: 'IDI', process: 'BTB' };
const kariToo: RoleHolder = { ...kari, role: 'kostnadsgodkjenner', process: null };
const ola: RoleHolder = { email: 'ola@ntnu.example', name: 'Ola Nord', role: 'prosjektokonom', unit: 'IE', process: 'PROSJ' };

async function openStore() {
  return TableRoleHolderStore.open(testConnectionString(), `${uniqueTablePrefix('rh')}roleholders`);
}

const sorted = (holders: readonly RoleHolder[]) => [...holders].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe('TableRoleHolderStore', () => {
  it('is empty until a list is imported, then gives the whole list; a replacement replaces it whole', async () => {
    const store = await openStore();
    expect(await store.current()).toBeNull();
    const first = await store.replace([kari, kariToo, ola], 'roller.csv', { expectedVersion: null });
    const current = await store.current();
    expect(current).toMatchObject({ version: first.version, source: 'roller.csv' });
    expect(sorted(current?.holders ?? [])).toEqual(sorted([kari, kariToo, ola]));

    const second = await store.replace([ola], 'roller-2.csv', { expectedVersion: first.version });
    expect((await store.current())?.holders).toEqual([ola]);
    expect(second.version).not.toBe(first.version);
  });

  it('changes nothing when another import replaced the list since the caller read it', async () => {
    const store = await openStore();
    const first = await store.replace([kari], 'a.csv');
    await store.replace([ola], 'b.csv', { expectedVersion: first.version });
    await expect(store.replace([kariToo], 'c.csv', { expectedVersion: first.version })).rejects.toBeInstanceOf(RoleHolderConflictError);
    await expect(store.replace([kariToo], 'c.csv', { expectedVersion: null })).rejects.toBeInstanceOf(RoleHolderConflictError);
    expect((await store.current())?.holders).toEqual([ola]);
  });

  it('finds and deletes a person by e-mail, whatever its case, for "slett mine data"', async () => {
    const store = await openStore();
    await store.replace([kari, kariToo, ola], 'roller.csv');
    const holder = store.personalData();
    expect(holder.kind).toBe('roleHolders');
    expect(holder.tables).toHaveLength(1);
    const subject = { id: 'aad-kari', email: 'kari.nord@NTNU.example' };
    expect(sorted(await holder.findForUser(subject))).toEqual(sorted([kari, kariToo]));
    expect(await holder.findForUser({ id: 'aad-kari' })).toEqual([]);
    expect(await holder.deleteForUser(subject)).toHaveLength(1);
    expect((await store.current())?.holders).toEqual([ola]);
    expect(await holder.findForUser(subject)).toEqual([]);
    expect(await holder.deleteForUser(subject)).toEqual([]);
  });
});
