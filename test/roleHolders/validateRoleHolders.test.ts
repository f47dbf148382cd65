import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { generateRoleHolders, SAMPLE_ROLE_HOLDERS } from '../../scripts/generate-role-holders';
import { readSingleTableSource } from '../../src/directory/import/readDirectorySource';
import { directoryImportTexts } from '../../src/i18n';
import { formatProblem } from '../../src/i18n/directoryImportWording';
import { diffRoleHolders, isEmptyRoleHolderDiff } from '../../src/roleHolders/diffRoleHolders';
import { ROLE_HOLDER_SHEET, type RoleHolder } from '../../src/roleHolders/model';
import { validateRoleHolders } from '../../src/roleHolders/validateRoleHolders';
import { sampleText, tempFolder } from '../directory/fixtures';

const KNOWN = {
  units: sampleText('units.csv')
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((line) => line.split(',')[0] ?? ''),
  processes: ['BTB', 'PROSJ', 'PBO', 'LONN', 'FTI', 'ANDRE', 'ANL', 'PER', 'ANSK'],
};

async function validateText(text: string, name = 'roller.csv') {
  const file = path.join(tempFolder(), name);
  writeFileSync(file, text);
  return validateRoleHolders(await readSingleTableSource(file, ROLE_HOLDER_SHEET), KNOWN);
}

/** The problems as the import command prints them, in bokmål. */
async function problemsOf(text: string): Promise<string[]> {
  const result = await validateText(text);
  if (result.ok) return [];
  return result.problems.map((problem) => formatProblem(problem, directoryImportTexts('nb')));
}

const HEADER = 'email,name,role,unit,process';

describe('the role-holder list', () => {
  it("ships a sample that is the generator's output and imports without problems against the sample directory", async () => {
    expect(readFileSync(SAMPLE_ROLE_HOLDERS, 'utf8')).toBe(generateRoleHolders(sampleText('units.csv')));
    const result = validateRoleHolders(await readSingleTableSource(SAMPLE_ROLE_HOLDERS, ROLE_HOLDER_SHEET), KNOWN);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.holders.length).toBeGreaterThan(300);
    expect(result.holders.every((holder) => holder.email.endsWith('.example'))).toBe(true);
    expect(new Set(result.holders.map((holder) => holder.unit)).size).toBeGreaterThan(30);
  });

  it('reads rows with the process optional, a role in Norwegian spelling, and a semicolon CSV as Excel saves it', async () => {
    const result = await validateText(['email;name;role;unit', 'kari@ntnu.example;Kari Nord;Prosjektøkonom;IDI', 'kari@ntnu.example;Kari Nord;søknadsregistrerer;IDI'].join('\n'));
    expect(result).toEqual({
      ok: true,
      holders: [
        { email: 'kari@ntnu.example', name: 'Kari Nord', role: 'prosjektokonom', unit: 'IDI', process: null },
        { email: 'kari@ntnu.example', name: 'Kari Nord', role: 'soknadsregistrerer', unit: 'IDI', process: null },
      ],
    });
  });

  it('reports every problem with its file, line and reason', async () => {
    const text = [
      HEADER,
      'ola@ntnu.example,Ola Nord,innkjoper,IDI,BTB',
      'ikke-en-epost,Per Feil,innkjoper,IDI,BTB',
      'kari@ntnu.example,Kari Nord,sjef,IDI,',
      'kari@ntnu.example,Kari Nord,innkjoper,idi,BTB',
      'kari@ntnu.example,Kari Nord,innkjoper,IDI,NOPE',
      'ola@ntnu.example,Ola Nord,innkjoper,IDI,BTB',
      'ola@ntnu.example,Ola Sør,fagrekvirent,IDI,BTB',
      ',Uten Epost,innkjoper,IDI,',
      'ett,felt',
    ].join('\n');
    expect(await problemsOf(text)).toEqual([
      'roller.csv:3: «ikke-en-epost» i «email» er ikke en gyldig e-postadresse',
      'roller.csv:4: ukjent prosessrolle «sjef»; gyldige roller er prosjektokonom, soknadsregistrerer, kostnadsgodkjenner, innkjoper, fagrekvirent, fakturaansvarlig, salgsordreoppretter',
      'roller.csv:5: enheten «idi» finnes ikke blant enhetene (mente du «IDI»? Koder skiller mellom store og små bokstaver)',
      'roller.csv:6: prosessen «NOPE» finnes ikke blant prosessene',
      'roller.csv:7: samme rolle, prosess, enhet og e-postadresse som på linje 2',
      'roller.csv:8: ola@ntnu.example har navnet «Ola Sør» her, men «Ola Nord» på linje 2',
      'roller.csv:9: «email» må fylles ut',
      'roller.csv:10: raden har 2 felt, men overskriftsraden har 5',
    ]);
  });

  it('reports missing columns once, on the header, and words problems in nynorsk and English', async () => {
    const result = await validateText('email,name,unit\nkari@ntnu.example,Kari Nord,IDI\n');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((problem) => formatProblem(problem, directoryImportTexts('en')))).toEqual(['roller.csv:1: the header row lacks the column "role"']);
    const unknownRole = await validateText(`${HEADER}\nkari@ntnu.example,Kari Nord,sjef,IDI,\n`);
    expect(unknownRole.ok || formatProblem(unknownRole.problems[0]!, directoryImportTexts('nn'))).toMatch(/^roller\.csv:2: ukjend prosessrolle «sjef»/);
  });

  it('refuses a file that is missing, of another kind, or not UTF-8', async () => {
    const folder = tempFolder();
    const missing = validateRoleHolders(await readSingleTableSource(path.join(folder, 'borte.csv'), ROLE_HOLDER_SHEET), KNOWN);
    expect(missing).toEqual({ ok: false, problems: [{ file: path.join(folder, 'borte.csv'), line: null, code: 'missing-source', params: {} }] });
    writeFileSync(path.join(folder, 'roller.txt'), HEADER);
    const other = validateRoleHolders(await readSingleTableSource(path.join(folder, 'roller.txt'), ROLE_HOLDER_SHEET), KNOWN);
    expect(other.ok || other.problems[0]?.code).toBe('unsupported-source');
    writeFileSync(path.join(folder, 'latin1.csv'), Buffer.from(`${HEADER}\nkari@ntnu.example,K\xe5re,innkjoper,IDI,\n`, 'latin1'));
    const latin1 = validateRoleHolders(await readSingleTableSource(path.join(folder, 'latin1.csv'), ROLE_HOLDER_SHEET), KNOWN);
    expect(latin1.ok || latin1.problems).toEqual([{ file: 'latin1.csv', line: 2, code: 'invalid-encoding', params: {} }]);
  });

  it('reads a Unit4 workbook: the role-holders sheet, or else the first, with problems named by sheet and row', async () => {
    const folder = tempFolder();
    const write = async (name: string, sheets: Record<string, string[][]>) => {
      const workbook = new ExcelJS.Workbook();
      for (const [sheetName, rows] of Object.entries(sheets)) {
        const sheet = workbook.addWorksheet(sheetName);
        for (const row of rows) sheet.addRow(row);
      }
      const file = path.join(folder, name);
      await workbook.xlsx.writeFile(file);
      return validateRoleHolders(await readSingleTableSource(file, ROLE_HOLDER_SHEET), KNOWN);
    };
    const header = HEADER.split(',');
    const named = await write('eksport.xlsx', { Notater: [['ikke data']], 'Role-holders': [header, ['kari@ntnu.example', 'Kari Nord', 'kostnadsgodkjenner', 'IE', '']] });
    expect(named).toEqual({ ok: true, holders: [{ email: 'kari@ntnu.example', name: 'Kari Nord', role: 'kostnadsgodkjenner', unit: 'IE', process: null }] });
    const first = await write('unit4.xlsx', { Rolletildelinger: [header, ['kari@ntnu.example', 'Kari Nord', 'kostnadsgodkjenner', 'NOWHERE', '']] });
    expect(first.ok || first.problems.map((problem) => `${problem.file}:${problem.line}:${problem.code}`)).toEqual(['unit4.xlsx#Rolletildelinger:2:unknown-unit']);
  });
});

