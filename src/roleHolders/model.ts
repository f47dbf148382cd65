import type { ProcessRole } from '../announcements/model';

/**
 * Who holds a process role in Unit4, as the coordinator exports it from the
 * role assignments: one row per role a person holds at a unit (for a
 * process, or for every process when none is given). Announcements for a
 * role reach these people whether or not they ever told the bot their role.
 */
export interface RoleHolder {
  email: string;
  name: string;
  role: ProcessRole;
  /** A unit code of the directory. */
  unit: string;
  /** A process code of the directory; null: the role at every process. */
  process: string | null;
}

/** The columns of the role-holder file, in the order the shipped sample writes them. */
export const ROLE_HOLDER_COLUMNS = ['email', 'name', 'role', 'unit', 'process'] as const;

/** The sheet of a workbook that holds the list (otherwise its first sheet). */
export const ROLE_HOLDER_SHEET = 'role-holders';
