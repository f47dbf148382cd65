import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { DIRECTORY_FILES, readDirectorySource, type RawDirectorySource } from '../directory/import/readDirectorySource';
import type { ImportProblem } from '../directory/import/validateDirectory';

/** A directory is a few MB at most (10,000 people); more is a wrong file. */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

/** The request that carries them: the files in base64 (4 bytes for every 3) and 64 KB for names and JSON. */
export const DIRECTORY_UPLOAD_LIMIT_BYTES = Math.ceil((MAX_UPLOAD_BYTES * 4) / 3) + 64 * 1024;

const uploadSchema = z.object({
  files: z
    .array(z.object({ name: z.string().min(1).max(200), contentBase64: z.string().max(Math.ceil((MAX_UPLOAD_BYTES * 4) / 3) + 4) }))
    .min(1)
    .max(DIRECTORY_FILES.length),
});

export type UploadCheck =
  | {
      kind: 'read';
      source: RawDirectorySource;
      digest: string;
      /** Problems naming files as the coordinator knows them, not by the temporary folder they were read from. */
      named(problems: readonly ImportProblem[]): ImportProblem[];
    }
  | { kind: 'bad-request'; problem: 'malformed' | 'too-large' | 'file-names' };

/**
 * The files a coordinator uploaded in the tab: the CSV files of a directory
 * (units.csv, people.csv …) or one .xlsx workbook. They are written to a
 * temporary folder and read by the same code as the import command, and
 * checked by the same service (DirectoryImport), so the tab and the command
 * accept exactly the same files. The digest names the
 * exact bytes, so "apply" applies what the preview showed.
 */
export async function readUploadedDirectory(body: unknown): Promise<UploadCheck> {
  const parsed = uploadSchema.safeParse(body);
  if (!parsed.success) return { kind: 'bad-request', problem: 'malformed' };
  const files = parsed.data.files.map((file) => ({ name: path.basename(file.name), bytes: Buffer.from(file.contentBase64, 'base64') }));
  if (files.reduce((sum, file) => sum + file.bytes.length, 0) > MAX_UPLOAD_BYTES) return { kind: 'bad-request', problem: 'too-large' };
  const workbook = files.length === 1 && /\.xlsx$/i.test(files[0]?.name ?? '');
  const allCsv = files.every((file) => /\.csv$/i.test(file.name));
  const names = new Set(files.map((file) => file.name.toLowerCase()));
  if ((!workbook && !allCsv) || names.size !== files.length || !/^[\w .()-]+$/.test(files.map((file) => file.name).join(''))) {
    return { kind: 'bad-request', problem: 'file-names' };
  }

  const digest = createHash('sha256');
  for (const file of [...files].sort((a, b) => a.name.localeCompare(b.name))) digest.update(`${file.name}\n${file.bytes.length}\n`).update(file.bytes);

  const folder = await mkdtemp(path.join(os.tmpdir(), 'directory-upload-'));
  try {
    for (const file of files) await writeFile(path.join(folder, file.name), file.bytes);
    const source = workbook ? path.join(folder, files[0]?.name ?? '') : folder;
    return {
      kind: 'read',
      source: await readDirectorySource(source),
      digest: digest.digest('hex'),
      named: (problems) => problems.map((problem) => ({ ...problem, file: problem.file.startsWith(folder) ? path.basename(problem.file) || problem.file : problem.file })),
    };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
