import { z } from 'zod';
import {
  ADVISOR_MODELS,
  ROLE,
  UNIT_KINDS,
  type AdvisorModel,
  type Assignment,
  type ContactPoint,
  type Directory,
  type Process,
  type Role,
  type Unit,
  type UnitKind,
} from '../model';
import { DIRECTORY_FILES, type DirectoryFileName, type RawDirectorySource, type RawRow, type RawTable } from './readDirectorySource';

/**
 * Turns raw rows into a Directory, or into every problem found: the
 * coordinator fixes a file in one go instead of one error per attempt.
 */

/** Each problem code with the parameters its message needs. */
export interface ProblemParamsByCode {
  'missing-source': Record<string, never>;
  'unsupported-source': Record<string, never>;
  'unreadable-workbook': { detail: string };
  'invalid-encoding': Record<string, never>;
  'unclosed-quote': Record<string, never>;
  'missing-file': Record<string, never>;
  'missing-column': { column: string };
  'duplicate-column': { column: string };
  'wrong-field-count': { expected: number; actual: number };
  'missing-value': { column: string };
  /** `length` and `max` in characters. */
  'too-long': { column: string; length: number; max: number };
  'invalid-email': { column: string; value: string };
  'invalid-url': { column: string; value: string };
  'invalid-kind': { value: string; allowed: readonly string[] };
  'invalid-advisor-model': { value: string; allowed: readonly string[] };
  /** `suggestion` is the existing code that differs only by case, if any. */
  'unknown-parent-unit': { value: string; suggestion: string | null };
  'unknown-unit': { value: string; suggestion: string | null };
  'unknown-process': { value: string; suggestion: string | null };
  'unknown-role': { value: string; suggestion: string | null };
  /** `firstCode` equals `code`, or differs from it only by case. */
  'duplicate-code': { code: string; firstCode: string; firstLine: number };
  'duplicate-row': { firstLine: number };
  'conflicting-person': { email: string; column: 'name' | 'phone'; value: string; firstValue: string; firstLine: number };
  /** The chain of parent codes, starting and ending with the same unit. */
  'unit-cycle': { cycle: string[] };
  'missing-email-or-url': Record<string, never>;
  /** A role code the product's behaviour depends on (see ROLE in model.ts). */
  'missing-required-role': { code: string };
  /** The role-holder list: a process role that is not one the announcements target. */
  'unknown-process-role': { value: string; allowed: readonly string[] };
}

export type ImportProblemCode = keyof ProblemParamsByCode;

/** The codes only the role-holder list's validation gives (src/roleHolders); the directory's never does. */
export const ROLE_HOLDER_PROBLEM_CODES: readonly ImportProblemCode[] = ['unknown-process-role'];

export type ImportProblem = {
  [C in ImportProblemCode]: {
    /** Display name: `people.csv`, `workbook.xlsx#people`, or the source path for source-level problems. */
    file: string;
    /** 1-based line or sheet row; null when the problem concerns the whole file. */
    line: number | null;
    code: C;
    params: ProblemParamsByCode[C];
  };
}[ImportProblemCode];

export type ValidationResult = { ok: true; directory: Directory } | { ok: false; problems: ImportProblem[] };

/**
 * Columns of each file that must be in the header, even when their values are optional.
 * The description columns added later (processes' description_nb and description_en,
 * roles' description_nb and name_nn) are not listed: files made before them still import, and
 * their values are read as ''.
 */
const COLUMNS = {
  units: ['code', 'parent', 'kind', 'name_nb', 'name_en', 'aliases'],
  processes: ['code', 'name_nb', 'name_en', 'advisor_model', 'aliases'],
  roles: ['code', 'name_nb', 'name_en', 'description_en', 'aliases'],
  people: ['role', 'process', 'unit', 'name', 'email', 'phone', 'note'],
  'contact-points': ['code', 'name_nb', 'name_en', 'email', 'url', 'handles'],
} as const satisfies Record<DirectoryFileName, readonly string[]>;

