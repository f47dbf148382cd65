import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runImport } from '../../src/directory/cli/importDirectory';
import { TableDirectoryStore } from '../../src/directory/directoryStore';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';
import { SAMPLE_FOLDER, appendRows, fixtureFolder, lineCount, replaceLine, sampleText, sampleWorkbook, tempFolder } from './fixtures';

interface Run {
  code: number;
  out: string[];
  err: string[];
}

/** A CLI run against its own table, in the given locale. */
function cli(tableName: string, lang = 'nb_NO.UTF-8') {
  return async (...args: string[]): Promise<Run> => {
    const out: string[] = [];
    const err: string[] = [];
    const env = { STORAGE_CONNECTION_STRING: testConnectionString(), DIRECTORY_TABLE: tableName, LANG: lang };
    const code = await runImport(args, { env, out: (line) => out.push(line), err: (line) => err.push(line) });
    return { code, out, err };
  };
}

async function storeFor(tableName: string): Promise<TableDirectoryStore> {
  return TableDirectoryStore.open(testConnectionString(), tableName);
}

/** The sample with one person added, one removed and one changed (name, phone and a new assignment). */
function editedSample(): string {
  const people = sampleText('people.csv');
  return fixtureFolder({
    'people.csv': appendRows(
      replaceLine(replaceLine(people, 3, ''), 2, 'prosessradgiver,BTB,AD,Ane Hovde-Lie,ane.hovde@ntnu.example,+47 73 59 00 00,'),
      'prosessradgiver,PBO,AD,Ane Hovde-Lie,ane.hovde@ntnu.example,,',
      'prosessradgiver,BTB,IDI,Ola Nordmann,ola.nordmann@ntnu.example,,',
    ),
    'units.csv': (text) => appendRows(text, 'IDI-X,IE,department,Ny avdeling,New department,'),
  });
}

