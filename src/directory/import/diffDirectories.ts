import type { Assignment, Directory } from '../model';

/**
 * What an import changes, for the coordinator to check: people in detail
 * (they are what users ask about), the other files as counts.
 */

export interface PersonSummary {
  name: string;
  email: string;
}

/** A role a person holds for a process (or none) at a unit: one people.csv row without the personal columns. */
export interface AssignmentKey {
  role: string;
  process: string | null;
  unit: string;
}

export type PersonChangeDetail =
  | { field: 'name'; before: string; after: string }
  | { field: 'phone'; before: string | null; after: string | null }
  | { field: 'assignments'; added: AssignmentKey[]; removed: AssignmentKey[] };

export interface PersonChange extends PersonSummary {
  changes: PersonChangeDetail[];
}

export interface RecordCounts {
  added: number;
  removed: number;
  changed: number;
}

export interface DirectoryDiff {
  people: { added: PersonSummary[]; removed: PersonSummary[]; changed: PersonChange[] };
  units: RecordCounts;
  processes: RecordCounts;
  roles: RecordCounts;
  contactPoints: RecordCounts;
}

export function diffDirectories(before: Directory, after: Directory): DirectoryDiff {
  return {
    people: diffPeople(before.people, after.people),
    units: countChanges(before.units, after.units),
    processes: countChanges(before.processes, after.processes),
    roles: countChanges(before.roles, after.roles),
    contactPoints: countChanges(before.contactPoints, after.contactPoints),
  };
}

export function isEmptyDiff(diff: DirectoryDiff): boolean {
  const { people, ...others } = diff;
  return people.added.length + people.removed.length + people.changed.length === 0 && Object.values(others).every((counts) => counts.added + counts.removed + counts.changed === 0);
}

interface Person extends PersonSummary {
  phone: string | null;
  /** Assignment keys as JSON, for set comparison. */
  assignments: Set<string>;
}

/** People by lower-cased e-mail; name and phone from the person's first row that has them. */
function peopleByEmail(assignments: readonly Assignment[]): Map<string, Person> {
  const people = new Map<string, Person>();
  for (const assignment of assignments) {
    const email = assignment.email.toLowerCase();
    let person = people.get(email);
    if (person === undefined) {
      person = { name: assignment.name, email: assignment.email, phone: assignment.phone, assignments: new Set() };
      people.set(email, person);
    }
    person.phone ??= assignment.phone;
    person.assignments.add(assignmentKey(assignment));
  }
  return people;
}

function assignmentKey({ role, process, unit }: AssignmentKey): string {
  return JSON.stringify([role, process, unit]);
}

function parseAssignmentKey(key: string): AssignmentKey {
  const [role, process, unit] = JSON.parse(key) as [string, string | null, string];
  return { role, process, unit };
}

export function diffPeople(before: readonly Assignment[], after: readonly Assignment[]): DirectoryDiff['people'] {
  const previous = peopleByEmail(before);
  const next = peopleByEmail(after);
  const summary = ({ name, email }: Person): PersonSummary => ({ name, email });

  const added = [...next].filter(([email]) => !previous.has(email)).map(([, person]) => summary(person));
  const removed = [...previous].filter(([email]) => !next.has(email)).map(([, person]) => summary(person));
  const changed: PersonChange[] = [];
  for (const [email, person] of next) {
    const earlier = previous.get(email);
    if (earlier === undefined) continue;
    const changes: PersonChangeDetail[] = [];
    if (earlier.name !== person.name) changes.push({ field: 'name', before: earlier.name, after: person.name });
    if (earlier.phone !== person.phone) changes.push({ field: 'phone', before: earlier.phone, after: person.phone });
    const addedAssignments = [...person.assignments].filter((key) => !earlier.assignments.has(key));
    const removedAssignments = [...earlier.assignments].filter((key) => !person.assignments.has(key));
    if (addedAssignments.length + removedAssignments.length > 0) {
      changes.push({
        field: 'assignments',
        added: addedAssignments.map(parseAssignmentKey),
        removed: removedAssignments.map(parseAssignmentKey),
      });
    }
    if (changes.length > 0) changed.push({ ...summary(person), changes });
  }
  return { added, removed, changed };
}

/** Records are identified by code; "changed" means any field differs. */
function countChanges<T extends { code: string }>(before: T[], after: T[]): RecordCounts {
  const previous = new Map(before.map((record) => [record.code, record]));
  const nextCodes = new Set(after.map((record) => record.code));
  let added = 0;
  let changed = 0;
  for (const record of after) {
    const earlier = previous.get(record.code);
    if (earlier === undefined) added += 1;
    else if (!sameRecord(earlier, record)) changed += 1;
  }
  const removed = before.filter((record) => !nextCodes.has(record.code)).length;
  return { added, removed, changed };
}

function sameRecord(a: object, b: object): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** JSON with object keys sorted, so records built in different places compare by content. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === 'object' && !Array.isArray(item) ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => a.localeCompare(b))) : item,
  );
}