/** A description is an answer in chat and on a card: a sentence or two, not a manual. */
export const MAX_DESCRIPTION_LENGTH = 600;
/** A role's name is a card title: a few words. */
const MAX_ROLE_NAME_LENGTH = 100;

const emailSchema = z.string().email();

/** Why a source could not be read at all: missing, of an unsupported kind, or an unreadable workbook. */
export function unreadSourceProblem(raw: Exclude<RawDirectorySource, { status: 'read' }>): ImportProblem {
  switch (raw.status) {
    case 'not-found':
      return { file: raw.source, line: null, code: 'missing-source', params: {} };
    case 'unsupported':
      return { file: raw.source, line: null, code: 'unsupported-source', params: {} };
    case 'unreadable':
      return { file: raw.source, line: null, code: 'unreadable-workbook', params: { detail: raw.detail } };
  }
}

export function validateDirectory(raw: RawDirectorySource): ValidationResult {
  if (raw.status !== 'read') return { ok: false, problems: [unreadSourceProblem(raw)] };

  const problems = new ProblemList();
  const units = readTable(raw.tables.units, COLUMNS.units, problems);
  const processes = readTable(raw.tables.processes, COLUMNS.processes, problems);
  const roles = readTable(raw.tables.roles, COLUMNS.roles, problems);
  const people = readTable(raw.tables.people, COLUMNS.people, problems);
  const contactPoints = readTable(raw.tables['contact-points'], COLUMNS['contact-points'], problems);

  const unitResult = validateUnits(units, problems);
  const processResult = validateProcesses(processes, problems);
  const roleResult = validateRoles(roles, problems);
  const directory: Directory = {
    units: unitResult.records,
    processes: processResult.records,
    roles: roleResult.records,
    people: validatePeople(people, { units: unitResult.codes, processes: processResult.codes, roles: roleResult.codes }, problems),
    contactPoints: validateContactPoints(contactPoints, problems),
  };

  if (problems.isEmpty()) return { ok: true, directory };
  const fileOrder = DIRECTORY_FILES.map((name) => raw.tables[name].file);
  return { ok: false, problems: problems.sorted(fileOrder) };
}

/** Problems as they are found; shared with the role-holder import. */
export class ProblemList {
  private readonly items: ImportProblem[] = [];

  add<C extends ImportProblemCode>(file: string, line: number | null, code: C, params: ProblemParamsByCode[C]): void {
    this.items.push({ file, line, code, params } as ImportProblem);
  }

  isEmpty(): boolean {
    return this.items.length === 0;
  }

  /** By file in directory order, then by line; whole-file problems first within a file. */
  sorted(fileOrder: string[]): ImportProblem[] {
    const rank = (problem: ImportProblem) => fileOrder.indexOf(problem.file);
    return [...this.items].sort((a, b) => rank(a) - rank(b) || (a.line ?? 0) - (b.line ?? 0));
  }
}

/** A readable table: its rows with trimmed values, and which columns it lacks (those are not checked per row). */
export interface Table {
  file: string;
  rows: Row[];
  missingColumns: Set<string>;
}

interface Row {
  file: string;
  line: number;
  /** Its field count differs from the header's (reported already), so its values may be in the wrong columns. */
  misaligned: boolean;
  /** Trimmed value, '' when empty or when the column is missing. */
  get(column: string): string;
}

export function readTable(raw: RawTable, columns: readonly string[], problems: ProblemList): Table | null {
  if (raw.status === 'missing') {
    problems.add(raw.file, null, 'missing-file', {});
    return null;
  }
  if (raw.status === 'unreadable') {
    problems.add(raw.file, raw.line, raw.reason, {});
    return null;
  }

  const seenColumns = new Set<string>();
  for (const column of raw.columns) {
    if (column === '') continue;
    if (seenColumns.has(column)) problems.add(raw.file, 1, 'duplicate-column', { column });
    seenColumns.add(column);
  }
  const missingColumns = new Set(columns.filter((column) => !seenColumns.has(column)));
  for (const column of missingColumns) problems.add(raw.file, 1, 'missing-column', { column });
  for (const row of raw.rows) {
    if (row.fieldCount) problems.add(raw.file, row.line, 'wrong-field-count', row.fieldCount);
  }

  // Rows that are blank in every column (spreadsheet leftovers) are not data.
  const rows = raw.rows.filter((row) => Object.values(row.values).some((value) => value.trim() !== '')).map(toRow);
  return { file: raw.file, rows, missingColumns };
}

