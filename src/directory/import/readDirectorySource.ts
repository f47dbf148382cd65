import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseCsv, CsvError } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';

/**
 * Reads the coordinator's directory files as raw text rows, from a folder of
 * CSV files or from an .xlsx workbook with one sheet per file. Nothing is
 * interpreted here beyond the file format: validateDirectory decides what the
 * rows mean and turns every shortcoming (including the ones found here) into
 * problems.
 */

/** The files that make up a directory, by their name without `.csv` (also the XLSX sheet names). */
export const DIRECTORY_FILES = ['units', 'processes', 'roles', 'people', 'contact-points'] as const;
export type DirectoryFileName = (typeof DIRECTORY_FILES)[number];

export interface RawRow {
  /** Display name of the file the row came from: `people.csv` or `workbook.xlsx#people`. */
  file: string;
  /** 1-based line (CSV) or sheet row (XLSX); the header is line 1. */
  line: number;
  /** Cell text by column name, untrimmed; a column the row has no cell for is absent. */
  values: Record<string, string>;
  /** Set when a CSV record has more or fewer fields than the header, so its values may sit in the wrong columns. */
  fieldCount?: { expected: number; actual: number };
}

export type RawTable =
  | { status: 'read'; file: string; columns: string[]; rows: RawRow[] }
  | { status: 'missing'; file: string }
  | { status: 'unreadable'; file: string; line: number; reason: UnreadableReason };

/** With relaxed quoting and field counts, an unclosed quote is the only CSV syntax csv-parse rejects. */
export type UnreadableReason = 'invalid-encoding' | 'unclosed-quote';

export type RawDirectorySource =
  | { status: 'read'; source: string; tables: Record<DirectoryFileName, RawTable> }
  | { status: 'not-found'; source: string }
  | { status: 'unsupported'; source: string }
  | { status: 'unreadable'; source: string; detail: string };

export async function readDirectorySource(source: string): Promise<RawDirectorySource> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(source)).isDirectory();
  } catch {
    return { status: 'not-found', source };
  }
  if (isDirectory) return { status: 'read', source, tables: await readCsvFolder(source) };
  if (path.extname(source).toLowerCase() === '.xlsx') return readWorkbook(source);
  return { status: 'unsupported', source };
}

export type RawSingleTableSource = { status: 'read'; source: string; table: RawTable } | Exclude<RawDirectorySource, { status: 'read' }>;

/**
 * Reads a file that is one table (the role-holder list): a CSV file, or an
 * .xlsx workbook whose sheet named `sheetName` (or, failing that, its first
 * sheet: a Unit4 export has one) holds it.
 */
export async function readSingleTableSource(source: string, sheetName: string): Promise<RawSingleTableSource> {
  let isFile: boolean;
  try {
    isFile = (await stat(source)).isFile();
  } catch {
    return { status: 'not-found', source };
  }
  const extension = path.extname(source).toLowerCase();
  if (!isFile || (extension !== '.csv' && extension !== '.xlsx')) return { status: 'unsupported', source };
  if (extension === '.csv') return { status: 'read', source, table: parseCsvTable(path.basename(source), await readFile(source)) };
  const { Workbook } = await import('exceljs');
  const workbook = new Workbook();
  try {
    await workbook.xlsx.readFile(source);
  } catch (error) {
    return { status: 'unreadable', source, detail: error instanceof Error ? error.message : String(error) };
  }
  const sheet = workbook.worksheets.find((candidate) => candidate.name.trim().toLowerCase() === sheetName) ?? workbook.worksheets[0];
  const file = `${path.basename(source)}#${sheet?.name ?? sheetName}`;
  return { status: 'read', source, table: sheet === undefined ? { status: 'missing', file } : readSheet(file, sheet) };
}

