import { describe, expect, it } from 'vitest';
import { diffDirectories, isEmptyDiff } from '../../src/directory/import/diffDirectories';
import type { Assignment, Directory } from '../../src/directory/model';

function person(overrides: Partial<Assignment>): Assignment {
  return { role: 'prosessradgiver', process: 'BTB', unit: 'IE', name: 'Ola Nordmann', email: 'ola@ntnu.example', phone: null, note: null, ...overrides };
}

const base: Directory = {
  units: [
    { code: 'IE', parent: null, kind: 'faculty', nameNb: 'IE', nameEn: 'IE', aliases: [] },
    { code: 'IDI', parent: 'IE', kind: 'department', nameNb: 'IDI', nameEn: 'IDI', aliases: ['datateknologi'] },
  ],
  processes: [
    {
      code: 'BTB',
      nameNb: 'Behov til betaling',
      nameEn: 'Purchase to pay',
      advisorModel: 'local',
      descriptionNb: 'Fra behov til betaling.',
      descriptionEn: 'From need to payment.',
      aliases: [],
    },
  ],
  roles: [{ code: 'prosessradgiver', nameNb: 'Prosessrådgiver', nameEn: 'Process advisor', nameNn: '', descriptionNb: 'Gir råd.', descriptionEn: 'Advises.', aliases: [] }],
  people: [
    person({}),
    person({ process: 'PROSJ' }),
    person({ name: 'Kari Nordmann', email: 'kari@ntnu.example', phone: '1234' }),
    person({ name: 'Per Hansen', email: 'per@ntnu.example' }),
  ],
  contactPoints: [{ code: 'okavd', nameNb: 'Økonomiavdelingen', nameEn: 'Finance', email: 'k@ntnu.example', url: null, handles: 'Unit4' }],
};

describe('diffDirectories', () => {
  it('finds nothing between equal directories, whatever the key order of their records', () => {
    const reordered: Directory = { ...base, units: base.units.map(({ aliases, nameEn, ...rest }) => ({ aliases, nameEn, ...rest })) };
    const diff = diffDirectories(base, reordered);
    expect(isEmptyDiff(diff)).toBe(true);
  });

  it('reports added, removed and changed people by e-mail, ignoring its case', () => {
    const after: Directory = {
      ...base,
      people: [
        // Ola: e-mail case changed (same person), one assignment swapped.
        person({ email: 'Ola@ntnu.example' }),
        person({ email: 'Ola@ntnu.example', process: 'PBO' }),
        // Kari: new name and phone.
        person({ name: 'Kari Nordmann-Berg', email: 'kari@ntnu.example', phone: '5678' }),
        // Per removed, Liv added.
        person({ name: 'Liv Ås', email: 'liv@ntnu.example', unit: 'IDI' }),
      ],
    };
    const diff = diffDirectories(base, after);
    expect(diff.people.added).toEqual([{ name: 'Liv Ås', email: 'liv@ntnu.example' }]);
    expect(diff.people.removed).toEqual([{ name: 'Per Hansen', email: 'per@ntnu.example' }]);
    expect(diff.people.changed).toEqual([
      {
        name: 'Ola Nordmann',
        email: 'Ola@ntnu.example',
        changes: [
          {
            field: 'assignments',
            added: [{ role: 'prosessradgiver', process: 'PBO', unit: 'IE' }],
            removed: [{ role: 'prosessradgiver', process: 'PROSJ', unit: 'IE' }],
          },
        ],
      },
      {
        name: 'Kari Nordmann-Berg',
        email: 'kari@ntnu.example',
        changes: [
          { field: 'name', before: 'Kari Nordmann', after: 'Kari Nordmann-Berg' },
          { field: 'phone', before: '1234', after: '5678' },
        ],
      },
    ]);
  });

  it('does not count a changed note as a changed person', () => {
    const after: Directory = { ...base, people: base.people.map((row) => ({ ...row, note: 'new note' })) };
    expect(diffDirectories(base, after).people.changed).toEqual([]);
  });

  it('counts added, removed and changed units, processes, roles and contact points by code', () => {
    const after: Directory = {
      ...base,
      units: [
        base.units[0]!,
        { ...base.units[1]!, aliases: ['IDI', 'datateknologi'] },
        { code: 'IIK', parent: 'IE', kind: 'department', nameNb: 'IIK', nameEn: 'IIK', aliases: [] },
      ],
      processes: [],
      roles: [{ ...base.roles[0]!, nameEn: 'Process adviser' }],
      contactPoints: [...base.contactPoints, { code: 'hjelp', nameNb: 'NTNU Hjelp', nameEn: 'NTNU Help', email: null, url: 'https://hjelp.ntnu.no', handles: 'All' }],
    };
    const diff = diffDirectories(base, after);
    expect(diff.units).toEqual({ added: 1, removed: 0, changed: 1 });
    expect(diff.processes).toEqual({ added: 0, removed: 1, changed: 0 });
    expect(diff.roles).toEqual({ added: 0, removed: 0, changed: 1 });
    expect(diff.contactPoints).toEqual({ added: 1, removed: 0, changed: 0 });
    expect(isEmptyDiff(diff)).toBe(false);
  });

  it('counts a changed description as a changed process or role', () => {
    const after: Directory = {
      ...base,
      processes: [{ ...base.processes[0]!, descriptionEn: 'From a need, through ordering and invoices, to payment.' }],
      roles: [{ ...base.roles[0]!, descriptionNb: 'Gir råd om prosessen ved enheten.' }],
    };
    const diff = diffDirectories(base, after);
    expect(diff.processes).toEqual({ added: 0, removed: 0, changed: 1 });
    expect(diff.roles).toEqual({ added: 0, removed: 0, changed: 1 });
    expect(diff.people).toEqual({ added: [], removed: [], changed: [] });
    expect(isEmptyDiff(diff)).toBe(false);
  });

  it("counts descriptions first given by a file as changes against one stored without them ('')", () => {
    const stored: Directory = { ...base, processes: [{ ...base.processes[0]!, descriptionNb: '', descriptionEn: '' }] };
    expect(diffDirectories(stored, base).processes).toEqual({ added: 0, removed: 0, changed: 1 });
    expect(isEmptyDiff(diffDirectories(stored, stored))).toBe(true);
  });
});
