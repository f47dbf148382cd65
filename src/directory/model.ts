/**
 * The advisor directory as the coordinator maintains it: the five files of the
 * sample directory (units, processes, roles, people, contact points).
 * Plain data, no behaviour; see resolve.ts for the resolution rules.
 */

export type UnitKind = 'faculty' | 'department' | 'museum' | 'administration' | 'division';
export const UNIT_KINDS: readonly UnitKind[] = ['faculty', 'department', 'museum', 'administration', 'division'];

/** How a process is advised: by each unit, by the service centre, or centrally by the process managers. */
export type AdvisorModel = 'local' | 'service-centre' | 'central';
export const ADVISOR_MODELS: readonly AdvisorModel[] = ['local', 'service-centre', 'central'];

export interface Unit {
  code: string;
  /** Parent unit code; null for a top-level unit (faculty, museum, Fellesadministrasjonen). */
  parent: string | null;
  kind: UnitKind;
  nameNb: string;
  nameEn: string;
  aliases: string[];
}

export interface Process {
  code: string;
  nameNb: string;
  nameEn: string;
  advisorModel: AdvisorModel;
  /** What the process covers and who advises on it, for the bot to explain; '' when the directory gives none. */
  descriptionNb: string;
  descriptionEn: string;
  aliases: string[];
}

export interface Role {
  code: string;
  nameNb: string;
  nameEn: string;
  /** The nynorsk name ("Prosessrådgjevar"); '' when the directory gives none, and the bokmål name is shown. */
  nameNn: string;
  /** What the role does; '' when the directory gives no bokmål text. */
  descriptionNb: string;
  descriptionEn: string;
  aliases: string[];
}

/** One row of people.csv: a person holding a role, for a process (or none), at a unit. */
export interface Assignment {
  role: string;
  process: string | null;
  unit: string;
  name: string;
  email: string;
  phone: string | null;
  note: string | null;
}

export interface ContactPoint {
  code: string;
  nameNb: string;
  nameEn: string;
  email: string | null;
  url: string | null;
  handles: string;
}

export interface Directory {
  units: Unit[];
  processes: Process[];
  roles: Role[];
  people: Assignment[];
  contactPoints: ContactPoint[];
}

/** Well-known role codes the product's behaviour depends on (they are rows in roles.csv). */
export const ROLE = {
  processAdvisor: 'prosessradgiver',
  processManager: 'prosessansvarlig',
  operativeProcessOwner: 'operativ-prosesseier',
  managementCoordinator: 'forvaltningskoordinator',
  systemManager: 'systemforvalter',
  implementationLead: 'innforingsleder',
} as const;