function toRow(raw: RawRow): Row {
  return {
    file: raw.file,
    line: raw.line,
    misaligned: raw.fieldCount !== undefined,
    get: (column) => (raw.values[column] ?? '').trim(),
  };
}

/** Checks one row's values; missing columns were reported once for the whole file and are skipped here. */
export class RowCheck {
  constructor(
    private readonly row: Row,
    private readonly table: Table,
    private readonly problems: ProblemList,
  ) {}

  get line(): number {
    return this.row.line;
  }

  private present(column: string): boolean {
    return !this.table.missingColumns.has(column);
  }

  required(column: string): string {
    const value = this.row.get(column);
    if (value === '' && this.present(column)) this.problem('missing-value', { column });
    return value;
  }

  optional(column: string): string | null {
    const value = this.row.get(column);
    return value === '' ? null : value;
  }

  /** Free text of at most `max` characters; '' when empty or when the (optional) column is absent. */
  text(column: string, options: { required: boolean; max: number }): string {
    const value = options.required ? this.required(column) : this.row.get(column);
    // Characters as people count them, so æøå and emoji count once.
    const length = [...value].length;
    if (length > options.max) this.problem('too-long', { column, length, max: options.max });
    return value;
  }

  list(column: string): string[] {
    return this.row
      .get(column)
      .split(';')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  }

  oneOf<T extends string>(column: string, allowed: readonly T[], code: 'invalid-kind' | 'invalid-advisor-model'): T {
    const value = this.required(column);
    const match = allowed.find((candidate) => candidate === value);
    if (match !== undefined) return match;
    if (value !== '') this.problem(code, { value, allowed });
    // Any placeholder will do: a reported problem means this directory is never returned.
    return allowed[0] as T;
  }

  email(column: string, required: boolean): string | null {
    const value = required ? this.required(column) : this.optional(column);
    if (value && !emailSchema.safeParse(value).success) this.problem('invalid-email', { column, value });
    return value || null;
  }

  url(column: string): string | null {
    const value = this.optional(column);
    if (value !== null && !isWebUrl(value)) this.problem('invalid-url', { column, value });
    return value;
  }

  /** A reference to another file's code; skipped when that file could not be read (its problem is reported already). */
  reference(value: string, codes: CodeIndex | null, code: 'unknown-parent-unit' | 'unknown-unit' | 'unknown-process' | 'unknown-role'): void {
    if (value === '' || codes === null || codes.exact.has(value)) return;
    this.problem(code, { value, suggestion: codes.byLowerCase.get(value.toLowerCase())?.code ?? null });
  }

  /** A misaligned row gets no further problems: complaints about values in the wrong columns would mislead. */
  problem<C extends ImportProblemCode>(code: C, params: ProblemParamsByCode[C]): void {
    if (!this.row.misaligned) this.problems.add(this.row.file, this.row.line, code, params);
  }
}

function isWebUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** The codes of a file, for duplicate checks and for other files' references to it. */
export interface CodeIndex {
  exact: Set<string>;
  byLowerCase: Map<string, { code: string; line: number }>;
}

function newCodeIndex(): CodeIndex {
  return { exact: new Set(), byLowerCase: new Map() };
}

/** The index of codes already known to be valid (the stored directory's units, say). */
export function codeIndexOf(codes: readonly string[]): CodeIndex {
  const index = newCodeIndex();
  for (const [line, code] of codes.entries()) {
    index.exact.add(code);
    index.byLowerCase.set(code.toLowerCase(), { code, line: line + 1 });
  }
  return index;
}