async function readCsvFolder(folder: string): Promise<Record<DirectoryFileName, RawTable>> {
  // Match file names case-insensitively: a folder saved from Windows may hold `Units.csv`.
  const entries = await readdir(folder);
  const byLowerName = new Map(entries.map((entry) => [entry.toLowerCase(), entry]));
  const tables = await Promise.all(
    DIRECTORY_FILES.map(async (name): Promise<[DirectoryFileName, RawTable]> => {
      const expected = `${name}.csv`;
      const actual = byLowerName.get(expected);
      if (actual === undefined) return [name, { status: 'missing', file: expected }];
      return [name, parseCsvTable(actual, await readFile(path.join(folder, actual)))];
    }),
  );
  return Object.fromEntries(tables) as Record<DirectoryFileName, RawTable>;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function parseCsvTable(file: string, bytes: Uint8Array): RawTable {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    // Typically a CSV saved by Excel as Windows-1252: æøå would be garbled, so refuse it.
    return { status: 'unreadable', file, line: firstInvalidUtf8Line(bytes), reason: 'invalid-encoding' };
  }
  // One line-ending convention keeps csv-parse's line count exact (it is off with CRLF line endings).
  text = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');

  const recordEndLines: number[] = [];
  let records: string[][];
  try {
    records = parseCsv(text, {
      delimiter: detectDelimiter(text),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      on_record: (record: string[], context) => {
        recordEndLines.push(context.lines);
        return record;
      },
    });
  } catch (error) {
    if (!(error instanceof CsvError && error.code === 'CSV_QUOTE_NOT_CLOSED')) throw error;
    // The open quote swallows the rest of the file, so point at where the broken record starts.
    return { status: 'unreadable', file, line: (recordEndLines.at(-1) ?? 0) + 1, reason: 'unclosed-quote' };
  }

  const [header, ...data] = records;
  if (header === undefined) return { status: 'read', file, columns: [], rows: [] };
  const columns = header.map((column) => column.trim());
  const rows = data.map((fields, index): RawRow => {
    // A record ends on its recorded line; quoted newlines inside it move its start up.
    const endLine = recordEndLines[index + 1] ?? 0;
    const line = endLine - fields.reduce((count, field) => count + countNewlines(field), 0);
    const row: RawRow = { file, line, values: zipRow(columns, fields) };
    if (fields.length !== columns.length) row.fieldCount = { expected: columns.length, actual: fields.length };
    return row;
  });
  return { status: 'read', file, columns, rows };
}

/** Norwegian Excel saves "CSV" with semicolons; the header (plain column names) tells which it is. */
function detectDelimiter(text: string): ',' | ';' {
  const headerLine = text.slice(0, text.indexOf('\n') === -1 ? undefined : text.indexOf('\n'));
  return !headerLine.includes(',') && headerLine.includes(';') ? ';' : ',';
}

function firstInvalidUtf8Line(bytes: Uint8Array): number {
  const lenient = new TextDecoder('utf-8').decode(bytes);
  const index = lenient.indexOf('\uFFFD');
  return lenient.slice(0, Math.max(index, 0)).split('\n').length;
}

function countNewlines(text: string): number {
  let count = 0;
  for (const char of text) if (char === '\n') count += 1;
  return count;
}

function zipRow(columns: string[], fields: string[]): Record<string, string> {
  const values: Record<string, string> = {};
  columns.forEach((column, index) => {
    const field = fields[index];
    // A repeated column name keeps its first cell; validation reports the repetition.
    if (column !== '' && field !== undefined && !(column in values)) values[column] = field;
  });
  return values;
}

async function readWorkbook(source: string): Promise<RawDirectorySource> {
  // Loaded on demand: only workbook imports need it, and it is heavy for the bot to carry.
  const { Workbook } = await import('exceljs');
  const workbook = new Workbook();
  try {
    await workbook.xlsx.readFile(source);
  } catch (error) {
    return { status: 'unreadable', source, detail: error instanceof Error ? error.message : String(error) };
  }
  const workbookName = path.basename(source);
  const sheetsByName = new Map<string, ExcelJS.Worksheet>();
  for (const sheet of workbook.worksheets) {
    // Sheet names are matched leniently: `People`, `people.csv` and ` people ` all mean people.
    sheetsByName.set(
      sheet.name
        .trim()
        .toLowerCase()
        .replace(/\.csv$/, ''),
      sheet,
    );
  }
  const tables = Object.fromEntries(
    DIRECTORY_FILES.map((name): [DirectoryFileName, RawTable] => {
      const sheet = sheetsByName.get(name);
      if (sheet === undefined) return [name, { status: 'missing', file: `${workbookName}#${name}` }];
      return [name, readSheet(`${workbookName}#${sheet.name}`, sheet)];
    }),
  ) as Record<DirectoryFileName, RawTable>;
  return { status: 'read', source, tables };
}

function readSheet(file: string, sheet: ExcelJS.Worksheet): RawTable {
  const headerRow = sheet.getRow(1);
  // Cells without a header name (notes beside the table, say) are not part of the data.
  const columnsByIndex = new Map<number, string>();
  headerRow.eachCell((cell, columnNumber) => {
    const name = cellText(cell.value).trim();
    if (name !== '') columnsByIndex.set(columnNumber, name);
  });
  const rows: RawRow[] = [];
  sheet.eachRow((row, rowNumber) => {
    if (rowNumber === 1) return;
    const values: Record<string, string> = {};
    for (const [columnNumber, column] of columnsByIndex) {
      if (!(column in values)) values[column] = cellText(row.getCell(columnNumber).value);
    }
    rows.push({ file, line: rowNumber, values });
  });
  return { status: 'read', file, columns: [...columnsByIndex.values()], rows };
}

/** The text a user sees in a cell, whatever Excel stored (rich text, hyperlinked e-mail, formula result, number). */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('hyperlink' in value) return cellText(value.text);
  if ('formula' in value || 'sharedFormula' in value) return cellText(value.result);
  return value.error;
}
