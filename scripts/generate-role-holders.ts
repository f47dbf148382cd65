/**
 * Generates data/sample-role-holders.csv: a fictional role-holder list (who
 * holds the process roles courses target) over the sample directory's
 * faculties, departments and the museum, in the format of the Unit4 export
 * the coordinator imports (README, "The role-holder list"). The people are
 * made up from common Norwegian names, their addresses are in the reserved
 * `.example` domain, and a fixed seed makes the output the same on every run:
 *
 *   npx tsc -p tsconfig.json && node dist/scripts/generate-role-holders.js
 *
 * The output is committed; test/roleHolders/sampleRoleHolders.test.ts checks
 * that it matches this script and imports without problems.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { ProcessRole } from '../src/announcements/model';
import { ROLE_HOLDER_COLUMNS } from '../src/roleHolders/model';
import { seededRandom } from '../bench/support/seededRandom';

const ROOT = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..');
export const SAMPLE_ROLE_HOLDERS = path.join(ROOT, 'data', 'sample-role-holders.csv');
const UNITS = path.join(ROOT, 'data', 'sample-directory', 'units.csv');

const SEED = 14;
const PEOPLE = 240;

const FIRST_NAMES = [
  'Anne',
  'Kari',
  'Ingrid',
  'Marit',
  'Silje',
  'Hilde',
  'Tone',
  'Randi',
  'Solveig',
  'Åse',
  'Marte',
  'Ragnhild',
  'Sigrid',
  'Live',
  'Eli',
  'Ole',
  'Lars',
  'Per',
  'Knut',
  'Jon',
  'Bjørn',
  'Arne',
  'Trond',
  'Geir',
  'Øystein',
  'Håvard',
  'Eirik',
  'Sindre',
  'Magnus',
  'Torbjørn',
];
const LAST_NAMES = [
  'Hansen',
  'Johansen',
  'Olsen',
  'Larsen',
  'Andersen',
  'Pedersen',
  'Nilsen',
  'Kristiansen',
  'Jensen',
  'Karlsen',
  'Berg',
  'Haugen',
  'Hagen',
  'Johannessen',
  'Eriksen',
  'Dahl',
  'Lund',
  'Strand',
  'Solberg',
  'Moen',
  'Bakken',
  'Sæther',
  'Løken',
  'Aas',
  'Vik',
  'Halvorsen',
  'Næss',
  'Brekke',
  'Fjeld',
  'Holm',
];

/** The roles and the process each is held for (null: every process, as Unit4 assigns cost approval). */
const ROLE_PROCESSES: ReadonlyArray<[ProcessRole, string | null]> = [
  ['kostnadsgodkjenner', null],
  ['prosjektokonom', 'PROSJ'],
  ['soknadsregistrerer', 'PROSJ'],
  ['innkjoper', 'BTB'],
  ['fagrekvirent', 'BTB'],
  ['fakturaansvarlig', 'ANDRE'],
  ['salgsordreoppretter', 'ANDRE'],
];

/** "Øystein Sæther" → "oystein.saether", as NTNU spells addresses. */
function asciiAddress(name: string): string {
  return name
    .toLowerCase()
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'o')
    .replace(/å/g, 'a')
    .replace(/[^a-z]+/g, '.');
}

export function generateRoleHolders(unitsCsv: string, seed = SEED): string {
  const units = parse<{ code: string; kind: string }>(unitsCsv, { columns: true })
    .filter((unit) => unit.kind === 'faculty' || unit.kind === 'department' || unit.kind === 'museum')
    .map((unit) => unit.code);
  const next = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const emails = new Set<string>();
  const rows: string[][] = [];
  for (let person = 0; person < PEOPLE; person += 1) {
    const name = `${pick(FIRST_NAMES)} ${pick(LAST_NAMES)}`;
    const local = asciiAddress(name);
    let email = `${local}@ntnu.example`;
    for (let n = 2; emails.has(email); n += 1) email = `${local}${n}@ntnu.example`;
    emails.add(email);
    const unit = pick(units);
    // Most hold one role; some two or three (a project economist often registers applications too).
    const roleCount = next() < 0.65 ? 1 : next() < 0.7 ? 2 : 3;
    const roles = new Set<number>();
    while (roles.size < roleCount) roles.add(Math.floor(next() * ROLE_PROCESSES.length));
    for (const index of [...roles].sort((a, b) => a - b)) {
      const [role, process] = ROLE_PROCESSES[index] as [ProcessRole, string | null];
      rows.push([email, name, role, unit, process ?? '']);
    }
  }
  return stringify(rows, { header: true, columns: [...ROLE_HOLDER_COLUMNS] });
}

if (require.main === module) {
  writeFileSync(SAMPLE_ROLE_HOLDERS, generateRoleHolders(readFileSync(UNITS, 'utf8')));
  process.stdout.write(`wrote ${SAMPLE_ROLE_HOLDERS}\n`);
}
