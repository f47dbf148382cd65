import path from 'node:path';
import { loadConfig } from '../../config';
import { directoryImportTexts } from '../../i18n';
import { describePersonChange, formatProblem } from '../../i18n/directoryImportWording';
import type { DirectoryImportTexts } from '../../i18n/nb/directoryImport';
import { openConfiguredStorage, type ConfiguredStorage } from '../../storage/configuredStorage';
import type { Refused } from '../../core/outcome';
import { TableDirectoryStore } from '../directoryStore';
import { isEmptyDiff, type DirectoryDiff } from '../import/diffDirectories';
import { DirectoryImport, OPERATOR, type ImportInvalid } from '../import/directoryImport';
import { readDirectorySource, readSingleTableSource } from '../import/readDirectorySource';
import { countPeople, isEmptyRoleHolderDiff, type RoleHolderDiff } from '../../roleHolders/diffRoleHolders';
import { ROLE_HOLDER_SHEET } from '../../roleHolders/model';
import { RoleHolderImport } from '../../roleHolders/roleHolderImport';
import { TableRoleHolderStore } from '../../roleHolders/roleHolderStore';

/**
 * `npm run directory:import -- <folder or workbook.xlsx> [--dry-run]`: the
 * coordinator's way to publish a new directory. Nothing is stored unless every
 * file is valid.
 *
 * `npm run directory:import -- --role-holders <file.csv or .xlsx> [--dry-run]`:
 * the same for the list of who holds process roles. A flag rather than a
 * guess from the file name, since a workbook could be either; its units and
 * processes are checked against the stored directory.
 */

export interface ImportIo {
  env: Record<string, string | undefined>;
  out(line: string): void;
  err(line: string): void;
}

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

export async function runImport(args: string[], io: ImportIo): Promise<number> {
  const texts = textsFor(io.env);
  const parsed = parseArguments(args);
  if (parsed.kind === 'help') {
    io.out(texts.usage);
    return EXIT_OK;
  }
  if (parsed.kind === 'invalid') {
    if (parsed.unknownOption !== undefined) io.err(texts.unknownOption(parsed.unknownOption));
    if (parsed.tooManyArguments) io.err(texts.tooManyArguments);
    io.err(texts.usage);
    return EXIT_USAGE;
  }

  if (parsed.roleHolders) return importRoleHolders(parsed.source, parsed.dryRun, io, texts);

  const raw = await readDirectorySource(parsed.source);
  const opened: { storage?: ConfiguredStorage } = {};
  // Opened only once the files are valid: a bad file must not even start Azurite.
  const openStore = async () => {
    // The app's own configuration, so the command finds the directory the app reads.
    const config = loadConfig(io.env);
    const storage = (opened.storage = await openConfiguredStorage(config.storage));
    return TableDirectoryStore.open(storage.tables, io.env.DIRECTORY_TABLE || `${config.tablePrefix}directory`);
  };
  const imports = new DirectoryImport({ store: once(openStore), mayImport: () => false });
  try {
    const preview = await imports.preview(OPERATOR, raw);
    if (preview.kind !== 'preview') return printRefusal(preview, io, texts);
    if (parsed.dryRun) {
      io.out(texts.dryRun(parsed.source));
    } else {
      const applied = await imports.apply(OPERATOR, raw, preview.baseVersion, path.resolve(parsed.source));
      if (applied.kind !== 'applied') return printRefusal(applied, io, texts);
      io.out(texts.imported(parsed.source, applied.snapshot.version));
    }
    for (const line of describeDiff(preview.diff, preview.firstImport, texts)) io.out(line);
    return EXIT_OK;
  } catch (error) {
    io.err(texts.failed(error instanceof Error ? error.message : String(error)));
    return EXIT_FAILED;
  } finally {
    await opened.storage?.stop();
  }
}

/** Why nothing was imported: every problem of the files, or the refusal. */
function printRefusal(result: ImportInvalid | Refused<'not-coordinator' | 'conflict' | 'no-directory'>, io: ImportIo, texts: DirectoryImportTexts): number {
  if (result.kind === 'invalid') {
    for (const problem of result.problems) io.err(formatProblem(problem, texts));
    io.err(texts.problemCount(result.problems.length));
    return EXIT_FAILED;
  }
  switch (result.code) {
    case 'conflict':
      io.err(texts.conflict);
      break;
    case 'no-directory':
      io.err(texts.roleHolders.noDirectory);
      break;
    case 'not-coordinator':
      // Only users are asked for a role; the operator (OPERATOR) is not.
      io.err(texts.failed(result.code));
      break;
  }
  return EXIT_FAILED;
}

/** The function's result, made on the first call. */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}

