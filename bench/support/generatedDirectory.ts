import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Directory } from '../../src/directory/model';
import { readDirectorySource } from '../../src/directory/import/readDirectorySource';
import { validateDirectory } from '../../src/directory/import/validateDirectory';
import { formatProblem } from '../../src/i18n/directoryImportWording';
import { sampleDirectoryFolder } from '../../src/directory/seedDirectory';
import { directoryImportEn } from '../../src/i18n/en/directoryImport';
import { seededRandom } from './seededRandom';

const FIRST_NAMES = [
  'Anne',
  'Inger',
  'Kari',
  'Marit',
  'Ingrid',
  'Liv',
  'Eva',
  'Berit',
  'Astrid',
  'Bjørg',
  'Hilde',
  'Anna',
  'Solveig',
  'Marianne',
  'Randi',
  'Ida',
  'Nina',
  'Ragnhild',
  'Elisabeth',
  'Kristin',
  'Silje',
  'Ingeborg',
  'Hanne',
  'Tone',
  'Åse',
  'Sigrid',
  'Guro',
  'Synnøve',
  'Torunn',
  'Live',
  'Nora',
  'Maren',
  'Thea',
  'Emilie',
  'Jan',
  'Per',
  'Bjørn',
  'Ole',
  'Lars',
  'Kjell',
  'Knut',
  'Arne',
  'Svein',
  'Thomas',
  'Hans',
  'Geir',
  'Tor',
  'Morten',
  'Terje',
  'Odd',
  'Erik',
  'Rune',
  'Trond',
  'Martin',
  'Andreas',
  'Håkon',
  'Øystein',
  'Eirik',
  'Sindre',
  'Magnus',
  'Jørgen',
  'Vegard',
  'Sigurd',
  'Torbjørn',
  'Espen',
  'Ståle',
  'Øyvind',
  'Aslak',
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
  'Johnsen',
  'Pettersen',
  'Eriksen',
  'Berg',
  'Haugen',
  'Hagen',
  'Johannessen',
  'Andreassen',
  'Jacobsen',
  'Dahl',
  'Jørgensen',
  'Halvorsen',
  'Henriksen',
  'Lund',
  'Sørensen',
  'Jakobsen',
  'Moen',
  'Gundersen',
  'Iversen',
  'Strand',
  'Solberg',
  'Svendsen',
  'Eide',
  'Knutsen',
  'Martinsen',
  'Paulsen',
  'Bakken',
  'Kristoffersen',
  'Mathisen',
  'Lie',
  'Amundsen',
  'Nguyen',
  'Rasmussen',
  'Ali',
  'Lunde',
  'Solheim',
  'Berge',
  'Moe',
  'Nygård',
  'Bakke',
  'Kristensen',
  'Fredriksen',
  'Holm',
  'Lien',
  'Hauge',
  'Christensen',
  'Andresen',
  'Nielsen',
  'Knudsen',
  'Evensen',
  'Sæther',
  'Aas',
  'Myhre',
  'Hanssen',
  'Ødegård',
  'Sandvik',
  'Hovde',
  'Grønli',
  'Rønning',
  'Aune',
  'Løvås',
  'Vik',
  'Brekke',
  'Husby',
  'Tangen',
  'Aasen',
  'Ystad',
  'Fossum',
  'Ødegaard',
];
const ADVISED_PROCESSES = ['BTB', 'PROSJ', 'PBO'];

/** ASCII e-mail local part of a Norwegian name: "Ødegård" → "odegard". */
function mailPart(name: string): string {
  return name
    .toLowerCase()
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'o')
    .replace(/å/g, 'a')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z]+/g, '.');
}

function csvField(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export interface GeneratedDirectory {
  directory: Directory;
  /** The people added to the sample's. */
  generatedPeople: number;
  /** The folder of CSV files it was imported from (deleted unless `keepFolder`). */
  folder: string;
}

/**
 * The sample directory plus `extraPeople` generated process advisors (BTB,
 * PROSJ or PBO at a random existing unit, a Norwegian-looking name, a unique
 * address in the .example domain), written as the coordinator's CSV files and
 * read through the product's own import validation, so it is a directory the
 * product would accept.
 */
export async function generatedDirectory(extraPeople: number, options: { seed?: number; keepFolder?: boolean } = {}): Promise<GeneratedDirectory> {
  const sample = sampleDirectoryFolder();
  const folder = mkdtempSync(path.join(os.tmpdir(), 'bench-directory-'));
  for (const file of readdirSync(sample)) if (file.endsWith('.csv') && file !== 'people.csv') copyFileSync(path.join(sample, file), path.join(folder, file));

  const samplePeople = readFileSync(path.join(sample, 'people.csv'), 'utf8').replace(/\s*$/, '\n');
  const unitCodes = readFileSync(path.join(sample, 'units.csv'), 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.split(',')[0]?.trim() ?? '')
    .filter((code) => code !== '');
  const next = seededRandom(options.seed ?? 20240901);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  // Unique addresses, also against the sample's people (a clash would make one person of two).
  const usedEmails = new Set<string>((samplePeople.match(/[^\s,"]+@[^\s,"]+/g) ?? []).map((email) => email.toLowerCase()));
  const lines: string[] = [];
  for (let i = 0; i < extraPeople; i++) {
    const first = pick(FIRST_NAMES);
    // One in four has a middle name, as NTNU's staff list does.
    const middle = next() < 0.25 ? pick(FIRST_NAMES) : null;
    const last = pick(LAST_NAMES);
    const name = [first, middle, last].filter(Boolean).join(' ');
    const base = [first, middle, last]
      .filter((part): part is string => part !== null)
      .map(mailPart)
      .join('.');
    let email = `${base}@ntnu.example`;
    for (let n = 2; usedEmails.has(email); n++) email = `${base}${n}@ntnu.example`;
    usedEmails.add(email);
    const phone = next() < 0.3 ? `+47 735 ${String(Math.floor(next() * 100000)).padStart(5, '0')}` : '';
    lines.push(['prosessradgiver', pick(ADVISED_PROCESSES), pick(unitCodes), name, email, phone, ''].map(csvField).join(','));
  }
  writeFileSync(path.join(folder, 'people.csv'), samplePeople + lines.join('\n') + '\n');

  const result = validateDirectory(await readDirectorySource(folder));
  if (!options.keepFolder) rmSync(folder, { recursive: true, force: true });
  if (!result.ok) {
    const problems = result.problems.slice(0, 10).map((problem) => formatProblem(problem, directoryImportEn));
    throw new Error(`The generated directory does not validate:\n${problems.join('\n')}`);
  }
  return { directory: result.directory, generatedPeople: extraPeople, folder };
}
