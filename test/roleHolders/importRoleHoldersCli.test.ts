import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLE_ROLE_HOLDERS } from '../../scripts/generate-role-holders';
import { runImport } from '../../src/directory/cli/importDirectory';
import { TableRoleHolderStore } from '../../src/roleHolders/roleHolderStore';
import { SAMPLE_FOLDER, tempFolder } from '../directory/fixtures';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';

/** `npm run directory:import -- --role-holders …` in-process, against tables of its own (TABLE_PREFIX). */
function cli(prefix: string, lang = 'nb_NO.UTF-8') {
  return async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const env = { STORAGE_CONNECTION_STRING: testConnectionString(), TABLE_PREFIX: prefix, LANG: lang };
    const code = await runImport(args, { env, out: (line) => out.push(line), err: (line) => err.push(line) });
    return { code, out, err };
  };
}

function listFile(...rows: string[]): string {
  const file = path.join(tempFolder(), 'roller.csv');
  writeFileSync(file, ['email,name,role,unit,process', ...rows].join('\n'));
  return file;
}

describe('npm run directory:import -- --role-holders', () => {
  it('asks for the directory first when there is none, and stores nothing', async () => {
    const prefix = uniqueTablePrefix('rhcli');
    const run = await cli(prefix)('--role-holders', SAMPLE_ROLE_HOLDERS);
    expect(run).toMatchObject({ code: 1, out: [] });
    expect(run.err).toEqual(['Det finnes ingen katalog ennå. Importer katalogen først: enhetene og prosessene i lista kontrolleres mot den.']);
    expect(await (await TableRoleHolderStore.open(testConnectionString(), `${prefix}roleholders`)).current()).toBeNull();
  });

  it('imports the sample, reports the changes of the next list, and changes nothing for a list with problems or a dry run', async () => {
    const prefix = uniqueTablePrefix('rhcli');
    const run = cli(prefix);
    expect((await run(SAMPLE_FOLDER)).code).toBe(0);
    const store = await TableRoleHolderStore.open(testConnectionString(), `${prefix}roleholders`);

    const first = await run('--role-holders', SAMPLE_ROLE_HOLDERS);
    expect(first.err).toEqual([]);
    const firstVersion = (await store.current())?.version;
    expect(first.out).toEqual([
      `Rolleinnehaverlista er importert fra ${SAMPLE_ROLE_HOLDERS} (versjon ${firstVersion}).`,
      'Det fantes ingen rolleinnehaverliste fra før. Ny liste: 240 personer med 354 roller.',
    ]);

    const small = listFile(
      'live.hagen@ntnu.example,Live Hagen,prosjektokonom,IHB,PROSJ',
      'live.hagen@ntnu.example,Live Hagen,innkjoper,IHB,BTB',
      'ny.person@ntnu.example,Ny Person,innkjoper,IDI,BTB',
    );
    const dry = await run('--role-holders', small, '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.out[0]).toBe(`Prøvekjøring: rolleinnehaverlista i ${small} er gyldig, men ingenting er lagret.`);
    expect(dry.out[1]).toBe('Personer: 1 lagt til, 239 fjernet, 1 endret');
    expect(dry.out).toContain('  + Ny Person <ny.person@ntnu.example>');
    expect(dry.out).toContain('  ~ Live Hagen <live.hagen@ntnu.example>: ny rolle: innkjoper for BTB ved IHB');
    expect((await store.current())?.version).toBe(firstVersion);

    const bad = listFile('live.hagen@ntnu.example,Live Hagen,prosjektokonom,IHB,PROSJ', 'feil,Per Feil,innkjoper,NOWHERE,BTB');
    const refused = await cli(prefix, 'en_GB.UTF-8')('--role-holders', bad);
    expect(refused.code).toBe(1);
    expect(refused.out).toEqual([]);
    expect(refused.err).toEqual([
      `roller.csv:3: "feil" in "email" is not a valid e-mail address`,
      'roller.csv:3: the unit "NOWHERE" is not among the units',
      'Found 2 problems. Nothing was changed.',
    ]);
    expect((await store.current())?.version).toBe(firstVersion);

    const second = await run('--role-holders', small);
    expect(second.code).toBe(0);
    expect((await store.current())?.holders).toHaveLength(3);
    expect((await run('--role-holders', small)).out.slice(1)).toEqual(['Ingen endringer sammenlignet med den lagrede rolleinnehaverlista.']);
  });

  it('documents the flag in its usage', async () => {
    const help = await cli(uniqueTablePrefix('rhcli'), 'nn_NO.UTF-8')('--help');
    expect(help.out.join('\n')).toContain('--role-holders  fila er rolleinnehavarlista, ikkje katalogen');
  });
});
