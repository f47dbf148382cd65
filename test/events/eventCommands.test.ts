import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseEventCommand } from '../../src/announcements/eventCommands';
import { Understander } from '../../src/understanding/understandTurn';
import type { DirectoryIndex } from '../../src/directory/directoryIndex';
import { seededDirectoryIndex } from '../support/seededDirectory';

describe('events commands in chat', () => {
  let index: DirectoryIndex;
  beforeAll(async () => {
    index = await seededDirectoryIndex();
  });
  const parse = (text: string) => parseEventCommand(Understander.for(index).read(text));

  it.each([
    ['jeg er prosjektøkonom', ['prosjektokonom']],
    ['Jeg er prosjektokonom', ['prosjektokonom']],
    ['jeg er prosjetkøkonom', ['prosjektokonom']],
    ['eg er innkjøpar og fagrekvirent', ['innkjoper', 'fagrekvirent']],
    ['eg er fakturaansvarleg', ['fakturaansvarlig']],
    ['jeg jobber som kostnadsgodkjenner', ['kostnadsgodkjenner']],
    ['I am a project accountant', ['prosjektokonom']],
    ["I'm a buyer and a requisitioner", ['innkjoper', 'fagrekvirent']],
    ['I work as a sales order creator', ['salgsordreoppretter']],
    ['mine roller er søknadsregistrerer og prosjektøkonom', ['soknadsregistrerer', 'prosjektokonom']],
  ])('reads "%s" as the process roles the user holds', (text, roles) => {
    expect(parse(text)).toEqual({ kind: 'state-roles', roles });
  });

  it.each([
    ['jeg er ikke lenger innkjøper', ['innkjoper']],
    ["I'm not a cost approver any more", ['kostnadsgodkjenner']],
  ])('reads "%s" as giving up a role', (text, roles) => {
    expect(parse(text)).toEqual({ kind: 'drop-roles', roles });
  });

  it('reads subscriptions with kinds, processes and roles, in bokmål, nynorsk and English', () => {
    expect(parse('abonner på fagkaféer for Btb')).toEqual({ kind: 'subscribe', filter: { kinds: ['fagkafe'], processes: ['BTB'], roles: [] } });
    expect(parse('abonnér på kurs')).toEqual({ kind: 'subscribe', filter: { kinds: ['kurs', 'oppfriskningskurs'], processes: [], roles: [] } });
    expect(parse('eg vil abonnere på spørjetimar om prosjektøkonomi')).toEqual({ kind: 'subscribe', filter: { kinds: ['sporretime'], processes: ['PROSJ'], roles: [] } });
    expect(parse('subscribe to Q&A sessions about purchase to pay')).toEqual({ kind: 'subscribe', filter: { kinds: ['sporretime'], processes: ['BTB'], roles: [] } });
    expect(parse('subscribe to courses for project accountants')).toEqual({
      kind: 'subscribe',
      filter: { kinds: ['kurs', 'oppfriskningskurs'], processes: [], roles: ['prosjektokonom'] },
    });
    expect(parse('varsle meg om samarbeidsmøter')).toEqual({ kind: 'subscribe', filter: { kinds: ['samarbeidsmote'], processes: [], roles: [] } });
    expect(parse('abonner')).toEqual({ kind: 'settings' });
  });

  it('reads listing and ending subscriptions', () => {
    expect(parse('mine abonnementer')).toEqual({ kind: 'settings' });
    expect(parse('mine abonnement')).toEqual({ kind: 'settings' });
    expect(parse('my subscriptions')).toEqual({ kind: 'settings' });
    expect(parse('hva abonnerer jeg på?')).toEqual({ kind: 'settings' });
    expect(parse('avslutt abonnement')).toEqual({ kind: 'unsubscribe', filter: null });
    expect(parse('avslutt abonnementet på fagkaféer for Btb')).toEqual({ kind: 'unsubscribe', filter: { kinds: ['fagkafe'], processes: ['BTB'], roles: [] } });
    expect(parse('unsubscribe from refresher courses')).toEqual({ kind: 'unsubscribe', filter: { kinds: ['oppfriskningskurs'], processes: [], roles: [] } });
  });

  it('reads questions about upcoming events, filtered', () => {
    expect(parse('hvilke kurs kommer?')).toEqual({ kind: 'upcoming', filter: { kinds: ['kurs', 'oppfriskningskurs'], processes: [], roles: [] }, next: false });
    expect(parse('neste fagkafé for Btb')).toEqual({ kind: 'upcoming', filter: { kinds: ['fagkafe'], processes: ['BTB'], roles: [] }, next: true });
    expect(parse('kurs for prosjektøkonomer')).toEqual({
      kind: 'upcoming',
      filter: { kinds: ['kurs', 'oppfriskningskurs'], processes: [], roles: ['prosjektokonom'] },
      next: false,
    });
    expect(parse('when is the next Q&A session?')).toEqual({ kind: 'upcoming', filter: { kinds: ['sporretime'], processes: [], roles: [] }, next: true });
    expect(parse('kva arrangement kjem?')).toEqual({ kind: 'upcoming', filter: { kinds: [], processes: [], roles: [] }, next: false });
    expect(parse('når er vår neste fagkafé?')).toMatchObject({ kind: 'upcoming', next: true });
    expect(parse('hvilke kurs har vært?')).toMatchObject({ kind: 'past', filter: { kinds: ['kurs', 'oppfriskningskurs'] } });
  });

  it('reads searches for recordings and slides of past events', () => {
    expect(parse('opptak fra fagkaféen om EU-søknader')).toEqual({
      kind: 'past',
      filter: { kinds: ['fagkafe'], processes: ['PROSJ'], roles: [] },
      words: ['fagkafeen', 'eu', 'soknader'],
    });
    expect(parse('slides from the last refresher course')).toMatchObject({ kind: 'past', filter: { kinds: ['oppfriskningskurs'] } });
  });

  it('reads a coordinator adding a recording or slides', () => {
    expect(parse('legg til opptak KU-2026-0007 https://ntnu.example/opptak/7')).toEqual({
      kind: 'add-material',
      id: 'KU-2026-0007',
      material: 'recording',
      url: 'https://ntnu.example/opptak/7',
      title: null,
    });
    expect(parse('legg til lysbilder ku-2026-7 https://ntnu.example/lysbilder.pdf Del 1')).toMatchObject({ material: 'slides', id: 'KU-2026-0007', title: 'Del 1' });
    expect(parse('add slides')).toEqual({ kind: 'add-material', id: null, material: 'slides', url: null, title: null });
  });

  it('leaves every directory question of the evaluation sets alone', () => {
    const folder = path.join(__dirname, '..', 'eval');
    const questions = ['directory-questions-dev.jsonl', 'directory-questions-heldout.jsonl'].flatMap((file) =>
      readFileSync(path.join(folder, file), 'utf8')
        .split('\n')
        .filter(Boolean)
        .flatMap((line) => (JSON.parse(line) as { turns: string[] }).turns),
    );
    expect(questions.length).toBeGreaterThan(150);
    const taken = questions.filter((question) => parse(question) !== null);
    expect(taken).toEqual([]);
  });

  it('leaves other chat alone', () => {
    for (const text of [
      'hei',
      'hjelp',
      'hvem er prosessrådgiver for prosjektøkonomi ved IDI?',
      'who handles budget follow-up at IDI?',
      'jeg jobber på IDI',
      'Jeg er på IHA, hvem spør jeg om salgsordre?',
      'hvem holder kurset i Btb?',
    ]) {
      expect(parse(text), text).toBeNull();
    }
  });
});
