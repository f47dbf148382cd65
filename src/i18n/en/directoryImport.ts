import type { DirectoryImportTexts, ProblemTexts } from '../nb/directoryImport';

/** Texts of the directory import, English (shaped by the Norwegian module, so keys cannot drift). */

const sameCodeApartFromCase = (suggestion: string | null): string => (suggestion === null ? '' : ` (did you mean "${suggestion}"? Codes are case-sensitive)`);

const problems: ProblemTexts = {
  'missing-source': () => 'does not exist',
  'unsupported-source': () => 'is neither a folder of CSV files nor an Excel workbook (.xlsx)',
  'unreadable-workbook': ({ detail }) => `cannot be read as an Excel workbook (${detail})`,
  'invalid-encoding': () => 'the file is not saved as UTF-8, so æ, ø and å come out wrong; save it again as "CSV UTF-8"',
  'unclosed-quote': () => 'a quotation mark (") opened in this row is never closed, so the rest of the file cannot be read',
  'missing-file': () => 'is missing; the directory needs this file (or this sheet in the workbook)',
  'missing-column': ({ column }) => `the header row lacks the column "${column}"`,
  'duplicate-column': ({ column }) => `the column "${column}" appears more than once in the header row`,
  'wrong-field-count': ({ expected, actual }) => `the row has ${actual} fields, but the header row has ${expected}`,
  'missing-value': ({ column }) => `"${column}" must be filled in`,
  'too-long': ({ column, length, max }) => `the text in "${column}" has ${length} characters; at most ${max} are allowed`,
  'invalid-email': ({ column, value }) => `"${value}" in "${column}" is not a valid e-mail address`,
  'invalid-url': ({ column, value }) => `"${value}" in "${column}" is not a valid web address (it must start with https:// or http://)`,
  'invalid-kind': ({ value, allowed }) => `unknown unit kind "${value}"; valid kinds are ${allowed.join(', ')}`,
  'invalid-advisor-model': ({ value, allowed }) => `unknown advisor model "${value}"; valid values are ${allowed.join(', ')}`,
  'unknown-parent-unit': ({ value, suggestion }) => `the parent unit "${value}" is not among the units${sameCodeApartFromCase(suggestion)}`,
  'unknown-unit': ({ value, suggestion }) => `the unit "${value}" is not among the units${sameCodeApartFromCase(suggestion)}`,
  'unknown-process': ({ value, suggestion }) => `the process "${value}" is not among the processes${sameCodeApartFromCase(suggestion)}`,
  'unknown-role': ({ value, suggestion }) => `the role "${value}" is not among the roles${sameCodeApartFromCase(suggestion)}`,
  'duplicate-code': ({ code, firstCode, firstLine }) =>
    code === firstCode ? `the code "${code}" is already used on line ${firstLine}` : `the code "${code}" differs only in case from "${firstCode}" on line ${firstLine}`,
  'duplicate-row': ({ firstLine }) => `same role, process, unit and e-mail address as on line ${firstLine}`,
  'conflicting-person': ({ email, column, value, firstValue, firstLine }) =>
    column === 'name'
      ? `${email} has the name "${value}" here but "${firstValue}" on line ${firstLine}`
      : `${email} has the phone number "${value}" here but "${firstValue}" on line ${firstLine}`,
  'unit-cycle': ({ cycle }) => `the units are each other's parents in a loop: ${cycle.join(' → ')}`,
  'missing-email-or-url': () => 'the contact point needs an e-mail address or a web address',
  'missing-required-role': ({ code }) => `the role "${code}" is missing; the app depends on it`,
  'unknown-process-role': ({ value, allowed }) => `unknown process role "${value}"; valid roles are ${allowed.join(', ')}`,
};

export const directoryImportEn: DirectoryImportTexts = {
  problems,
  usage: [
    'Usage: npm run directory:import -- <folder or workbook.xlsx> [--dry-run]',
    '',
    'Reads the directory (units, processes, roles, people and contact-points) from a folder of',
    'CSV files or from an Excel workbook with one sheet per file, checks everything, and',
    'replaces the stored directory when there are no problems.',
    '  --dry-run  checks and shows the changes without storing anything',
    '',
    'npm run directory:import -- --role-holders <role-holders.csv or .xlsx> [--dry-run]',
    'reads instead the list of who holds process roles (e-mail, name, role, unit and process),',
    'checks it against the stored directory and replaces the stored list.',
    '  --role-holders  the file is the role-holder list, not the directory',
  ].join('\n'),
  unknownOption: (option) => `Unknown option: ${option}`,
  tooManyArguments: 'Give only one folder or workbook.',
  problemCount: (count) => `Found ${count} ${count === 1 ? 'problem' : 'problems'}. Nothing was changed.`,
  imported: (source, version) => `The directory was imported from ${source} (version ${version}).`,
  dryRun: (source) => `Dry run: the directory in ${source} is valid, but nothing was stored.`,
  firstImport: (people, units, processes, roles, contactPoints) =>
    `There was no directory before. New directory: ${people} people, ${units} units, ${processes} processes, ${roles} roles and ${contactPoints} contact points.`,
  noChanges: 'No changes compared with the stored directory.',
  people: ({ added, removed, changed }) => `People: ${added} added, ${removed} removed, ${changed} changed`,
  units: ({ added, removed, changed }) => `Units: ${added} added, ${removed} removed, ${changed} changed`,
  processes: ({ added, removed, changed }) => `Processes: ${added} added, ${removed} removed, ${changed} changed`,
  roles: ({ added, removed, changed }) => `Roles: ${added} added, ${removed} removed, ${changed} changed`,
  contactPoints: ({ added, removed, changed }) => `Contact points: ${added} added, ${removed} removed, ${changed} changed`,
  nameChanged: (before, after) => `name "${before}" → "${after}"`,
  phoneChanged: (before, after) => `phone ${before ?? '(none)'} → ${after ?? '(none)'}`,
  assignmentAdded: ({ role, process, unit }) => `new role: ${role}${process === null ? '' : ` for ${process}`} at ${unit}`,
  assignmentRemoved: ({ role, process, unit }) => `removed role: ${role}${process === null ? '' : ` for ${process}`} at ${unit}`,
  roleHolders: {
    imported: (source, version) => `The role-holder list was imported from ${source} (version ${version}).`,
    dryRun: (source) => `Dry run: the role-holder list in ${source} is valid, but nothing was stored.`,
    firstImport: (people, rows) => `There was no role-holder list before. New list: ${people} people holding ${rows} roles.`,
    noChanges: 'No changes compared with the stored role-holder list.',
    noDirectory: 'There is no directory yet. Import the directory first: the units and processes in the list are checked against it.',
  },
  conflict: 'Another import finished in the meantime, so nothing was changed. Run the command again.',
  failed: (message) => `The import failed and nothing was changed: ${message}`,
};
