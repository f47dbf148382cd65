import type { DirectoryIndex } from '../directory/directoryIndex';
import { ROLE } from '../directory/model';

/** Someone acting in Teams, as far as the coordinator rule needs them: the stable user id, and the e-mail when Teams told it. */
export interface CoordinatorCandidate {
  id: string;
  email?: string | null;
}

/**
 * A configured coordinator (COORDINATORS: e-mail addresses or user ids,
 * lower-cased), or the management coordinator named in the directory. Shared
 * by every capability that only coordinators may use.
 */
export function isCoordinator(actor: CoordinatorCandidate, configured: ReadonlySet<string>, index: DirectoryIndex): boolean {
  const email = actor.email?.toLowerCase() ?? null;
  if (configured.has(actor.id.toLowerCase()) || (email !== null && configured.has(email))) return true;
  return email !== null && index.holdersOfRole(ROLE.managementCoordinator).some((person) => person.email.toLowerCase() === email);
}

/** The processes whose process manager (prosessansvarlig) the directory names this person as; none without an e-mail. */
export function processesManagedBy(actor: CoordinatorCandidate, index: DirectoryIndex): string[] {
  const email = actor.email?.toLowerCase() ?? null;
  if (email === null) return [];
  const managed = index.holdersOfRole(ROLE.processManager).filter((person) => person.email.toLowerCase() === email);
  return [...new Set(managed.map((person) => person.process).filter((process): process is string => process !== null))];
}
