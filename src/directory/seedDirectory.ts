import { existsSync } from 'node:fs';
import path from 'node:path';
import { DirectoryConflictError, type DirectorySnapshot, type DirectoryStore } from './directoryStore';
import { readDirectorySource } from './import/readDirectorySource';
import { validateDirectory, type ImportProblem } from './import/validateDirectory';

/**
 * The repository root: the nearest folder above `from` holding package.json.
 * Code runs from src/ under vitest and from dist/src/ when built, so paths
 * to shipped data are resolved from here rather than from __dirname.
 */
export function findRepositoryRoot(from: string = __dirname): string {
  for (let folder = path.resolve(from); ; folder = path.dirname(folder)) {
    if (existsSync(path.join(folder, 'package.json'))) return folder;
    if (path.dirname(folder) === folder) throw new Error(`No package.json above ${from}.`);
  }
}

export function sampleDirectoryFolder(): string {
  return path.join(findRepositoryRoot(), 'data', 'sample-directory');
}

/**
 * The shipped sample directory has problems. The shipped data is part of the
 * product, so this is a bug, not a user error: the message lists the problems
 * by code and parameters, for the developer who fixes the files.
 */
export class InvalidSampleDirectoryError extends Error {
  constructor(
    readonly folder: string,
    readonly problems: readonly ImportProblem[],
  ) {
    const lines = problems.map(({ file, line, code, params }) => `${line === null ? file : `${file}:${line}`}: ${code} ${JSON.stringify(params)}`);
    super(`The sample directory in ${folder} has ${problems.length} problem(s):\n${lines.join('\n')}`);
    this.name = 'InvalidSampleDirectoryError';
  }
}

/**
 * Gives a never-imported store the shipped sample directory, so a fresh
 * installation answers questions at once; a store with a directory is left alone.
 */
export async function ensureSeeded(store: DirectoryStore, sampleFolder: string = sampleDirectoryFolder()): Promise<DirectorySnapshot> {
  const existing = await store.current();
  if (existing !== null) return existing;

  const result = validateDirectory(await readDirectorySource(sampleFolder));
  if (!result.ok) throw new InvalidSampleDirectoryError(sampleFolder, result.problems);
  try {
    return await store.replace(result.directory, sampleFolder, { expectedVersion: null });
  } catch (error) {
    // Another instance seeded (or an import landed) first; theirs is as good.
    if (!(error instanceof DirectoryConflictError)) throw error;
    const seeded = await store.current();
    if (seeded === null) throw error;
    return seeded;
  }
}
