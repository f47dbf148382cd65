import type { Refused } from '../core/outcome';
import { mayImport, type ImportAuthorisation, type ImportInvalid, type Importer } from '../directory/import/directoryImport';
import type { RawSingleTableSource } from '../directory/import/readDirectorySource';
import { diffRoleHolders, isEmptyRoleHolderDiff, type RoleHolderDiff } from './diffRoleHolders';
import type { RoleHolder } from './model';
import { RoleHolderConflictError, type RoleHolderSnapshot, type RoleHolderStore } from './roleHolderStore';
import { validateRoleHolders, type KnownCodes } from './validateRoleHolders';

export interface RoleHolderImportDependencies extends ImportAuthorisation {
  store: Pick<RoleHolderStore, 'current' | 'replace'>;
  /** The units and processes of the directory the list is checked against; null when no directory was ever imported. */
  knownCodes: () => Promise<KnownCodes | null>;
}

/** Without a directory there is nothing to check the list's units and processes against. */
type NoDirectory = Refused<'no-directory'>;

export type RoleHolderPreview =
  | {
      kind: 'preview';
      diff: RoleHolderDiff;
      /** The version the diff is against, to apply it on (null: no list imported yet). */
      baseVersion: string | null;
      firstImport: boolean;
      unchanged: boolean;
      holders: RoleHolder[];
    }
  | ImportInvalid
  | NoDirectory
  | Refused<'not-coordinator'>;

export type RoleHolderApplyResult = { kind: 'applied'; snapshot: RoleHolderSnapshot } | ImportInvalid | NoDirectory | Refused<'not-coordinator'> | Refused<'conflict'>;

/**
 * The coordinator's list of who holds process roles, from the import command
 * and the Forvaltning tab alike: preview a file against the directory (its
 * problems, or what it changes), then apply exactly that file on the version
 * it was previewed against. Stored whole or not at all.
 */
export class RoleHolderImport {
  constructor(private readonly deps: RoleHolderImportDependencies) {}

  async preview(by: Importer, source: RawSingleTableSource): Promise<RoleHolderPreview> {
    const checked = await this.check(by, source);
    if (checked.kind !== 'valid') return checked;
    const current = await this.deps.store.current();
    const diff = diffRoleHolders(current?.holders ?? [], checked.holders);
    return { kind: 'preview', diff, baseVersion: current?.version ?? null, firstImport: current === null, unchanged: isEmptyRoleHolderDiff(diff), holders: checked.holders };
  }

  /** `description` says where the list came from, for the record (a path, "tab upload by …"). */
  async apply(by: Importer, source: RawSingleTableSource, expectedVersion: string | null, description: string): Promise<RoleHolderApplyResult> {
    const checked = await this.check(by, source);
    if (checked.kind !== 'valid') return checked;
    try {
      return { kind: 'applied', snapshot: await this.deps.store.replace(checked.holders, description, { expectedVersion }) };
    } catch (error) {
      if (error instanceof RoleHolderConflictError) return { kind: 'refused', code: 'conflict' };
      throw error;
    }
  }

  private async check(by: Importer, source: RawSingleTableSource): Promise<{ kind: 'valid'; holders: RoleHolder[] } | ImportInvalid | NoDirectory | Refused<'not-coordinator'>> {
    if (!mayImport(by, this.deps)) return { kind: 'refused', code: 'not-coordinator' };
    const known = await this.deps.knownCodes();
    if (known === null) return { kind: 'refused', code: 'no-directory' };
    const validation = validateRoleHolders(source, known);
    return validation.ok ? { kind: 'valid', holders: validation.holders } : { kind: 'invalid', problems: validation.problems };
  }
}
