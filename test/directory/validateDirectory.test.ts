import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { readDirectorySource } from '../../src/directory/import/readDirectorySource';
import {
  MAX_DESCRIPTION_LENGTH,
  ROLE_HOLDER_PROBLEM_CODES,
  validateDirectory,
  type ImportProblem,
  type ImportProblemCode,
  type ValidationResult,
} from '../../src/directory/import/validateDirectory';
import { formatProblem } from '../../src/i18n/directoryImportWording';
import type { Directory } from '../../src/directory/model';
import { directoryImportEn } from '../../src/i18n/en/directoryImport';
import { directoryImportNb } from '../../src/i18n/nb/directoryImport';
import { SAMPLE_FOLDER, appendRows, fixtureFolder, lineCount, replaceLine, sampleText, sampleWorkbook, tempFolder, withCell, withoutColumns } from './fixtures';

async function importFrom(source: string): Promise<ValidationResult> {
  return validateDirectory(await readDirectorySource(source));
}

async function importSample(): Promise<Directory> {
  const result = await importFrom(SAMPLE_FOLDER);
  if (!result.ok) throw new Error(result.problems.map((problem) => formatProblem(problem, directoryImportEn)).join('\n'));
  return result.directory;
}

async function problemsOf(source: string): Promise<ImportProblem[]> {
  const result = await importFrom(source);
  if (result.ok) throw new Error('expected problems, got a directory');
  return result.problems;
}

function recordCount(file: string): number {
  return parse(sampleText(file), { bom: true, skip_empty_lines: true }).length - 1;
}

describe('the sample directory', () => {
  it('imports with zero problems and exactly the rows of its CSV files', async () => {
    const result = await importFrom(SAMPLE_FOLDER);
    expect(result.ok ? [] : result.problems).toEqual([]);
    const directory = await importSample();
    expect(directory.units).toHaveLength(recordCount('units.csv'));
    expect(directory.processes).toHaveLength(recordCount('processes.csv'));
    expect(directory.roles).toHaveLength(recordCount('roles.csv'));
    expect(directory.people).toHaveLength(recordCount('people.csv'));
    expect(directory.contactPoints).toHaveLength(recordCount('contact-points.csv'));
    expect([directory.units.length, directory.processes.length, directory.roles.length, directory.people.length, directory.contactPoints.length]).toEqual([72, 9, 6, 115, 3]);
  });

  it('trims values, splits aliases and turns empty optional values into null', async () => {
    const directory = await importSample();
    expect(directory.units[0]).toEqual({
      code: 'AD',
      parent: null,
      kind: 'faculty',
      nameNb: 'Fakultet for arkitektur og design',
      nameEn: 'Faculty of Architecture and Design',
      aliases: ['AD-fakultetet'],
    });
    expect(directory.units.find((unit) => unit.code === 'IAP')?.aliases).toEqual([]);
    expect(directory.processes.find((process) => process.code === 'LONN')?.advisorModel).toBe('service-centre');
    expect(directory.people.find((person) => person.role === 'forvaltningskoordinator')).toEqual({
      role: 'forvaltningskoordinator',
      process: null,
      unit: 'OKAVD',
      name: 'Gry-Lene Johansen',
      email: 'gry-lene.johansen@ntnu.example',
      phone: null,
      note: 'named on the public forvaltning page',
    });
    expect(directory.contactPoints.find((point) => point.code === 'okavd')).toMatchObject({ email: 'kontakt@okavd.ntnu.no', url: null });
  });

  it('imports from an .xlsx workbook to the same directory as from the CSV folder', async () => {
    const workbook = await sampleWorkbook(path.join(tempFolder(), 'katalog.xlsx'));
    const result = await importFrom(workbook);
    expect(result).toEqual({ ok: true, directory: await importSample() });
  });

  it('reads Excel cell types (hyperlinked e-mail, numeric phone) as their text, and sheet names with .csv', async () => {
    const target = path.join(tempFolder(), 'katalog.xlsx');
    await sampleWorkbook(target, { sheetName: (file) => (file === 'units' ? 'Units.csv' : file) });
    // Excel turns typed e-mail addresses into hyperlinks and phone numbers into numbers.
    const ExcelJS = (await import('exceljs')).default;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(target);
    const people = workbook.getWorksheet('people');
    if (!people) throw new Error('no people sheet');
    people.getRow(2).getCell(5).value = { text: 'ane.hovde@ntnu.example', hyperlink: 'mailto:ane.hovde@ntnu.example' };
    people.getRow(2).getCell(6).value = 73595000;
    await workbook.xlsx.writeFile(target);

    const result = await importFrom(target);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.directory.people[0]).toMatchObject({ email: 'ane.hovde@ntnu.example', phone: '73595000' });
    expect(result.directory.units).toHaveLength(72);
  });

  it('finds files whose names differ in case, as saved from Windows', async () => {
    const folder = fixtureFolder({ 'units.csv': null, 'Units.CSV': sampleText('units.csv') });
    const result = await importFrom(folder);
    expect(result).toEqual({ ok: true, directory: await importSample() });
  });

  it('accepts Windows line endings, a byte-order mark, semicolon separators and quoted line breaks', async () => {
    const people = appendRows(sampleText('people.csv'), 'prosessradgiver,BTB,IE,Kari Nordmann,kari.nordmann@ntnu.example,,"first line\nsecond line"');
    const semicolonUnits = sampleText('units.csv')
      .split('\n')
      .map((line) =>
        line === ''
          ? line
          : parse(line)[0]!
              .map((field) => (field.includes(';') ? `"${field}"` : field))
              .join(';'),
      )
      .join('\n');
    const folder = fixtureFolder({
      'people.csv': `\uFEFF${people.replace(/\n/g, '\r\n')}`,
      'units.csv': semicolonUnits,
    });
    const result = await importFrom(folder);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.directory.people.at(-1)?.note).toBe('first line\nsecond line');
    expect(result.directory.units).toEqual((await importSample()).units);
  });
});

