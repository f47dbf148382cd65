import type { Assignment, Directory, Process, Role, Unit } from './model';

/**
 * Lookup structures over one directory version, built once per import so that
 * every question is answered from maps rather than scans.
 */
export class DirectoryIndex {
  readonly unitsByCode: ReadonlyMap<string, Unit>;
  readonly processesByCode: ReadonlyMap<string, Process>;
  readonly rolesByCode: ReadonlyMap<string, Role>;
  private readonly byRoleProcessUnit = new Map<string, Assignment[]>();
  private readonly byRoleProcess = new Map<string, Assignment[]>();
  private readonly byRole = new Map<string, Assignment[]>();

  constructor(readonly directory: Directory) {
    this.unitsByCode = new Map(directory.units.map((unit) => [unit.code, unit]));
    this.processesByCode = new Map(directory.processes.map((process) => [process.code, process]));
    this.rolesByCode = new Map(directory.roles.map((role) => [role.code, role]));
    for (const person of directory.people) {
      push(this.byRoleProcessUnit, key(person.role, person.process, person.unit), person);
      push(this.byRoleProcess, key(person.role, person.process), person);
      push(this.byRole, person.role, person);
    }
  }

  unit(code: string): Unit | undefined {
    return this.unitsByCode.get(code);
  }

  process(code: string): Process | undefined {
    return this.processesByCode.get(code);
  }

  role(code: string): Role | undefined {
    return this.rolesByCode.get(code);
  }

  /** The unit and its ancestors, nearest first. */
  unitChain(code: string): Unit[] {
    const chain: Unit[] = [];
    const seen = new Set<string>();
    let unit = this.unitsByCode.get(code);
    while (unit && !seen.has(unit.code)) {
      chain.push(unit);
      seen.add(unit.code);
      unit = unit.parent ? this.unitsByCode.get(unit.parent) : undefined;
    }
    return chain;
  }

  isAncestor(ancestorCode: string, unitCode: string): boolean {
    return this.unitChain(unitCode).some((unit, index) => index > 0 && unit.code === ancestorCode);
  }

  holders(role: string, process: string | null, unit: string): Assignment[] {
    return this.byRoleProcessUnit.get(key(role, process, unit)) ?? [];
  }

  holdersForProcess(role: string, process: string | null): Assignment[] {
    return this.byRoleProcess.get(key(role, process)) ?? [];
  }

  holdersOfRole(role: string): Assignment[] {
    return this.byRole.get(role) ?? [];
  }

  get peopleCount(): number {
    return new Set(this.directory.people.map((person) => person.email.toLowerCase())).size;
  }
}

function key(...parts: Array<string | null>): string {
  return parts.map((part) => part ?? '').join('|');
}

function push<K, V>(map: Map<K, V[]>, mapKey: K, value: V): void {
  const list = map.get(mapKey);
  if (list) list.push(value);
  else map.set(mapKey, [value]);
}
