import { stringify } from 'csv-stringify/sync';
import type { DateTime } from 'luxon';
import { isAnonymised, type Actor } from '../../core/actor';
import { inOslo } from '../../core/osloTime';
import type { DirectoryIndex } from '../../directory/directoryIndex';
import { followUpTexts, localName, privacyTexts, suggestionTexts, type ReplyLanguage } from '../../i18n';
import type { Suggestion } from '../../suggestions/model';
import { QUESTION_COLUMNS, type QuestionExportRow } from '../advisorQuestions/questionExportFile';

/**
 * The suggestions export as a file, CSV or Excel, in the coordinator's
 * language: the export card's download links (src/exportRoute.ts) serve it.
 * Which suggestions go in is the domain's (src/suggestions/exportSuggestions.ts).
 */

/** One suggestion as a row of the export: texts in the coordinator's language, times in Norwegian time. */
export interface ExportRow {
  id: string;
  created: DateTime;
  process: string;
  unit: string;
  title: string;
  description: string;
  potential: string;
  system: string;
  state: string;
  assignee: string;
  submitter: string;
  mayContact: string;
  route: string;
  lastChange: DateTime;
  history: string;
}

type ExportColumn = keyof ExportRow;

/** The columns in order, with their width in characters for the workbook; long texts wrap there. */
const COLUMNS: ReadonlyArray<{ key: ExportColumn; width: number; wrap?: boolean }> = [
  { key: 'id', width: 14 },
  { key: 'created', width: 17 },
  { key: 'process', width: 26 },
  { key: 'unit', width: 32 },
  { key: 'title', width: 40, wrap: true },
  { key: 'description', width: 60, wrap: true },
  { key: 'potential', width: 50, wrap: true },
  { key: 'system', width: 20 },
  { key: 'state', width: 24 },
  { key: 'assignee', width: 22 },
  { key: 'submitter', width: 22 },
  { key: 'mayContact', width: 12 },
  { key: 'route', width: 32 },
  { key: 'lastChange', width: 17 },
  { key: 'history', width: 80, wrap: true },
];

const DATE_TIME_TEXT = 'yyyy-MM-dd HH:mm';
const DATE_TIME_EXCEL = 'yyyy-mm-dd hh:mm';

export function exportRows(suggestions: readonly Suggestion[], index: DirectoryIndex, language: ReplyLanguage): ExportRow[] {
  const t = suggestionTexts(language);
  const f = followUpTexts(language).export;
  return suggestions.map((suggestion) => {
    const process = index.process(suggestion.process);
    const unit = index.unit(suggestion.unit);
    const nameOf = (actor: Actor) => (isAnonymised(actor) ? privacyTexts(language).anonymised : actor.name);
    const history = suggestion.history.map((entry) => {
      const verb = [t.historyVerbs[entry.action], entry.assignee].filter(Boolean).join(' ');
      return `${inOslo(entry.at).toFormat(DATE_TIME_TEXT)} ${nameOf(entry.by)} ${verb}${entry.comment ? ` «${entry.comment}»` : ''}`;
    });
    return {
      id: suggestion.id,
      created: inOslo(suggestion.createdAt),
      process: process ? localName(process, language) : suggestion.process,
      unit: unit ? `${localName(unit, language)} (${unit.code})` : suggestion.unit,
      title: suggestion.title,
      description: suggestion.description,
      potential: suggestion.potential,
      system: t.systems[suggestion.system],
      state: t.states[suggestion.state],
      assignee: suggestion.assignee?.name ?? '',
      submitter: nameOf(suggestion.submitter),
      mayContact: suggestion.mayContact ? f.yes : f.no,
      route: suggestion.route.target.label,
      lastChange: inOslo(suggestion.history.at(-1)?.at ?? suggestion.updatedAt),
      history: history.join(' | '),
    };
  });
}

/**
 * CSV for Excel as Norwegian users have it: the list separator of the
 * Norwegian locale is the semicolon (the comma is the decimal sign), so a
 * double-clicked `;` file opens in columns where a `,` file lands in one; the
 * byte order mark makes Excel read UTF-8 (æøå) instead of the ANSI code page.
 */
export function suggestionsCsv(rows: readonly ExportRow[], language: ReplyLanguage): Buffer {
  return csv(rows, COLUMNS, followUpTexts(language).export.columns);
}

/** The questions to the advisors of the export, as a CSV of their own (one file, one table, as the suggestions'). */
export function questionsCsv(rows: readonly QuestionExportRow[], language: ReplyLanguage): Buffer {
  return csv(rows, QUESTION_COLUMNS, followUpTexts(language).export.questions.columns);
}

function csv<Row extends { [K in keyof Row]: string | DateTime }>(
  rows: readonly Row[],
  columns: ReadonlyArray<{ key: keyof Row & string }>,
  headers: Record<keyof Row & string, string>,
): Buffer {
  const text = stringify(
    rows.map((row) =>
      columns.map(({ key }) => {
        const value = row[key];
        return typeof value === 'string' ? neutraliseFormula(value) : value.toFormat(DATE_TIME_TEXT);
      }),
    ),
    { bom: true, delimiter: ';', record_delimiter: 'windows', header: true, columns: columns.map(({ key }) => headers[key]) },
  );
  return Buffer.from(text, 'utf8');
}

/**
 * Text a submitter typed must not run as a formula when Excel opens the file
 * (CSV injection); a leading apostrophe makes Excel show it as text. The
 * workbook needs no such care: its cells are typed.
 */
function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * An Excel workbook: the suggestions' sheet, and the questions to the advisors on a second sheet when the export has
 * them; each with a frozen header row with filters, real dates (Norwegian wall-clock time), wrapped long texts.
 */
export async function suggestionsXlsx(rows: readonly ExportRow[], language: ReplyLanguage, questions?: readonly QuestionExportRow[]): Promise<Buffer> {
  // Loaded on demand: only exports need it, and it is heavy for the bot to carry.
  const { Workbook } = await import('exceljs');
  const t = followUpTexts(language).export;
  const workbook = new Workbook();
  const addSheet = <Row extends { created: DateTime; lastChange: DateTime }>(
    name: string,
    columns: ReadonlyArray<{ key: keyof Row & string; width: number; wrap?: boolean }>,
    headers: Record<keyof Row & string, string>,
    sheetRows: readonly Row[],
  ) => {
    const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = columns.map(({ key, width, wrap }) => ({
      header: headers[key],
      key,
      width,
      style: {
        alignment: { vertical: 'top', wrapText: wrap ?? false },
        ...(key === 'created' || key === 'lastChange' ? { numFmt: DATE_TIME_EXCEL } : {}),
      },
    }));
    for (const row of sheetRows) {
      sheet.addRow({ ...row, created: excelDate(row.created), lastChange: excelDate(row.lastChange) });
    }
    sheet.getRow(1).font = { bold: true };
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  };
  addSheet(t.sheetName, COLUMNS, t.columns, rows);
  if (questions) addSheet(t.questions.sheetName, QUESTION_COLUMNS, t.questions.columns, questions);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Excel dates have no time zone: the cell holds the wall-clock time, which exceljs takes from the UTC fields. */
function excelDate(local: DateTime): Date {
  return new Date(Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second));
}
