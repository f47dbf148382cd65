import { beforeAll, describe, expect, it } from 'vitest';
import { eventMention } from '../../src/announcements/eventCommands';
import { Understander } from '../../src/understanding/understandTurn';
import { searchUpcomingEvents } from '../../src/announcements/upcoming';
import type { DirectoryIndex } from '../../src/directory/directoryIndex';
import { seededDirectoryIndex } from '../support/seededDirectory';
import { announcement } from './fixtures';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const NOBODY = { everyone: false, roles: [], processes: [], units: [] };

describe('searching upcoming events', () => {
  let index: DirectoryIndex;
  const events = [
    announcement({
      id: 'KU-2026-0001',
      kind: 'fagkafe',
      title: 'Fagkafé om varemottak',
      description: 'Varemottak i Unit4.',
      startsAt: '2026-03-10T08:00:00.000Z',
      endsAt: '2026-03-10T09:00:00.000Z',
      audience: { ...NOBODY, processes: ['BTB'], roles: ['innkjoper'] },
    }),
    announcement({
      id: 'KU-2026-0002',
      kind: 'kurs',
      title: 'Kurs i NFR-søknader',
      description: 'Søknader til Forskningsrådet i prosjektsøknadsmodulen.',
      place: 'Gløshaugen',
      startsAt: '2026-03-05T08:00:00.000Z',
      endsAt: '2026-03-05T10:00:00.000Z',
      audience: { ...NOBODY, processes: ['PROSJ'], roles: ['soknadsregistrerer'] },
    }),
    announcement({ id: 'KU-2026-0003', kind: 'fagkafe', title: 'Fagkafé som var', startsAt: '2026-02-01T08:00:00.000Z', endsAt: '2026-02-01T09:00:00.000Z' }),
    announcement({ id: 'KU-2026-0004', kind: 'kurs', title: 'Avlyst kurs', state: 'cancelled', startsAt: '2026-03-20T08:00:00.000Z', endsAt: '2026-03-20T09:00:00.000Z' }),
  ];
  const found = (text: string) => searchUpcomingEvents(events, eventMention(Understander.for(index).read(text)), NOW).map((event) => event.id);
  beforeAll(async () => {
    index = await seededDirectoryIndex();
  });

  it('lists every announced upcoming event, soonest first, for an empty search', () => {
    expect(found('')).toEqual(['KU-2026-0002', 'KU-2026-0001']);
  });

  it('filters by the kind, process or role named, as the chat does', () => {
    expect(found('fagkafé')).toEqual(['KU-2026-0001']);
    expect(found('kurs')).toEqual(['KU-2026-0002']);
    expect(found('prosjektøkonomi')).toEqual(['KU-2026-0002']);
    expect(found('for innkjøpere')).toEqual(['KU-2026-0001']);
  });

  it('otherwise matches the words of the title, description and place, with typos and word beginnings', () => {
    expect(found('unit4')).toEqual(['KU-2026-0001']);
    expect(found('forskningsrådet')).toEqual(['KU-2026-0002']);
    expect(found('gløshaugen')).toEqual(['KU-2026-0002']);
    expect(found('forskningsradet nfr')).toEqual(['KU-2026-0002']);
    expect(found('Forsknings')).toEqual(['KU-2026-0002']);
    expect(found('sykkel')).toEqual([]);
  });
});
