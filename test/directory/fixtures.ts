import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { afterAll } from 'vitest';
import { DIRECTORY_FILES } from '../../src/directory/import/readDirectorySource';
import { sampleDirectoryFolder } from '../../src/directory/seedDirectory';
import type { Assignment, Directory } from '../../src/directory/model';

export const SAMPLE_FOLDER = sampleDirectoryFolder();

const tempFolders: string[] = [];
afterAll(() => {
  for (const folder of tempFolders) rmSync(folder, { recursive: true, force: true });
});

export function tempFolder(): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'directory-import-'));
  tempFolders.push(folder);
  return folder;
}

export function sampleText(file: string): string {
  return readFileSync(path.join(SAMPLE_FOLDER, file), 'utf8');
}

/** A copy of the sample directory with some files edited (a function gets the sample text) or removed (null). */
export function fixtureFolder(edits: Record<string, string | Buffer | null | ((sample: string) => string)> = {}): string {
  const folder = tempFolder();
  cpSync(SAMPLE_FOLDER, folder, { recursive: true });
  for (const [file, edit] of Object.entries(edits)) {
    const target = path.join(folder, file);
    if (edit === null) rmSync(target);
    else if (typeof edit === 'function') writeFileSync(target, edit(sampleText(file)));
    else writeFileSync(target, edit);
  }
  return folder;
}

/** Replaces line `line` (1-based) of a CSV text. */
export function replaceLine(text: string, line: number, replacement: string): string {
  const lines = text.split('\n');
  if (lines[line - 1] === undefined) throw new Error(`no line ${line}`);
  lines[line - 1] = replacement;
  return lines.join('\n');
}

/** A CSV text without the named columns, as a file made before they existed. */
export function withoutColumns(text: string, columns: string[]): string {
  const [header = [], ...rows] = parse(text, { bom: true });
  const keep = header.map((column) => !columns.includes(column));
  return stringify([header, ...rows].map((row) => row.filter((_field, index) => keep[index])));
}

/** A CSV text with one cell (by code in the first column and column name) set to `value`. */
export function withCell(text: string, code: string, column: string, value: string): string {
  const [header = [], ...rows] = parse(text, { bom: true });
  const index = header.indexOf(column);
  const row = rows.find((candidate) => candidate[0] === code);
  if (index === -1 || row === undefined) throw new Error(`no ${column} of ${code}`);
  row[index] = value;
  return stringify([header, ...rows]);
}

/** Appends rows; the first appended row's line number is lineCount(text) + 1. */
export function appendRows(text: string, ...rows: string[]): string {
  return `${text.replace(/\n*$/, '\n')}${rows.join('\n')}\n`;
}

export function lineCount(text: string): number {
  return text.replace(/\n*$/, '').split('\n').length;
}

/** Builds the workbook a coordinator would keep: one sheet per CSV of the sample. */
export async function sampleWorkbook(
  target: string,
  options: { omitSheet?: string; sheetName?: (file: string) => string; editRows?: (file: string, rows: string[][]) => void } = {},
): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  for (const file of [...DIRECTORY_FILES, 'events-archive']) {
    if (file === options.omitSheet) continue;
    const rows = parse(sampleText(`${file}.csv`), { bom: true });
    options.editRows?.(file, rows);
    const sheet = workbook.addWorksheet(options.sheetName?.(file) ?? file);
    for (const row of rows) sheet.addRow(row);
  }
  await workbook.xlsx.writeFile(target);
  return target;
}

/** The sample's structure with `count` generated people spread over its units, processes and roles. */
export function withGeneratedPeople(base: Directory, count: number, label = 'gen'): Directory {
  const people: Assignment[] = Array.from({ length: count }, (_, index) => {
    const unit = base.units[index % base.units.length];
    const process = base.processes[index % base.processes.length];
    const role = base.roles[index % base.roles.length];
    if (!unit || !process || !role) throw new Error('empty base directory');
    return {
      role: role.code,
      process: index % 7 === 0 ? null : process.code,
      unit: unit.code,
      name: `Person ${label} ${index} Ærlig-Øvrebø`,
      email: `person.${label}.${index}@ntnu.example`,
      phone: index % 3 === 0 ? `+47 735 ${String(index).padStart(5, '0')}` : null,
      note: index % 5 === 0 ? `note ${index}; with, punctuation "and quotes"` : null,
    };
  });
  return { ...base, people };
}