/** Registers a code; codes equal to an earlier one, or equal apart from case, are duplicates. */
function registerCode(index: CodeIndex, check: RowCheck, code: string): void {
  if (code === '') return;
  const first = index.byLowerCase.get(code.toLowerCase());
  if (first !== undefined) {
    check.problem('duplicate-code', { code, firstCode: first.code, firstLine: first.line });
    return;
  }
  index.exact.add(code);
  index.byLowerCase.set(code.toLowerCase(), { code, line: check.line });
}

interface CodedRecords<T> {
  records: T[];
  /** null when the file could not be read or lacks its code column, so references to it cannot be checked. */
  codes: CodeIndex | null;
}

function validateUnits(table: Table | null, problems: ProblemList): CodedRecords<Unit> {
  if (table === null) return { records: [], codes: null };
  const codes = newCodeIndex();
  const records: Unit[] = [];
  const lines = new Map<Unit, number>();
  for (const row of table.rows) {
    const check = new RowCheck(row, table, problems);
    const unit: Unit = {
      code: check.required('code'),
      parent: check.optional('parent'),
      kind: check.oneOf<UnitKind>('kind', UNIT_KINDS, 'invalid-kind'),
      nameNb: check.required('name_nb'),
      nameEn: check.required('name_en'),
      aliases: check.list('aliases'),
    };
    registerCode(codes, check, unit.code);
    records.push(unit);
    lines.set(unit, row.line);
  }

  const usableCodes = table.missingColumns.has('code') ? null : codes;
  for (const row of table.rows) {
    new RowCheck(row, table, problems).reference(row.get('parent'), usableCodes, 'unknown-parent-unit');
  }
  for (const cycle of findParentCycles(records, lines)) {
    problems.add(table.file, cycle.line, 'unit-cycle', { cycle: cycle.codes });
  }
  return { records, codes: usableCodes };
}

/**
 * Each cycle in the parent chains once, reported on its member that comes first
 * in the file and listed from there along the parent links back to itself.
 */
function findParentCycles(units: Unit[], lines: Map<Unit, number>): { line: number; codes: string[] }[] {
  const byCode = new Map<string, Unit>();
  for (const unit of units) if (!byCode.has(unit.code)) byCode.set(unit.code, unit);

  const explored = new Set<string>();
  const cycles: { line: number; codes: string[] }[] = [];
  for (const start of units) {
    const chain: Unit[] = [];
    let current: Unit | undefined = start;
    while (current !== undefined && !explored.has(current.code)) {
      const seenAt = chain.indexOf(current);
      if (seenAt !== -1) {
        const members = chain.slice(seenAt);
        const first = members.reduce((a, b) => ((lines.get(a) ?? 0) <= (lines.get(b) ?? 0) ? a : b));
        const from = members.indexOf(first);
        const ordered = [...members.slice(from), ...members.slice(0, from)];
        cycles.push({ line: lines.get(first) ?? 0, codes: [...ordered, first].map((unit) => unit.code) });
        break;
      }
      chain.push(current);
      current = current.parent === null ? undefined : byCode.get(current.parent);
    }
    for (const unit of chain) explored.add(unit.code);
  }
  return cycles.sort((a, b) => a.line - b.line);
}

function validateProcesses(table: Table | null, problems: ProblemList): CodedRecords<Process> {
  if (table === null) return { records: [], codes: null };
  const codes = newCodeIndex();
  const records = table.rows.map((row): Process => {
    const check = new RowCheck(row, table, problems);
    const process: Process = {
      code: check.required('code'),
      nameNb: check.required('name_nb'),
      nameEn: check.required('name_en'),
      advisorModel: check.oneOf<AdvisorModel>('advisor_model', ADVISOR_MODELS, 'invalid-advisor-model'),
      descriptionNb: check.text('description_nb', { required: false, max: MAX_DESCRIPTION_LENGTH }),
      descriptionEn: check.text('description_en', { required: false, max: MAX_DESCRIPTION_LENGTH }),
      aliases: check.list('aliases'),
    };
    registerCode(codes, check, process.code);
    return process;
  });
  return { records, codes: table.missingColumns.has('code') ? null : codes };
}