type ParsedArguments =
  { kind: 'run'; source: string; dryRun: boolean; roleHolders: boolean } | { kind: 'help' } | { kind: 'invalid'; unknownOption?: string; tooManyArguments: boolean };

function parseArguments(args: string[]): ParsedArguments {
  const sources: string[] = [];
  let dryRun = false;
  let roleHolders = false;
  for (const arg of args) {
    if (arg === '--help' || arg === '-h') return { kind: 'help' };
    if (arg === '--dry-run') dryRun = true;
    else if (arg === '--role-holders') roleHolders = true;
    else if (arg.startsWith('-')) return { kind: 'invalid', unknownOption: arg, tooManyArguments: false };
    else sources.push(arg);
  }
  const [source] = sources;
  if (source === undefined || sources.length > 1) return { kind: 'invalid', tooManyArguments: sources.length > 1 };
  return { kind: 'run', source, dryRun, roleHolders };
}

/** The role-holder list: read, then checked against the stored directory, then stored whole or not at all. */
async function importRoleHolders(source: string, dryRun: boolean, io: ImportIo, texts: DirectoryImportTexts): Promise<number> {
  const raw = await readSingleTableSource(source, ROLE_HOLDER_SHEET);
  let storage: ConfiguredStorage | undefined;
  try {
    const config = loadConfig(io.env);
    storage = await openConfiguredStorage(config.storage);
    const directoryStore = await TableDirectoryStore.open(storage.tables, io.env.DIRECTORY_TABLE || `${config.tablePrefix}directory`);
    const imports = new RoleHolderImport({
      store: await TableRoleHolderStore.open(storage.tables, `${config.tablePrefix}roleholders`),
      knownCodes: async () => {
        const directory = (await directoryStore.current())?.directory;
        return directory ? { units: directory.units.map((unit) => unit.code), processes: directory.processes.map((process) => process.code) } : null;
      },
      mayImport: () => false,
    });
    const preview = await imports.preview(OPERATOR, raw);
    if (preview.kind !== 'preview') return printRefusal(preview, io, texts);
    if (dryRun) io.out(texts.roleHolders.dryRun(source));
    else {
      const applied = await imports.apply(OPERATOR, raw, preview.baseVersion, path.resolve(source));
      if (applied.kind !== 'applied') return printRefusal(applied, io, texts);
      io.out(texts.roleHolders.imported(source, applied.snapshot.version));
    }
    if (preview.firstImport) io.out(texts.roleHolders.firstImport(countPeople(preview.holders), preview.holders.length));
    else for (const line of describeRoleHolderDiff(preview.diff, texts)) io.out(line);
    return EXIT_OK;
  } catch (error) {
    io.err(texts.failed(error instanceof Error ? error.message : String(error)));
    return EXIT_FAILED;
  } finally {
    await storage?.stop();
  }
}

function describeRoleHolderDiff(diff: RoleHolderDiff, texts: DirectoryImportTexts): string[] {
  if (isEmptyRoleHolderDiff(diff)) return [texts.roleHolders.noChanges];
  return describePeople(diff, texts);
}

/** The people a directory or role-holder import adds, removes and changes, one line each after their counts. */
function describePeople(people: RoleHolderDiff, texts: DirectoryImportTexts): string[] {
  return [
    texts.people({ added: people.added.length, removed: people.removed.length, changed: people.changed.length }),
    ...people.added.map((person) => `  + ${person.name} <${person.email}>`),
    ...people.removed.map((person) => `  - ${person.name} <${person.email}>`),
    ...people.changed.map((person) => `  ~ ${person.name} <${person.email}>: ${person.changes.flatMap((change) => describePersonChange(change, texts)).join('; ')}`),
  ];
}

/** Bokmål unless the locale asks for English or nynorsk (LC_ALL overrides LANG, as in POSIX). */
function textsFor(env: ImportIo['env']): DirectoryImportTexts {
  const locale = (env.LC_ALL || env.LANG || '').toLowerCase();
  return directoryImportTexts(locale.startsWith('en') ? 'en' : locale.startsWith('nn') ? 'nn' : 'nb');
}

function describeDiff(diff: DirectoryDiff, firstImport: boolean, texts: DirectoryImportTexts): string[] {
  if (firstImport) {
    // Listing every person of a first import would bury the summary.
    return [texts.firstImport(diff.people.added.length, diff.units.added, diff.processes.added, diff.roles.added, diff.contactPoints.added)];
  }
  if (isEmptyDiff(diff)) return [texts.noChanges];
  return [...describePeople(diff.people, texts), texts.units(diff.units), texts.processes(diff.processes), texts.roles(diff.roles), texts.contactPoints(diff.contactPoints)];
}

if (require.main === module) {
  void runImport(process.argv.slice(2), {
    env: process.env,
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  }).then((code) => {
    process.exitCode = code;
  });
}
