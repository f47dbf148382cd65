import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { readSingleTableSource, type RawSingleTableSource } from '../directory/import/readDirectorySource';
import type { ImportProblem } from '../directory/import/validateDirectory';
import { ROLE_HOLDER_SHEET } from '../roleHolders/model';
import { MAX_UPLOAD_BYTES } from './directoryUpload';

const uploadSchema = z.object({
  files: z.array(z.object({ name: z.string().min(1).max(200), contentBase64: z.string().max(Math.ceil((MAX_UPLOAD_BYTES * 4) / 3) + 4) })).length(1),
});

export type RoleHolderUploadCheck =
  | {
      kind: 'read';
      source: RawSingleTableSource;
      digest: string;
      /** Problems naming the file as the coordinator knows it, not by the temporary folder. */
      named(problems: readonly ImportProblem[]): ImportProblem[];
    }
  | { kind: 'bad-request'; problem: 'malformed' | 'too-large' | 'file-names' };

/**
 * The role-holder file a coordinator uploaded in the tab (one .csv or .xlsx),
 * read from a temporary folder by the same code as the import command, to
 * be checked by the same service (RoleHolderImport). The digest names the
 * exact bytes, so "apply" applies what the preview showed.
 */
export async function readUploadedRoleHolders(body: unknown): Promise<RoleHolderUploadCheck> {
  const parsed = uploadSchema.safeParse(body);
  const upload = parsed.success ? parsed.data.files[0] : undefined;
  if (upload === undefined) return { kind: 'bad-request', problem: 'malformed' };
  const name = path.basename(upload.name);
  const bytes = Buffer.from(upload.contentBase64, 'base64');
  if (bytes.length > MAX_UPLOAD_BYTES) return { kind: 'bad-request', problem: 'too-large' };
  if (!/^[\w .()-]+\.(csv|xlsx)$/i.test(name)) return { kind: 'bad-request', problem: 'file-names' };

  const digest = createHash('sha256').update(`${name}\n${bytes.length}\n`).update(bytes).digest('hex');
  const folder = await mkdtemp(path.join(os.tmpdir(), 'role-holder-upload-'));
  try {
    const file = path.join(folder, name);
    await writeFile(file, bytes);
    return {
      kind: 'read',
      source: await readSingleTableSource(file, ROLE_HOLDER_SHEET),
      digest,
      named: (problems) => problems.map((problem) => ({ ...problem, file: problem.file === file ? name : problem.file })),
    };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