function validateRoles(table: Table | null, problems: ProblemList): CodedRecords<Role> {
  if (table === null) return { records: [], codes: null };
  const codes = newCodeIndex();
  const records = table.rows.map((row): Role => {
    const check = new RowCheck(row, table, problems);
    const role: Role = {
      code: check.required('code'),
      nameNb: check.required('name_nb'),
      nameEn: check.required('name_en'),
      nameNn: check.text('name_nn', { required: false, max: MAX_ROLE_NAME_LENGTH }),
      descriptionNb: check.text('description_nb', { required: false, max: MAX_DESCRIPTION_LENGTH }),
      descriptionEn: check.text('description_en', { required: true, max: MAX_DESCRIPTION_LENGTH }),
      aliases: check.list('aliases'),
    };
    registerCode(codes, check, role.code);
    return role;
  });
  if (table.missingColumns.has('code')) return { records, codes: null };
  for (const code of Object.values(ROLE)) {
    if (!codes.exact.has(code)) problems.add(table.file, null, 'missing-required-role', { code });
  }
  return { records, codes };
}

interface ReferencedCodes {
  units: CodeIndex | null;
  processes: CodeIndex | null;
  roles: CodeIndex | null;
}

function validatePeople(table: Table | null, references: ReferencedCodes, problems: ProblemList): Assignment[] {
  if (table === null) return [];
  const firstRowByKey = new Map<string, number>();
  const firstByEmail = new Map<string, { line: number; name: string; phone: string | null }>();
  return table.rows.map((row): Assignment => {
    const check = new RowCheck(row, table, problems);
    const assignment: Assignment = {
      role: check.required('role'),
      process: check.optional('process'),
      unit: check.required('unit'),
      name: check.required('name'),
      // '' only alongside a reported problem, so it never reaches a returned directory.
      email: check.email('email', true) ?? '',
      phone: check.optional('phone'),
      note: check.optional('note'),
    };
    check.reference(assignment.role, references.roles, 'unknown-role');
    check.reference(assignment.process ?? '', references.processes, 'unknown-process');
    check.reference(assignment.unit, references.units, 'unknown-unit');
    if (assignment.email === '') return assignment;

    const email = assignment.email.toLowerCase();
    const key = JSON.stringify([assignment.role, assignment.process, assignment.unit, email]);
    const firstLine = firstRowByKey.get(key);
    if (firstLine !== undefined) check.problem('duplicate-row', { firstLine });
    else firstRowByKey.set(key, row.line);

    // One e-mail is one person: the rows must agree on who that is. A phone given on only some rows is fine.
    const first = firstByEmail.get(email);
    if (first === undefined) {
      firstByEmail.set(email, { line: row.line, name: assignment.name, phone: assignment.phone });
      return assignment;
    }
    if (assignment.name !== '' && first.name !== '' && assignment.name !== first.name) {
      check.problem('conflicting-person', { email: assignment.email, column: 'name', value: assignment.name, firstValue: first.name, firstLine: first.line });
    }
    if (assignment.phone !== null && first.phone !== null && assignment.phone !== first.phone) {
      check.problem('conflicting-person', { email: assignment.email, column: 'phone', value: assignment.phone, firstValue: first.phone, firstLine: first.line });
    }
    first.phone ??= assignment.phone;
    return assignment;
  });
}

function validateContactPoints(table: Table | null, problems: ProblemList): ContactPoint[] {
  if (table === null) return [];
  const codes = newCodeIndex();
  return table.rows.map((row): ContactPoint => {
    const check = new RowCheck(row, table, problems);
    const contactPoint: ContactPoint = {
      code: check.required('code'),
      nameNb: check.required('name_nb'),
      nameEn: check.required('name_en'),
      email: check.email('email', false),
      url: check.url('url'),
      handles: check.required('handles'),
    };
    registerCode(codes, check, contactPoint.code);
    const reachable = row.get('email') !== '' || row.get('url') !== '';
    if (!reachable && !table.missingColumns.has('email') && !table.missingColumns.has('url')) {
      check.problem('missing-email-or-url', {});
    }
    return contactPoint;
  });
}
