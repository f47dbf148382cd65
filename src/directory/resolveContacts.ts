import type { DirectoryIndex } from './directoryIndex';
import { ROLE, type Assignment, type Process, type Role, type Unit } from './model';

/** Why these people answer the question; the chat layer turns it into a sentence. */
export type ContactReason =
  /** The unit has its own advisors for the process. */
  | { kind: 'own-unit'; unit: Unit }
  /** The unit has none of its own; these belong to the nearest unit above it that has. */
  | { kind: 'inherited'; unit: Unit; from: Unit }
  /** No advisor anywhere up the unit tree: the process manager answers. */
  | { kind: 'no-local-advisor'; unit: Unit }
  /** All advisors for the process sit in the service centre, whatever the unit. */
  | { kind: 'service-centre' }
  /** The process has no local advisors: its process managers answer. */
  | { kind: 'central' }
  /** The holders of a named role (coordinator, system manager, process manager…). */
  | { kind: 'role' };

export interface ContactAnswer {
  /** The role the listed people hold. */
  role: Role;
  process: Process | null;
  /** The unit the question was about, when it named or implied one. */
  unit: Unit | null;
  people: Assignment[];
  reason: ContactReason;
}

export type Resolution =
  | { kind: 'answer'; answer: ContactAnswer }
  | { kind: 'needs-unit'; process: Process }
  | { kind: 'needs-process'; role: Role | null }
  | { kind: 'nobody'; role: Role; process: Process | null };

/**
 * "Who is the process advisor for P at unit U?" by the directory's rules:
 * local processes fall back up the unit tree and finally to the process
 * manager; the service centre's processes go to its advisors; central
 * processes to the process managers.
 */
export function resolveAdvisors(index: DirectoryIndex, processCode: string, unitCode: string | null): Resolution {
  const process = index.process(processCode);
  if (!process) throw new Error(`Unknown process ${processCode}`);
  const unit = unitCode ? (index.unit(unitCode) ?? null) : null;

  if (process.advisorModel === 'service-centre') {
    return answerOrNobody(index, ROLE.processAdvisor, process, unit, index.holdersForProcess(ROLE.processAdvisor, process.code), {
      kind: 'service-centre',
    });
  }
  if (process.advisorModel === 'central') {
    return answerOrNobody(index, ROLE.processManager, process, unit, index.holdersForProcess(ROLE.processManager, process.code), {
      kind: 'central',
    });
  }
  if (!unit) return { kind: 'needs-unit', process };

  for (const candidate of index.unitChain(unit.code)) {
    const advisors = index.holders(ROLE.processAdvisor, process.code, candidate.code);
    if (advisors.length > 0) {
      const reason: ContactReason = candidate.code === unit.code ? { kind: 'own-unit', unit } : { kind: 'inherited', unit, from: candidate };
      return answerOrNobody(index, ROLE.processAdvisor, process, unit, advisors, reason);
    }
  }
  return answerOrNobody(index, ROLE.processManager, process, unit, index.holdersForProcess(ROLE.processManager, process.code), {
    kind: 'no-local-advisor',
    unit,
  });
}

/**
 * "Who is the <role> (for P)?" for roles other than the local advisor. A role
 * held per process needs the process, except the operative process owner,
 * where everyone is listed with the processes they own.
 */
export function resolveRoleHolders(index: DirectoryIndex, roleCode: string, processCode: string | null): Resolution {
  const role = index.role(roleCode);
  if (!role) throw new Error(`Unknown role ${roleCode}`);
  const process = processCode ? (index.process(processCode) ?? null) : null;
  const everyone = index.holdersOfRole(role.code);
  const perProcess = everyone.some((person) => person.process !== null);

  let people: Assignment[];
  if (process && perProcess) {
    people = index.holdersForProcess(role.code, process.code);
    // Roles such as the implementation lead are tied to one process: asked
    // about another process, they are still the answer rather than nobody.
    if (people.length === 0 && role.code !== ROLE.processManager && role.code !== ROLE.operativeProcessOwner) people = everyone;
  } else if (perProcess && role.code === ROLE.processManager) {
    return { kind: 'needs-process', role };
  } else {
    people = everyone;
  }
  return answerOrNobody(index, role, process, null, people, { kind: 'role' });
}

function answerOrNobody(index: DirectoryIndex, roleOrCode: Role | string, process: Process | null, unit: Unit | null, people: Assignment[], reason: ContactReason): Resolution {
  const role = typeof roleOrCode === 'string' ? index.role(roleOrCode) : roleOrCode;
  if (!role) throw new Error(`The directory has no role ${typeof roleOrCode === 'string' ? roleOrCode : roleOrCode.code}`);
  if (people.length === 0) return { kind: 'nobody', role, process };
  return { kind: 'answer', answer: { role, process, unit, people: distinctPeople(people), reason } };
}

/** One entry per person (e-mail), keeping the first assignment's details. */
function distinctPeople(people: Assignment[]): Assignment[] {
  const seen = new Set<string>();
  return people.filter((person) => {
    const email = person.email.toLowerCase();
    if (seen.has(email)) return false;
    seen.add(email);
    return true;
  });
}
