import path from 'node:path';
import { loadConfig } from '../../config';
import { directoryImportTexts } from '../../i18n';
import { describePersonChange, formatProblem } from '../../i18n/directoryImportWording';
import type { DirectoryImportTexts } from '../../i18n/nb/directoryImport';
import { openConfiguredStorage, type ConfiguredStorage } from '../../storage/configuredStorage';
import { DirectoryConflictError, TableDirectoryStore } from '../directoryStore';
import { diffDirectories, isEmptyDiff, type DirectoryDiff } from '../import/diffDirectories';
import { readDirectorySource } from '../import/readDirectorySource';
import { validateDirectory } from '../import/validateDirectory';
import type { Directory } from '../model';
import { countPeople, diffRoleHolders, isEmptyRoleHolderDiff, type RoleHolderDiff } from '../../roleHolders/diffRoleHolders';
import { ROLE_HOLDER_SHEET } from '../../roleHolders/model';
import { RoleHolderConflictError, TableRoleHolderStore } from '../../roleHolders/roleHolderStore';
import { readSingleTableSource } from '../import/readDirectorySource';
import { validateRoleHolders } from '../../roleHolders/validateRoleHolders';

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

const EMPTY_DIRECTORY: Directory = { units: [], processes: [], roles: [], people: [], contactPoints: [] };

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

  // Validate before touching storage: a bad file must not even start Azurite.
  const result = validateDirectory(await readDirectorySource(parsed.source));
  if (!result.ok) {
    for (const problem of result.problems) io.err(formatProblem(problem, texts));
    io.err(texts.problemCount(result.problems.length));
    return EXIT_FAILED;
  }

  let storage: ConfiguredStorage | undefined;
  try {
    // The app's own configuration, so the command finds the directory the app reads.
    const config = loadConfig(io.env);
    storage = await openConfiguredStorage(config.storage);
    const store = await TableDirectoryStore.open(storage.tables, io.env.DIRECTORY_TABLE || `${config.tablePrefix}directory`);
    const current = await store.current();
    const diff = diffDirectories(current?.directory ?? EMPTY_DIRECTORY, result.directory);
    if (parsed.dryRun) {
      io.out(texts.dryRun(parsed.source));
    } else {
      const snapshot = await store.replace(result.directory, path.resolve(parsed.source), {
        expectedVersion: current?.version ?? null,
      });
      io.out(texts.imported(parsed.source, snapshot.version));
    }
    for (const line of describeDiff(diff, current === null, texts)) io.out(line);
    return EXIT_OK;
  } catch (error) {
    io.err(error instanceof DirectoryConflictError ? texts.conflict : texts.failed(error instanceof Error ? error.message : String(error)));
    return EXIT_FAILED;
  } finally {
    await storage?.stop();
  }
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
    const directory = await (await TableDirectoryStore.open(storage.tables, io.env.DIRECTORY_TABLE || `${config.tablePrefix}directory`)).current();
    if (directory === null) {
      io.err(texts.roleHolders.noDirectory);
      return EXIT_FAILED;
    }
    const result = validateRoleHolders(raw, {
      units: directory.directory.units.map((unit) => unit.code),
      processes: directory.directory.processes.map((process) => process.code),
    });
    if (!result.ok) {
      for (const problem of result.problems) io.err(formatProblem(problem, texts));
      io.err(texts.problemCount(result.problems.length));
      return EXIT_FAILED;
    }
    const store = await TableRoleHolderStore.open(storage.tables, `${config.tablePrefix}roleholders`);
    const current = await store.current();
    const diff = diffRoleHolders(current?.holders ?? [], result.holders);
    if (dryRun) io.out(texts.roleHolders.dryRun(source));
    else {
      const snapshot = await store.replace(result.holders, path.resolve(source), { expectedVersion: current?.version ?? null });
      io.out(texts.roleHolders.imported(source, snapshot.version));
    }
    if (current === null) io.out(texts.roleHolders.firstImport(countPeople(result.holders), result.holders.length));
    else for (const line of describeRoleHolderDiff(diff, texts)) io.out(line);
    return EXIT_OK;
  } catch (error) {
    io.err(error instanceof RoleHolderConflictError ? texts.conflict : texts.failed(error instanceof Error ? error.message : String(error)));
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