describe('the role-holder diff', () => {
  const kari: RoleHolder = { email: 'kari@ntnu.example', name: 'Kari Nord', role: 'innkjoper', unit: 'IDI', process: 'BTB' };
  const ola: RoleHolder = { email: 'ola@ntnu.example', name: 'Ola Nord', role: 'prosjektokonom', unit: 'IE', process: 'PROSJ' };
  const per: RoleHolder = { email: 'per@ntnu.example', name: 'Per Sør', role: 'fagrekvirent', unit: 'AD', process: 'BTB' };

  it('lists people added, removed and changed (name, roles), by e-mail whatever its case', () => {
    const diff = diffRoleHolders([kari, ola], [{ ...kari, email: 'Kari@NTNU.example', name: 'Kari Nordmann' }, { ...kari, role: 'fagrekvirent' }, per]);
    expect(diff.added).toEqual([{ name: 'Per Sør', email: 'per@ntnu.example' }]);
    expect(diff.removed).toEqual([{ name: 'Ola Nord', email: 'ola@ntnu.example' }]);
    expect(diff.changed).toEqual([
      {
        name: 'Kari Nordmann',
        email: 'Kari@NTNU.example',
        changes: [
          { field: 'name', before: 'Kari Nord', after: 'Kari Nordmann' },
          { field: 'assignments', added: [{ role: 'fagrekvirent', process: 'BTB', unit: 'IDI' }], removed: [] },
        ],
      },
    ]);
    expect(isEmptyRoleHolderDiff(diff)).toBe(false);
    expect(isEmptyRoleHolderDiff(diffRoleHolders([kari, ola], [ola, kari]))).toBe(true);
  });
});