describe('descriptions of processes and roles', () => {
  it('ships a bokmål and an English description of every process and a bokmål one of every role, within the limit', async () => {
    const directory = await importSample();
    for (const process of directory.processes) {
      expect([process.code, process.descriptionNb.length > 0, process.descriptionEn.length > 0]).toEqual([process.code, true, true]);
      expect(Math.max(process.descriptionNb.length, process.descriptionEn.length)).toBeLessThanOrEqual(MAX_DESCRIPTION_LENGTH);
    }
    for (const role of directory.roles) {
      expect([role.code, role.descriptionNb.length > 0, role.descriptionEn.length > 0]).toEqual([role.code, true, true]);
    }
    const lonn = directory.processes.find((process) => process.code === 'LONN');
    expect(lonn?.descriptionNb).toContain('reiseregninger');
    expect(lonn?.descriptionEn).toContain('travel expense claims');
    // A description explains; the people are in people.csv, never named here.
    const names = new Set(directory.people.map((person) => person.name));
    const texts = [...directory.processes.flatMap((p) => [p.descriptionNb, p.descriptionEn]), ...directory.roles.flatMap((r) => [r.descriptionNb, r.descriptionEn])];
    expect(texts.filter((text) => [...names].some((name) => text.includes(name)))).toEqual([]);
  });

  it("imports files made before the description columns, reading them as ''", async () => {
    const folder = fixtureFolder({
      'processes.csv': (text) => withoutColumns(text, ['description_nb', 'description_en']),
      'roles.csv': (text) => withoutColumns(text, ['description_nb']),
    });
    const result = await importFrom(folder);
    if (!result.ok) throw new Error(result.problems.map((problem) => formatProblem(problem, directoryImportEn)).join('\n'));
    const sample = await importSample();
    expect(result.directory.processes).toEqual(sample.processes.map((process) => ({ ...process, descriptionNb: '', descriptionEn: '' })));
    expect(result.directory.roles).toEqual(sample.roles.map((role) => ({ ...role, descriptionNb: '' })));
  });

  it("reads roles' nynorsk names, and files without the column as ''", async () => {
    const sample = await importSample();
    expect(sample.roles.find((role) => role.code === 'prosessansvarlig')?.nameNn).toBe('Prosessansvarleg');
    const result = await importFrom(fixtureFolder({ 'roles.csv': (text) => withoutColumns(text, ['name_nn']) }));
    if (!result.ok) throw new Error(result.problems.map((problem) => formatProblem(problem, directoryImportEn)).join('\n'));
    expect(result.directory.roles).toEqual(sample.roles.map((role) => ({ ...role, nameNn: '' })));
  });

  it('refuses a nynorsk role name longer than a title, with its file and line', async () => {
    const result = await importFrom(fixtureFolder({ 'roles.csv': (text) => withCell(text, 'systemforvalter', 'name_nn', 'x'.repeat(101)) }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([expect.objectContaining({ file: 'roles.csv', line: 6 })]);
  });

  it('accepts empty descriptions, and columns in any order', async () => {
    const folder = fixtureFolder({
      'processes.csv': (text) => {
        const [header, ...rows] = parse(withCell(text, 'PER', 'description_nb', '   '), { bom: true });
        // The description columns moved to the end, after aliases.
        const order = [0, 1, 2, 3, 6, 4, 5];
        return [header!, ...rows].map((row) => order.map((index) => `"${row[index]!.replace(/"/g, '""')}"`).join(',')).join('\n');
      },
    });
    const result = await importFrom(folder);
    if (!result.ok) throw new Error(result.problems.map((problem) => formatProblem(problem, directoryImportEn)).join('\n'));
    const sample = await importSample();
    expect(result.directory.processes).toEqual(sample.processes.map((process) => (process.code === 'PER' ? { ...process, descriptionNb: '' } : process)));
  });

  it('reads the descriptions from the processes and roles sheets of a workbook', async () => {
    const target = path.join(tempFolder(), 'katalog.xlsx');
    await sampleWorkbook(target, {
      editRows: (file, rows) => {
        if (file === 'processes') rows[1]![rows[0]!.indexOf('description_en')] = 'Edited in Excel.';
        if (file === 'roles') rows[2]![rows[0]!.indexOf('description_nb')] = 'Endret i Excel.';
      },
    });
    const result = await importFrom(target);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const sample = await importSample();
    expect(result.directory.processes[0]).toEqual({ ...sample.processes[0]!, descriptionEn: 'Edited in Excel.' });
    expect(result.directory.roles[1]).toEqual({ ...sample.roles[1]!, descriptionNb: 'Endret i Excel.' });
    expect(result.directory.processes.slice(1)).toEqual(sample.processes.slice(1));
  });

  it('reads a workbook without the description columns', async () => {
    const target = path.join(tempFolder(), 'gammel.xlsx');
    const drop = (rows: string[][], columns: string[]) => {
      const indexes = columns.map((column) => rows[0]!.indexOf(column)).sort((a, b) => b - a);
      for (const row of rows) for (const index of indexes) row.splice(index, 1);
    };
    await sampleWorkbook(target, {
      editRows: (file, rows) => {
        if (file === 'processes') drop(rows, ['description_nb', 'description_en']);
        if (file === 'roles') drop(rows, ['description_nb']);
      },
    });
    const result = await importFrom(target);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.directory.processes.every((process) => process.descriptionNb === '' && process.descriptionEn === '')).toBe(true);
    expect(result.directory.roles.every((role) => role.descriptionNb === '' && role.descriptionEn !== '')).toBe(true);
  });

  it('refuses a description longer than the limit, with its file and line, in both languages', async () => {
    const folder = fixtureFolder({
      'processes.csv': (text) => withCell(text, 'PBO', 'description_en', 'x'.repeat(MAX_DESCRIPTION_LENGTH + 1)),
      // Counted in characters: 600 of "ø" are fine, though they take 1,200 bytes.
      'roles.csv': (text) =>
        withCell(
          withCell(text, 'systemforvalter', 'description_nb', 'ø'.repeat(MAX_DESCRIPTION_LENGTH + 20)),
          'innforingsleder',
          'description_nb',
          'ø'.repeat(MAX_DESCRIPTION_LENGTH),
        ),
    });
    const problems = await problemsOf(folder);
    expect(problems).toEqual([
      { file: 'processes.csv', line: 4, code: 'too-long', params: { column: 'description_en', length: 601, max: 600 } },
      { file: 'roles.csv', line: 6, code: 'too-long', params: { column: 'description_nb', length: 620, max: 600 } },
    ]);
    expect(problems.map((problem) => formatProblem(problem, directoryImportNb))).toEqual([
      'processes.csv:4: teksten i «description_en» har 601 tegn; høyst 600 er tillatt',
      'roles.csv:6: teksten i «description_nb» har 620 tegn; høyst 600 er tillatt',
    ]);
    expect(formatProblem(problems[0]!, directoryImportEn)).toBe('processes.csv:4: the text in "description_en" has 601 characters; at most 600 are allowed');
  });
});

describe('problems', () => {
  const peopleText = sampleText('people.csv');
  const peopleEnd = lineCount(peopleText) + 1;

  /** Each problem code from a small broken fixture, with the file and line it must point at. */
  /** `file` and `params` may be asymmetric matchers where the exact text depends on the machine or a library. */
  const cases: { name: string; source: () => Promise<string> | string; expected: { file: unknown; line: number | null; code: ImportProblemCode; params: unknown } }[] = [
    {
      name: 'missing-source',
      source: () => path.join(tempFolder(), 'nowhere'),
      expected: { file: expect.stringContaining('nowhere'), line: null, code: 'missing-source', params: {} },
    },
    {
      name: 'unsupported-source',
      source: () => path.join(SAMPLE_FOLDER, 'people.csv'),
      expected: { file: path.join(SAMPLE_FOLDER, 'people.csv'), line: null, code: 'unsupported-source', params: {} },
    },
    {
      name: 'unreadable-workbook',
      source: () => {
        const target = path.join(tempFolder(), 'broken.xlsx');
        writeFileSync(target, 'not a zip file');
        return target;
      },
      expected: { file: expect.stringContaining('broken.xlsx'), line: null, code: 'unreadable-workbook', params: { detail: expect.any(String) } },
    },
    {
      name: 'invalid-encoding',
      // Saved as Windows-1252/Latin-1: the first non-ASCII letter is "ø" in "ingeniørvitenskap" on line 5.
      source: () => fixtureFolder({ 'units.csv': Buffer.from(sampleText('units.csv'), 'latin1') }),
      expected: { file: 'units.csv', line: 5, code: 'invalid-encoding', params: {} },
    },
    {
      name: 'unclosed-quote',
      source: () =>
        fixtureFolder({ 'people.csv': appendRows(peopleText, 'prosessradgiver,BTB,IE,"Ola Nordmann,ola@ntnu.example,,', 'prosessradgiver,BTB,IE,Kari,kari@ntnu.example,,') }),
      expected: { file: 'people.csv', line: peopleEnd, code: 'unclosed-quote', params: {} },
    },
    {
      name: 'missing-file',
      source: () => fixtureFolder({ 'roles.csv': null }),
      expected: { file: 'roles.csv', line: null, code: 'missing-file', params: {} },
    },
    {
      name: 'missing-column',
      source: () => fixtureFolder({ 'contact-points.csv': (text) => replaceLine(text, 1, 'code,name_nb,name_en,email,url,handling') }),
      expected: { file: 'contact-points.csv', line: 1, code: 'missing-column', params: { column: 'handles' } },
    },
    {
      name: 'duplicate-column',
      source: () => fixtureFolder({ 'units.csv': (text) => replaceLine(text, 1, 'code,parent,kind,name_nb,name_en,name_nb') }),
      expected: { file: 'units.csv', line: 1, code: 'duplicate-column', params: { column: 'name_nb' } },
    },
    {
      name: 'wrong-field-count',
      source: () => fixtureFolder({ 'processes.csv': (text) => appendRows(text, 'NY,Ny prosess,New process,central,,,,extra') }),
      expected: { file: 'processes.csv', line: 11, code: 'wrong-field-count', params: { expected: 7, actual: 8 } },
    },
    {
      name: 'missing-value',
      source: () => fixtureFolder({ 'people.csv': (text) => replaceLine(text, 4, 'prosessradgiver,PROSJ,AD,  ,hege.eriksen@ntnu.example,,') }),
      expected: { file: 'people.csv', line: 4, code: 'missing-value', params: { column: 'name' } },
    },
    {
      name: 'too-long',
      source: () => fixtureFolder({ 'roles.csv': (text) => withCell(text, 'prosessansvarlig', 'description_en', 'Leads. '.repeat(100)) }),
      expected: { file: 'roles.csv', line: 3, code: 'too-long', params: { column: 'description_en', length: 699, max: 600 } },
    },
    {
      name: 'invalid-email',
      source: () => fixtureFolder({ 'people.csv': (text) => replaceLine(text, 3, 'prosessradgiver,BTB,AD,Astrid Henriksen,astrid.henriksen(at)ntnu.example,,') }),
      expected: { file: 'people.csv', line: 3, code: 'invalid-email', params: { column: 'email', value: 'astrid.henriksen(at)ntnu.example' } },
    },
    {
      name: 'invalid-url',
      source: () => fixtureFolder({ 'contact-points.csv': (text) => replaceLine(text, 4, 'ntnu-hjelp,NTNU Hjelp,NTNU Help,,hjelp.ntnu.no,Questions not answered elsewhere') }),
      expected: { file: 'contact-points.csv', line: 4, code: 'invalid-url', params: { column: 'url', value: 'hjelp.ntnu.no' } },
    },
    {
      name: 'invalid-kind',
      source: () => fixtureFolder({ 'units.csv': (text) => replaceLine(text, 3, 'HF,,fakultet,Det humanistiske fakultet,Faculty of Humanities,') }),
      expected: { file: 'units.csv', line: 3, code: 'invalid-kind', params: { value: 'fakultet', allowed: ['faculty', 'department', 'museum', 'administration', 'division'] } },
    },
    {
      name: 'invalid-advisor-model',
      source: () => fixtureFolder({ 'processes.csv': (text) => replaceLine(text, 2, 'BTB,Behov til betaling,Purchase to pay,lokal,,,') }),
      expected: { file: 'processes.csv', line: 2, code: 'invalid-advisor-model', params: { value: 'lokal', allowed: ['local', 'service-centre', 'central'] } },
    },
    {
      name: 'unknown-parent-unit',
      source: () =>
        fixtureFolder({ 'units.csv': (text) => replaceLine(text, 10, 'IAP,ad,department,Institutt for arkitektur og planlegging,Department of Architecture and Planning,') }),
      expected: { file: 'units.csv', line: 10, code: 'unknown-parent-unit', params: { value: 'ad', suggestion: 'AD' } },
    },
    {
      name: 'unknown-unit',
      source: () => fixtureFolder({ 'people.csv': (text) => appendRows(text, 'prosessradgiver,BTB,XYZ,Ola Nordmann,ola.nordmann@ntnu.example,,') }),
      expected: { file: 'people.csv', line: peopleEnd, code: 'unknown-unit', params: { value: 'XYZ', suggestion: null } },
    },
    {
      name: 'unknown-process',
      source: () => fixtureFolder({ 'people.csv': (text) => appendRows(text, 'prosessradgiver,btb,IE,Ola Nordmann,ola.nordmann@ntnu.example,,') }),
      expected: { file: 'people.csv', line: peopleEnd, code: 'unknown-process', params: { value: 'btb', suggestion: 'BTB' } },
    },
    {
      name: 'unknown-role',
      source: () => fixtureFolder({ 'people.csv': (text) => appendRows(text, 'radgiver,BTB,IE,Ola Nordmann,ola.nordmann@ntnu.example,,') }),
      expected: { file: 'people.csv', line: peopleEnd, code: 'unknown-role', params: { value: 'radgiver', suggestion: null } },
    },
    {
      name: 'duplicate-code (exact)',
      source: () => fixtureFolder({ 'roles.csv': (text) => appendRows(text, 'innforingsleder,Innføringsleder,Implementation lead,Innføringsleiar,Igjen.,Again.,') }),
      expected: { file: 'roles.csv', line: 8, code: 'duplicate-code', params: { code: 'innforingsleder', firstCode: 'innforingsleder', firstLine: 7 } },
    },
    {
      name: 'duplicate-code (differs only by case)',
      source: () => fixtureFolder({ 'units.csv': (text) => appendRows(text, 'KIT,AD,department,Kunstakademiet,Academy of Fine Art,') }),
      expected: { file: 'units.csv', line: 74, code: 'duplicate-code', params: { code: 'KIT', firstCode: 'KiT', firstLine: 13 } },
    },
    {
      name: 'duplicate-row',
      source: () => fixtureFolder({ 'people.csv': (text) => appendRows(text, 'prosessradgiver,PBO,HF,Thomas Næss,Thomas.Naess@ntnu.example,,') }),
      expected: { file: 'people.csv', line: peopleEnd, code: 'duplicate-row', params: { firstLine: 9 } },
    },
    {
      name: 'conflicting-person',
      source: () => fixtureFolder({ 'people.csv': (text) => appendRows(text, 'prosessradgiver,BTB,HF,Tomas Næss,thomas.naess@ntnu.example,,') }),
      expected: {
        file: 'people.csv',
        line: peopleEnd,
        code: 'conflicting-person',
        params: { email: 'thomas.naess@ntnu.example', column: 'name', value: 'Tomas Næss', firstValue: 'Thomas Næss', firstLine: 9 },
      },
    },
    {
      name: 'unit-cycle',
      source: () => fixtureFolder({ 'units.csv': (text) => replaceLine(text, 2, 'AD,KiT,faculty,Fakultet for arkitektur og design,Faculty of Architecture and Design,') }),
      expected: { file: 'units.csv', line: 2, code: 'unit-cycle', params: { cycle: ['AD', 'KiT', 'AD'] } },
    },
    {
      name: 'missing-email-or-url',
      source: () => fixtureFolder({ 'contact-points.csv': (text) => appendRows(text, 'ny,Nytt punkt,New point,,,Nothing') }),
      expected: { file: 'contact-points.csv', line: 5, code: 'missing-email-or-url', params: {} },
    },
    {
      name: 'missing-required-role',
      source: () => fixtureFolder({ 'roles.csv': (text) => replaceLine(text, 6, 'systemforvalter-x,Systemforvalter universitet,University system manager,,Manages systems.,') }),
      expected: { file: 'roles.csv', line: null, code: 'missing-required-role', params: { code: 'systemforvalter' } },
    },
  ];

  it.each(cases)('$name', async ({ source, expected }) => {
    const problems = await problemsOf(await source());
    expect(problems).toContainEqual(expected);
    // Every problem has a message in both languages.
    for (const problem of problems) {
      expect(formatProblem(problem, directoryImportNb)).toMatch(/\S: \S/);
      expect(formatProblem(problem, directoryImportEn)).toMatch(/\S: \S/);
    }
  });

  it('covers every problem code', () => {
    const codes = new Set(cases.map((testCase) => testCase.expected.code));
    // The role-holder list's own codes are covered by test/roleHolders/validateRoleHolders.test.ts.
    const directoryCodes = Object.keys(directoryImportNb.problems).filter((code) => !(ROLE_HOLDER_PROBLEM_CODES as readonly string[]).includes(code));
    expect([...codes].sort()).toEqual(directoryCodes.sort());
  });

  it('reports a row with too few fields once, not once per shifted value', async () => {
    const folder = fixtureFolder({ 'processes.csv': (text) => appendRows(text, 'NY,Ny prosess') });
    expect(await problemsOf(folder)).toEqual([{ file: 'processes.csv', line: 11, code: 'wrong-field-count', params: { expected: 7, actual: 2 } }]);
  });

  it('reports only the cause when a referenced file is missing, not every reference to it', async () => {
    const problems = await problemsOf(fixtureFolder({ 'units.csv': null }));
    expect(problems).toEqual([{ file: 'units.csv', line: null, code: 'missing-file', params: {} }]);
  });

  it('collects every problem in all files, in file and line order', async () => {
    const folder = fixtureFolder({
      'units.csv': (text) => replaceLine(text, 3, 'HF,,fakultet,Det humanistiske fakultet,Faculty of Humanities,'),
      'people.csv': (text) => appendRows(replaceLine(text, 3, 'prosessradgiver,BTB,AD,Astrid Henriksen,astrid.henriksen,,'), 'prosessradgiver,BTB,XYZ,,ola@ntnu.example,,'),
      'contact-points.csv': (text) => replaceLine(text, 4, 'ntnu-hjelp,NTNU Hjelp,NTNU Help,,ftp://hjelp.ntnu.no,'),
    });
    const problems = await problemsOf(folder);
    expect(problems.map((problem) => formatProblem(problem, directoryImportNb))).toEqual([
      'units.csv:3: ukjent enhetstype «fakultet»; gyldige typer er faculty, department, museum, administration, division',
      'people.csv:3: «astrid.henriksen» i «email» er ikke en gyldig e-postadresse',
      `people.csv:${peopleEnd}: «name» må fylles ut`,
      `people.csv:${peopleEnd}: enheten «XYZ» finnes ikke blant enhetene`,
      'contact-points.csv:4: «ftp://hjelp.ntnu.no» i «url» er ikke en gyldig nettadresse (den må begynne med https:// eller http://)',
      'contact-points.csv:4: «handles» må fylles ut',
    ]);
  });

  it('gives the start line of a record that follows quoted line breaks', async () => {
    const folder = fixtureFolder({
      'people.csv': (text) => appendRows(text, 'prosessradgiver,BTB,IE,Kari Nordmann,kari.nordmann@ntnu.example,,"two\nlines"', 'prosessradgiver,BTB,IE,Ola,ola(at)ntnu.example,,'),
    });
    expect(await problemsOf(folder)).toEqual([{ file: 'people.csv', line: peopleEnd + 2, code: 'invalid-email', params: { column: 'email', value: 'ola(at)ntnu.example' } }]);
  });

  it('reports workbook problems by sheet and row', async () => {
    const target = path.join(tempFolder(), 'katalog.xlsx');
    await sampleWorkbook(target, {
      omitSheet: 'contact-points',
      editRows: (file, rows) => {
        if (file === 'people') rows[3]![2] = 'XYZ';
      },
    });
    expect(await problemsOf(target)).toEqual([
      { file: 'katalog.xlsx#people', line: 4, code: 'unknown-unit', params: { value: 'XYZ', suggestion: null } },
      { file: 'katalog.xlsx#contact-points', line: null, code: 'missing-file', params: {} },
    ]);
  });
});
