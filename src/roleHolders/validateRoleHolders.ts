import { PROCESS_ROLES, type ProcessRole } from '../announcements/model';
import type { RawSingleTableSource } from '../directory/import/readDirectorySource';
import { codeIndexOf, ProblemList, readTable, RowCheck, unreadSourceProblem, type ImportProblem } from '../directory/import/validateDirectory';
import { fold } from '../language/text';
import type { RoleHolder } from './model';

/**
 * Turns the role-holder file's rows into role holders, or into every problem
 * found (file, line and a code with its parameters, worded by
 * src/i18n/directoryImportWording like the directory's). Units and processes
 * are checked against the directory the app answers from.
 */

export type RoleHolderValidation = { ok: true; holders: RoleHolder[] } | { ok: false; problems: ImportProblem[] };

/** The codes the list may refer to: the stored directory's. */
export interface KnownCodes {
  units: readonly string[];
  processes: readonly string[];
}

/** `process` may be left out of the header: a list without processes holds each role for every process. */
const REQUIRED_COLUMNS = ['email', 'name', 'role', 'unit'] as const;

/** Unit4 and people write "Prosjektøkonom" or "søknadsregistrerer"; both fold to the codes. */
const ROLE_BY_FOLDED = new Map<string, ProcessRole>(PROCESS_ROLES.map((role) => [fold(role), role]));

export function validateRoleHolders(raw: RawSingleTableSource, known: KnownCodes): RoleHolderValidation {
  if (raw.status !== 'read') return { ok: false, problems: [unreadSourceProblem(raw)] };
  const problems = new ProblemList();
  const table = readTable(raw.table, REQUIRED_COLUMNS, problems);
  const holders: RoleHolder[] = [];
  if (table !== null) {
    const units = codeIndexOf(known.units);
    const processes = codeIndexOf(known.processes);
    const firstRowByKey = new Map<string, number>();
    const firstByEmail = new Map<string, { line: number; name: string }>();
    for (const row of table.rows) {
      const check = new RowCheck(row, table, problems);
      const email = check.email('email', true) ?? '';
      const name = check.required('name');
      const roleText = check.required('role');
      const role = ROLE_BY_FOLDED.get(fold(roleText));
      if (roleText !== '' && role === undefined) check.problem('unknown-process-role', { value: roleText, allowed: PROCESS_ROLES });
      const unit = check.required('unit');
      const process = check.optional('process');
      check.reference(unit, units, 'unknown-unit');
      check.reference(process ?? '', processes, 'unknown-process');
      if (role === undefined || email === '') continue;

      const key = JSON.stringify([role, process, unit, email.toLowerCase()]);
      const firstLine = firstRowByKey.get(key);
      if (firstLine !== undefined) check.problem('duplicate-row', { firstLine });
      else firstRowByKey.set(key, row.line);
      // One e-mail is one person: the rows must agree on their name.
      const first = firstByEmail.get(email.toLowerCase());
      if (first === undefined) firstByEmail.set(email.toLowerCase(), { line: row.line, name });
      else if (name !== '' && first.name !== '' && name !== first.name) {
        check.problem('conflicting-person', { email, column: 'name', value: name, firstValue: first.name, firstLine: first.line });
      }
      holders.push({ email, name, role, unit, process });
    }
  }
  if (problems.isEmpty()) return { ok: true, holders };
  return { ok: false, problems: problems.sorted([raw.table.file]) };
}
