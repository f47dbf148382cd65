import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { TableAnnouncementStore } from '../../src/announcements/announcementStore';
import { ArchiveFileError, EventCatalog, TableArchiveStore, archiveFile, ensureArchiveSeeded, readArchive, searchPastEvents } from '../../src/announcements/archive';
import { parseEventCommand } from '../../src/announcements/eventCommands';
import { Understander } from '../../src/understanding/understandTurn';
import type { Announcement, Material } from '../../src/announcements/model';
import { upcomingEvents } from '../../src/announcements/upcoming';
import type { DirectoryIndex } from '../../src/directory/directoryIndex';
import { seededDirectoryIndex } from '../support/seededDirectory';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';
import { announcement, storeEvent } from './fixtures';

const NOW = new Date('2026-11-27T10:00:00Z');
const recording = (url: string): Material => ({ kind: 'recording', title: '', url, addedBy: 'gry-lene.johansen@ntnu.example', addedAt: NOW.toISOString() });
const HEADER = 'date,kind,title_nb,process,audience_roles\n';

describe('the archive of past events', () => {
  let index: DirectoryIndex;
  beforeAll(async () => {
    index = await seededDirectoryIndex();
  });

  it('reads the shipped file as archived all-day events on their Norwegian dates', async () => {
    const events = readArchive(await readFile(archiveFile(), 'utf8'), index);
    expect(events).toHaveLength(10);
    expect(events.every((event) => event.state === 'archived' && event.allDay)).toBe(true);
    const [first] = events;
    expect(first).toMatchObject({
      id: 'AR-2023-0001',
      kind: 'kurs',
      title: 'Kurs i prosjektsøknadsmodulen (del 1)',
      // Midnight in Oslo (summer time) is 22:00 UTC the day before.
      startsAt: '2023-09-04T22:00:00.000Z',
      endsAt: '2023-09-05T22:00:00.000Z',
      audience: { everyone: false, roles: ['soknadsregistrerer', 'prosjektokonom'], processes: ['PROSJ'], units: [] },
    });
    const refresher = events.find((event) => event.title.startsWith('Oppfriskningskurs'));
    expect(refresher?.audience).toMatchObject({ roles: ['fakturaansvarlig', 'salgsordreoppretter'], processes: ['FTI'] });
    expect(events.find((event) => event.kind === 'samarbeidsmote')?.audience).toEqual({ everyone: false, roles: [], processes: [], units: [] });
    expect(events.map((event) => event.id)).toContain('AR-2024-0002');
  });

  it('refuses a file it cannot read, naming the line', () => {
    expect(() => readArchive(`${HEADER}2023-13-01,kurs,Kurs,PROSJ,\n`, index)).toThrow(/line 2: "2023-13-01" is not a date/);
    expect(() => readArchive(`${HEADER}2023-09-01,webinar,Kurs,PROSJ,\n`, index)).toThrow(ArchiveFileError);
    expect(() => readArchive(`${HEADER}2023-09-01,kurs,Kurs,NOPE,\n`, index)).toThrow(/unknown process "NOPE"/);
    expect(() => readArchive(`${HEADER}2023-09-01,kurs,Kurs,PROSJ,controller\n`, index)).toThrow(/unknown role "controller"/);
    expect(() => readArchive(`${HEADER}2023-09-01,kurs,,PROSJ,\n`, index)).toThrow(/title is missing/);
  });

  it('is seeded once, on first start, by however many instances start together', async () => {
    const store = await TableArchiveStore.open(testConnectionString(), uniqueTablePrefix('arch'));
    const counts = await Promise.all([ensureArchiveSeeded(store, index), ensureArchiveSeeded(store, index)]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(10);
    expect(await store.list()).toHaveLength(10);
    expect(await ensureArchiveSeeded(store, index)).toBe(0);
    expect((await store.get('AR-2024-0001'))?.title).toBe('Registrering av EU-søknader, demonstrasjon i Unit4');
    expect(await store.get('AR-2099-0001')).toBeNull();
    expect(await store.get('KU-2026-0001')).toBeNull();
  });

  it('finds "opptak fra fagkaféen om EU-søknader" and the other past events by fuzzy search', async () => {
    const events = readArchive(await readFile(archiveFile(), 'utf8'), index);
    const search = (text: string) => {
      const command = parseEventCommand(Understander.for(index).read(text));
      if (command?.kind !== 'past') throw new Error(`not a search: ${text}`);
      return searchPastEvents(events, command, NOW).map((found) => found.event.title);
    };
    expect(search('opptak fra fagkaféen om EU-søknader')[0]).toBe('Registrering av EU-søknader, demonstrasjon i Unit4');
    expect(search('opptak fra spørretimen om NFR-søknader')[0]).toBe('Spørretime om NFR-søknader i søknadsmodulen');
    expect(search('lysbilder fra oppfriskningskurset i kunde- og salgsmodulen')[0]).toBe('Oppfriskningskurs i Kunde- og salgsmodulen i Unit4');
    expect(search('slides from the Q&A cafe for buyers')[0]).toBe('Fagkafé for innkjøpere og fagrekvirenter i Behov til betaling');
    expect(search('opptak fra kurs om prosjektsoknadsmodulen')).toContain('Kurs i prosjektsøknadsmodulen (tidligere PreAward)');
    expect(search('opptak fra kvantefysikk')).toEqual([]);
  });

  it('counts an announced event as past once it has begun, never a draft or a cancelled one', () => {
    const past = (overrides: Partial<Announcement>) => searchPastEvents([announcement(overrides)], { filter: { kinds: ['fagkafe'], processes: [], roles: [] }, words: [] }, NOW);
    expect(past({ startsAt: '2026-11-01T10:00:00Z' })).toHaveLength(1);
    expect(past({ startsAt: '2026-12-01T10:00:00Z' })).toHaveLength(0);
    expect(past({ startsAt: '2026-11-01T10:00:00Z', state: 'cancelled' })).toHaveLength(0);
    expect(past({ startsAt: '2026-11-01T10:00:00Z', state: 'draft' })).toHaveLength(0);
  });

  it('keeps recordings and slides on archived and announced events, each link once', async () => {
    const prefix = uniqueTablePrefix('cat');
    const announcements = await TableAnnouncementStore.open(testConnectionString(), `${prefix}announcements`);
    const archive = await TableArchiveStore.open(testConnectionString(), `${prefix}archive`);
    await ensureArchiveSeeded(archive, index);
    const catalog = new EventCatalog(announcements, archive);

    expect(await catalog.addMaterial('AR-2024-0001', recording('https://ntnu.example/opptak/eu'))).toMatchObject({
      kind: 'added',
      event: { materials: [{ url: 'https://ntnu.example/opptak/eu' }] },
    });
    expect(await catalog.addMaterial('AR-2024-0001', recording('https://ntnu.example/opptak/eu'))).toMatchObject({ kind: 'already-there' });
    expect((await catalog.get('AR-2024-0001'))?.materials).toHaveLength(1);

    const held = await storeEvent(announcements, { kind: 'fagkafe', startsAt: '2026-11-20T09:00:00.000Z' });
    const result = await catalog.addMaterial(held.id, { ...recording('https://ntnu.example/lysbilder.pdf'), kind: 'slides' });
    expect(result).toMatchObject({ kind: 'added', event: { id: held.id } });
    const stored = await announcements.get(held.id);
    expect(stored?.announcement.materials).toEqual([expect.objectContaining({ kind: 'slides', url: 'https://ntnu.example/lysbilder.pdf' })]);
    // The announcement's own change marker is left for the composing side.
    expect(stored?.announcement.updatedAt).toBe(held.updatedAt);

    const draft = await storeEvent(announcements, { startsAt: '2026-12-20T09:00:00.000Z', state: 'draft' });
    expect(await catalog.addMaterial(draft.id, recording('https://ntnu.example/x'))).toEqual({ kind: 'not-found' });
    expect(await catalog.addMaterial('KU-2026-9999', recording('https://ntnu.example/x'))).toEqual({ kind: 'not-found' });
    expect(await catalog.addMaterial('AR-2023-0001', recording('javascript:alert(1)'))).toEqual({ kind: 'invalid-url' });
    expect((await catalog.list()).length).toBe(12);
  });
});

describe('upcoming events', () => {
  const events = [
    announcement({
      id: 'KU-2026-0010',
      kind: 'kurs',
      startsAt: '2026-12-03T09:00:00Z',
      endsAt: '2026-12-03T11:00:00Z',
      audience: { everyone: false, roles: ['prosjektokonom'], processes: ['PROSJ'], units: [] },
    }),
    announcement({
      id: 'KU-2026-0011',
      kind: 'fagkafe',
      startsAt: '2026-12-01T09:00:00Z',
      endsAt: '2026-12-01T10:00:00Z',
      audience: { everyone: false, roles: ['innkjoper'], processes: ['BTB'], units: [] },
    }),
    announcement({
      id: 'KU-2026-0012',
      kind: 'fagkafe',
      startsAt: '2026-12-10T09:00:00Z',
      endsAt: '2026-12-10T10:00:00Z',
      audience: { everyone: false, roles: [], processes: ['BTB'], units: [] },
    }),
    announcement({
      id: 'KU-2026-0013',
      kind: 'oppfriskningskurs',
      startsAt: '2026-12-05T09:00:00Z',
      endsAt: '2026-12-05T10:00:00Z',
      audience: { everyone: true, roles: [], processes: [], units: [] },
    }),
    announcement({ id: 'KU-2026-0014', kind: 'kurs', startsAt: '2026-12-04T09:00:00Z', endsAt: '2026-12-04T10:00:00Z', state: 'cancelled' }),
    announcement({ id: 'KU-2026-0015', kind: 'kurs', startsAt: '2026-12-04T09:00:00Z', endsAt: '2026-12-04T10:00:00Z', state: 'draft' }),
    announcement({ id: 'KU-2026-0016', kind: 'kurs', startsAt: '2026-12-04T09:00:00Z', endsAt: '2026-12-04T10:00:00Z', state: 'scheduled' }),
    announcement({ id: 'KU-2026-0017', kind: 'sporretime', startsAt: '2026-11-20T09:00:00Z', endsAt: '2026-11-20T10:00:00Z' }),
    announcement({ id: 'AR-2024-0001', kind: 'fagkafe', state: 'archived', allDay: true, startsAt: '2024-01-08T23:00:00Z', endsAt: '2024-01-09T23:00:00Z' }),
  ];
  const ids = (filter: Partial<{ kinds: Announcement['kind'][]; processes: string[]; roles: Announcement['audience']['roles'] }>) =>
    upcomingEvents(events, { kinds: [], processes: [], roles: [], ...filter }, NOW).map((event) => event.id);

  it('lists announced events that have not ended, soonest first, by kind, process and role', () => {
    expect(ids({})).toEqual(['KU-2026-0011', 'KU-2026-0010', 'KU-2026-0013', 'KU-2026-0012']);
    expect(ids({ kinds: ['kurs', 'oppfriskningskurs'] })).toEqual(['KU-2026-0010', 'KU-2026-0013']);
    expect(ids({ kinds: ['fagkafe'], processes: ['BTB'] })).toEqual(['KU-2026-0011', 'KU-2026-0012']);
    // An event for everyone is for prosjektøkonomer too.
    expect(ids({ kinds: ['kurs', 'oppfriskningskurs'], roles: ['prosjektokonom'] })).toEqual(['KU-2026-0010', 'KU-2026-0013']);
    expect(ids({ kinds: ['sporretime'] })).toEqual([]);
  });
});