describe('npm run directory:import (runImport in-process)', () => {
  it('imports into an empty store, then reports what a second import changes', async () => {
    const tableName = uniqueTablePrefix('cli');
    const run = cli(tableName);

    const first = await run(SAMPLE_FOLDER);
    expect(first.err).toEqual([]);
    expect(first.code).toBe(0);
    const store = await storeFor(tableName);
    const firstVersion = await store.currentVersion();
    expect(first.out).toEqual([
      `Katalogen er importert fra ${SAMPLE_FOLDER} (versjon ${firstVersion}).`,
      'Det fantes ingen katalog fra før. Ny katalog: 108 personer, 72 enheter, 9 prosesser, 6 roller og 3 kontaktpunkter.',
    ]);

    const edited = editedSample();
    const second = await run(edited);
    expect(second.code).toBe(0);
    const secondVersion = await store.currentVersion();
    expect(secondVersion).not.toBe(firstVersion);
    expect(second.out).toEqual([
      `Katalogen er importert fra ${edited} (versjon ${secondVersion}).`,
      'Personer: 1 lagt til, 1 fjernet, 1 endret',
      '  + Ola Nordmann <ola.nordmann@ntnu.example>',
      '  - Astrid Henriksen <astrid.henriksen@ntnu.example>',
      '  ~ Ane Hovde-Lie <ane.hovde@ntnu.example>: navn «Ane Hovde» → «Ane Hovde-Lie»; telefon (ingen) → +47 73 59 00 00; ny rolle: prosessradgiver for PBO ved AD',
      'Enheter: 1 lagt til, 0 fjernet, 0 endret',
      'Prosesser: 0 lagt til, 0 fjernet, 0 endret',
      'Roller: 0 lagt til, 0 fjernet, 0 endret',
      'Kontaktpunkter: 0 lagt til, 0 fjernet, 0 endret',
    ]);
    expect((await store.current())?.source).toBe(path.resolve(edited));

    const unchanged = await run(edited);
    expect(unchanged.out.slice(1)).toEqual(['Ingen endringer sammenlignet med den lagrede katalogen.']);
  });

  it('validates and shows the diff on a dry run without writing', async () => {
    const tableName = uniqueTablePrefix('cli');
    const run = cli(tableName, 'en_GB.UTF-8');
    await run(SAMPLE_FOLDER);
    const store = await storeFor(tableName);
    const version = await store.currentVersion();

    const edited = editedSample();
    const dry = await run(edited, '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.out[0]).toBe(`Dry run: the directory in ${edited} is valid, but nothing was stored.`);
    expect(dry.out).toContain('People: 1 added, 1 removed, 1 changed');
    expect(dry.out).toContain('  + Ola Nordmann <ola.nordmann@ntnu.example>');
    expect(dry.out).toContain('Units: 1 added, 0 removed, 0 changed');
    expect(await store.currentVersion()).toBe(version);
  });

  it('imports a workbook', async () => {
    const tableName = uniqueTablePrefix('cli');
    const workbook = await sampleWorkbook(path.join(tempFolder(), 'katalog.xlsx'));
    const result = await cli(tableName)(workbook);
    expect(result.code).toBe(0);
    expect((await (await storeFor(tableName)).current())?.directory.people).toHaveLength(115);
  });

  it('prints every problem as file:line: reason, changes nothing and exits 1', async () => {
    const tableName = uniqueTablePrefix('cli');
    const run = cli(tableName);
    await run(SAMPLE_FOLDER);
    const store = await storeFor(tableName);
    const version = await store.currentVersion();

    const people = sampleText('people.csv');
    const broken = fixtureFolder({
      'people.csv': appendRows(people, 'prosessradgiver,BTB,XYZ,Ola Nordmann,ola.nordmann(at)ntnu.example,,'),
      'roles.csv': null,
    });
    const failed = await run(broken);
    expect(failed.code).toBe(1);
    expect(failed.out).toEqual([]);
    const line = lineCount(people) + 1;
    expect(failed.err).toEqual([
      'roles.csv: mangler; katalogen må ha denne filen (eller dette arket i arbeidsboka)',
      `people.csv:${line}: «ola.nordmann(at)ntnu.example» i «email» er ikke en gyldig e-postadresse`,
      `people.csv:${line}: enheten «XYZ» finnes ikke blant enhetene`,
      'Fant 3 problemer. Ingenting er endret.',
    ]);
    expect(await store.currentVersion()).toBe(version);

    const english = await cli(tableName, 'en_US.UTF-8')(broken);
    expect(english.err.at(-1)).toBe('Found 3 problems. Nothing was changed.');
    expect(await store.currentVersion()).toBe(version);
  });

  it("uses the app's table name (TABLE_PREFIX + directory) when DIRECTORY_TABLE is not set", async () => {
    const prefix = uniqueTablePrefix('app');
    const code = await runImport([SAMPLE_FOLDER], {
      env: { STORAGE_CONNECTION_STRING: testConnectionString(), TABLE_PREFIX: prefix },
      out: () => undefined,
      err: () => undefined,
    });
    expect(code).toBe(0);
    expect(await (await storeFor(`${prefix}directory`)).currentVersion()).not.toBeNull();
  });

  it('prefers LC_ALL over LANG for the language', async () => {
    const err: string[] = [];
    const code = await runImport([path.join(tempFolder(), 'nowhere')], {
      env: { LANG: 'en_US.UTF-8', LC_ALL: 'nb_NO.UTF-8' },
      out: () => undefined,
      err: (line) => err.push(line),
    });
    expect(code).toBe(1);
    expect(err.at(-1)).toBe('Fant 1 problem. Ingenting er endret.');
  });

  it('explains its usage and exits 2 on bad arguments', async () => {
    const run = cli(uniqueTablePrefix('cli'));
    const none = await run();
    expect(none.code).toBe(2);
    expect(none.err[0]).toMatch(/^Bruk: npm run directory:import -- /);
    const unknown = await run(SAMPLE_FOLDER, '--force');
    expect(unknown.code).toBe(2);
    expect(unknown.err[0]).toBe('Ukjent valg: --force');
    const two = await run(SAMPLE_FOLDER, SAMPLE_FOLDER);
    expect(two.err[0]).toBe('Oppgi bare én mappe eller arbeidsbok.');
    const help = await run('--help');
    expect(help.code).toBe(0);
    expect(help.out[0]).toMatch(/^Bruk:/);
  });

  it('reports a storage failure without claiming success', async () => {
    const broken = fixtureFolder();
    const err: string[] = [];
    const env = {
      // Nothing listens on port 1: the store cannot be reached.
      STORAGE_CONNECTION_STRING: testConnectionString().replace(/TableEndpoint=http:\/\/127\.0\.0\.1:\d+/, 'TableEndpoint=http://127.0.0.1:1'),
      DIRECTORY_TABLE: uniqueTablePrefix('cli'),
    };
    const code = await runImport([broken], { env, out: () => undefined, err: (line) => err.push(line) });
    expect(code).toBe(1);
    expect(err[0]).toMatch(/^Importen feilet, og ingenting er endret: /);
  });
});
