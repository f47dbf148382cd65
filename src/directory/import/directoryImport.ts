import type { Actor } from '../../core/actor';
import type { Refused } from '../../core/outcome';
import { DirectoryConflictError, type DirectorySnapshot, type DirectoryStore } from '../directoryStore';
import type { Directory } from '../model';
import { diffDirectories, isEmptyDiff, type DirectoryDiff } from './diffDirectories';
import type { RawDirectorySource } from './readDirectorySource';
import { validateDirectory, type ImportProblem } from './validateDirectory';

/** The operator running the import command: they hold the storage keys already, so no role is asked of them. */
export const OPERATOR = { kind: 'operator' } as const;

/** Who imports: a user (in the Forvaltning tab), who must be a coordinator, or the operator. */
export type Importer = Actor | typeof OPERATOR;

export interface ImportAuthorisation {
  /** Who among the users may replace the directory or the role-holder list. */
  mayImport(actor: Actor): boolean;
}

/** Every problem of a file that cannot be imported as it is, with file, line and reason. */
export interface ImportInvalid {
  kind: 'invalid';
  problems: ImportProblem[];
}

export interface DirectoryImportDependencies extends ImportAuthorisation {
  /** Opened on first use: a file with problems is answered without touching storage. */
  store: () => Promise<Pick<DirectoryStore, 'current' | 'replace'>>;
  /** After a replacement: this instance answers from the new directory at once (the others follow by themselves). */
  onReplaced?: (snapshot: DirectorySnapshot) => Promise<unknown>;
}

export type DirectoryPreview =
  | {
      kind: 'preview';
      diff: DirectoryDiff;
      /** The version the diff is against, to apply it on (null: nothing imported yet). */
      baseVersion: string | null;
      firstImport: boolean;
      unchanged: boolean;
      directory: Directory;
    }
  | ImportInvalid
  | Refused<'not-coordinator'>;

export type DirectoryApplyResult =
  | { kind: 'applied'; snapshot: DirectorySnapshot }
  | ImportInvalid
  | Refused<'not-coordinator'>
  /** Another import came first: nothing was changed. */
  | Refused<'conflict'>;

const EMPTY_DIRECTORY: Directory = { units: [], processes: [], roles: [], people: [], contactPoints: [] };

export function mayImport(by: Importer, authorisation: ImportAuthorisation): boolean {
  return isOperator(by) || authorisation.mayImport(by);
}

function isOperator(by: Importer): by is typeof OPERATOR {
  return by === OPERATOR;
}

/**
 * Publishing a new directory, from the import command and the Forvaltning tab
 * alike: preview a file (its problems, or what it changes), then apply
 * exactly that file on the version it was previewed against. Nothing is
 * stored unless every file is valid.
 */
export class DirectoryImport {
  constructor(private readonly deps: DirectoryImportDependencies) {}

  async preview(by: Importer, source: RawDirectorySource): Promise<DirectoryPreview> {
    if (!mayImport(by, this.deps)) return { kind: 'refused', code: 'not-coordinator' };
    const validation = validateDirectory(source);
    if (!validation.ok) return { kind: 'invalid', problems: validation.problems };
    const current = await (await this.deps.store()).current();
    const diff = diffDirectories(current?.directory ?? EMPTY_DIRECTORY, validation.directory);
    return { kind: 'preview', diff, baseVersion: current?.version ?? null, firstImport: current === null, unchanged: isEmptyDiff(diff), directory: validation.directory };
  }

  /** `description` says where the import came from, for the record (a path, "tab upload by …"). */
  async apply(by: Importer, source: RawDirectorySource, expectedVersion: string | null, description: string): Promise<DirectoryApplyResult> {
    if (!mayImport(by, this.deps)) return { kind: 'refused', code: 'not-coordinator' };
    const validation = validateDirectory(source);
    if (!validation.ok) return { kind: 'invalid', problems: validation.problems };
    let snapshot: DirectorySnapshot;
    try {
      snapshot = await (await this.deps.store()).replace(validation.directory, description, { expectedVersion });
    } catch (error) {
      if (error instanceof DirectoryConflictError) return { kind: 'refused', code: 'conflict' };
      throw error;
    }
    await this.deps.onReplaced?.(snapshot);
    return { kind: 'applied', snapshot };
  }
}
