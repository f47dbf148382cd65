import type { PersonChange, PersonSummary } from '../directory/import/diffDirectories';
import { diffPeople } from '../directory/import/diffDirectories';
import type { RoleHolder } from './model';

/**
 * What a new role-holder list changes, person by person (by e-mail): who is
 * new, who is gone, and whose name or roles changed. The directory's people
 * diff does the work, so the command and the tab word both alike.
 */
export interface RoleHolderDiff {
  added: PersonSummary[];
  removed: PersonSummary[];
  changed: PersonChange[];
}

export function diffRoleHolders(before: readonly RoleHolder[], after: readonly RoleHolder[]): RoleHolderDiff {
  return diffPeople(before.map(asAssignment), after.map(asAssignment));
}

export function isEmptyRoleHolderDiff(diff: RoleHolderDiff): boolean {
  return diff.added.length + diff.removed.length + diff.changed.length === 0;
}

/** How many people a list names (one person may hold several roles). */
export function countPeople(holders: readonly RoleHolder[]): number {
  return new Set(holders.map((holder) => holder.email.toLowerCase())).size;
}

function asAssignment(holder: RoleHolder) {
  return { role: holder.role, process: holder.process, unit: holder.unit, name: holder.name, email: holder.email, phone: null, note: null };
}
