import { beforeAll, describe, expect, it } from 'vitest';
import type { DirectoryIndex } from '../../src/directory/directoryIndex';
import { resolveAdvisors, resolveRoleHolders, type Resolution } from '../../src/directory/resolveContacts';
import { seededDirectoryIndex } from '../support/seededDirectory';

function names(resolution: Resolution): string[] {
  if (resolution.kind !== 'answer') throw new Error(`expected an answer, got ${resolution.kind}`);
  return resolution.answer.people.map((person) => person.name);
}

describe('resolution rules, on the sample directory read back from Azurite', () => {
  let index: DirectoryIndex;
  beforeAll(async () => {
    index = await seededDirectoryIndex();
  });

  it('gives a unit its own advisors for a local process', () => {
    const resolution = resolveAdvisors(index, 'PROSJ', 'IFY');
    expect(names(resolution)).toEqual(['Tor Strøm']);
    expect(resolution.kind === 'answer' && resolution.answer.reason).toMatchObject({ kind: 'own-unit' });
  });

  it("falls back to the faculty's advisors and says so", () => {
    const resolution = resolveAdvisors(index, 'PBO', 'IIK');
    expect(names(resolution)).toEqual(['Karoline Grønli']);
    expect(resolution.kind === 'answer' && resolution.answer.reason).toMatchObject({ kind: 'inherited', unit: { code: 'IIK' }, from: { code: 'IE' } });
  });

  it('falls back through divisions to Fellesadministrasjonen', () => {
    expect(names(resolveAdvisors(index, 'BTB', 'TJS'))).toEqual(['Håkon Nielsen', 'Sverre Abrahamsen']);
  });

  it('goes to the process manager when nobody up the tree advises on a local process', () => {
    const withoutAdvisors = new (index.constructor as new (d: typeof index.directory) => DirectoryIndex)({
      ...index.directory,
      people: index.directory.people.filter((person) => !(person.role === 'prosessradgiver' && person.process === 'PBO')),
    });
    const resolution = resolveAdvisors(withoutAdvisors, 'PBO', 'IDI');
    expect(names(resolution)).toEqual(['Stian Moe']);
    expect(resolution.kind === 'answer' && resolution.answer.reason.kind).toBe('no-local-advisor');
  });

  it("sends payroll to the service centre's advisors wherever the asker works", () => {
    const resolution = resolveAdvisors(index, 'LONN', 'IFY');
    expect(names(resolution)).toEqual(['Torill Johannessen', 'Tor Asbjørn Thomassen', 'Hilde Vik']);
    expect(resolution.kind === 'answer' && resolution.answer.reason.kind).toBe('service-centre');
    expect(names(resolveAdvisors(index, 'LONN', null))).toHaveLength(3);
  });

  it('sends central processes to the process manager whatever the unit', () => {
    for (const unit of ['IDI', 'VM', null]) expect(names(resolveAdvisors(index, 'ANSK', unit))).toEqual(['Ingrid Rasmussen']);
  });

  it('needs a unit for a local process asked without one', () => {
    expect(resolveAdvisors(index, 'BTB', null)).toMatchObject({ kind: 'needs-unit', process: { code: 'BTB' } });
  });

  it('finds role holders, with or without a process', () => {
    expect(names(resolveRoleHolders(index, 'prosessansvarlig', 'PBO'))).toEqual(['Stian Moe']);
    expect(resolveRoleHolders(index, 'prosessansvarlig', null).kind).toBe('needs-process');
    expect(names(resolveRoleHolders(index, 'forvaltningskoordinator', null))).toEqual(['Gry-Lene Johansen']);
    expect(names(resolveRoleHolders(index, 'operativ-prosesseier', null))).toEqual(['Astrid Nina Ås', 'Håkon Halvorsen']);
    expect(names(resolveRoleHolders(index, 'operativ-prosesseier', 'LONN'))).toEqual(['Håkon Halvorsen']);
    expect(names(resolveRoleHolders(index, 'innforingsleder', 'PROSJ'))).toEqual(['Ida Kristin Antonsen']);
  });
});
