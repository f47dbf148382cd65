import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { TableChannelRegistrationStore, type ChannelRegistration } from '../../src/conversations/channelRegistrations';
import type { DirectoryIndex } from '../../src/directory/directoryIndex';
import type { SuggestionDraft } from '../../src/suggestions/model';
import { chooseRoute, routeToProcessManagers } from '../../src/routing/processRoutes';
import { SuggestionConflictError, TableSuggestionStore } from '../../src/suggestions/suggestionStore';
import { seededDirectoryIndex } from '../support/seededDirectory';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';

const registration = (process: string, unit: string | null, name: string): ChannelRegistration => ({
  process,
  unit,
  conversationId: `19:${name}@thread.tacv2`,
  reference: { conversation: { id: `19:${name}@thread.tacv2` } },
  channelName: name,
  registeredBy: 'gry-lene.johansen@ntnu.example',
  registeredAt: new Date().toISOString(),
});

const draft: SuggestionDraft = { process: 'BTB', unit: 'IDI', title: 'T', description: 'D', potential: 'P', system: 'unit4', mayContact: false };

describe('routing by the process rules, with registrations in Azurite', () => {
  let index: DirectoryIndex;
  beforeAll(async () => {
    index = await seededDirectoryIndex();
  });
  const registrations = () => TableChannelRegistrationStore.open(testConnectionString(), uniqueTablePrefix('reg'));

  it("sends a local process to the unit's advisors one to one when no channel is registered up the tree", async () => {
    const route = await chooseRoute(draft, index, await registrations());
    expect(route).toEqual({
      target: { kind: 'people', people: [{ name: 'Audun Brekke', email: 'audun.brekke@ntnu.example' }], label: 'Audun Brekke' },
      level: 'local',
      unitCode: 'IE',
    });
  });

  it('uses the nearest registered channel up the unit tree', async () => {
    const store = await registrations();
    await store.save(registration('BTB', 'IE', 'btb-ie'));
    expect((await chooseRoute(draft, index, store)).target).toMatchObject({ kind: 'channel', conversationId: '19:btb-ie@thread.tacv2' });
    await store.save(registration('BTB', 'IDI', 'btb-idi'));
    expect((await chooseRoute(draft, index, store)).target).toMatchObject({ kind: 'channel', conversationId: '19:btb-idi@thread.tacv2' });
    expect(await store.remove('BTB', 'IDI')).toBe(true);
    expect(await store.remove('BTB', 'IDI')).toBe(false);
    expect((await chooseRoute(draft, index, store)).target).toMatchObject({ conversationId: '19:btb-ie@thread.tacv2' });
  });

  it("sends payroll to the service centre's channel or advisors, and central processes to the process managers", async () => {
    const store = await registrations();
    const payroll = await chooseRoute({ ...draft, process: 'LONN' }, index, store);
    expect(payroll.level).toBe('service-centre');
    expect(payroll.target.kind === 'people' && payroll.target.people.map((p) => p.name)).toEqual(['Torill Johannessen', 'Tor Asbjørn Thomassen', 'Hilde Vik']);
    await store.save(registration('LONN', null, 'lonn'));
    expect((await chooseRoute({ ...draft, process: 'LONN' }, index, store)).target).toMatchObject({ kind: 'channel', label: 'lonn' });

    const central = await chooseRoute({ ...draft, process: 'FTI' }, index, store);
    expect(central).toMatchObject({ level: 'process-manager', target: { kind: 'people', people: [{ email: 'thomas.jensen@ntnu.example' }] } });
    const forwarded = await routeToProcessManagers('BTB', index, store);
    expect(forwarded.target).toMatchObject({ kind: 'people', people: [{ email: 'lene.kristiansen@ntnu.example' }] });
  });
});

describe('the suggestion store in Azurite', () => {
  const store = () => TableSuggestionStore.open(testConnectionString(), uniqueTablePrefix('sugg'));
  const route = { target: { kind: 'people' as const, people: [], label: '' }, level: 'local' as const, unitCode: null };
  const input = (key: string) => ({ draft, submitter: { id: 'u1', name: 'Kari' }, route, now: new Date('2026-03-01T12:00:00Z'), language: 'nb' as const, idempotencyKey: key });

  it('numbers suggestions per year without gaps or repeats, even when submitted at once', async () => {
    const suggestions = await store();
    const created = await Promise.all(Array.from({ length: 25 }, () => suggestions.create(input(randomUUID()))));
    const ids = created.map((result) => result.stored.suggestion.id).sort();
    expect(ids).toEqual(Array.from({ length: 25 }, (_, i) => `FF-2026-${String(i + 1).padStart(4, '0')}`));
  });

  it('creates one suggestion for one submission, however often it arrives', async () => {
    const suggestions = await store();
    const key = randomUUID();
    const results = await Promise.all([suggestions.create(input(key)), suggestions.create(input(key)), suggestions.create(input(key))]);
    expect(new Set(results.map((result) => result.stored.suggestion.id)).size).toBe(1);
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(await suggestions.list()).toHaveLength(1);
  });

  it('refuses an update based on an old version and hands back the current one', async () => {
    const suggestions = await store();
    const { stored } = await suggestions.create(input(randomUUID()));
    const first = await suggestions.update({ ...stored.suggestion, title: 'first' }, stored.etag);
    await expect(suggestions.update({ ...stored.suggestion, title: 'second' }, stored.etag)).rejects.toBeInstanceOf(SuggestionConflictError);
    expect((await suggestions.get(stored.suggestion.id))?.suggestion.title).toBe('first');
    expect(first.etag).not.toBe(stored.etag);
  });
});
