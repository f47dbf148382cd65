import { describe, expect, it } from 'vitest';
import { TableUserProfileStore } from '../../src/profiles/userProfileStore';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';

describe('TableUserProfileStore', () => {
  it('has no profile for a new user', async () => {
    const store = await TableUserProfileStore.open(testConnectionString(), uniqueTablePrefix('profiles'));
    expect(await store.get('29:new')).toBeNull();
  });

  it('keeps a waiting question without losing the unit, and clears it when the unit is set', async () => {
    const store = await TableUserProfileStore.open(testConnectionString(), uniqueTablePrefix('profiles'));
    await store.setUnit('user-1', 'IFY');
    await store.setPendingQuestion('user-1', 'hvem er prosessrådgiver for Btb?');
    expect(await store.get('user-1')).toMatchObject({ unitCode: 'IFY', pendingQuestion: 'hvem er prosessrådgiver for Btb?' });
    await store.setUnit('user-1', 'IDI');
    expect(await store.get('user-1')).toMatchObject({ unitCode: 'IDI', pendingQuestion: null });
    await store.setPendingQuestion('user-1', 'hvem er prosessrådgiver for PBO?');
    await store.setPendingQuestion('user-1', null);
    expect(await store.get('user-1')).toMatchObject({ unitCode: 'IDI', pendingQuestion: null });
  });

  it('accepts user ids with characters Table Storage forbids in keys', async () => {
    const store = await TableUserProfileStore.open(testConnectionString(), uniqueTablePrefix('profiles'));
    const awkward = '29:1a/b\\c#d?e%f~2F';
    await store.setUnit(awkward, 'IFY');
    await store.setUnit('29:1a/b\\c#d?e%f/', 'IDI');
    expect((await store.get(awkward))?.unitCode).toBe('IFY');
    expect((await store.get('29:1a/b\\c#d?e%f/'))?.unitCode).toBe('IDI');
  });
});
