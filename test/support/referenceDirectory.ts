import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';

type Row = Record<string, string>;
const folder = path.resolve(__dirname, '../../data/sample-directory');
const read = (file: string): Row[] => parse<Row>(readFileSync(path.join(folder, file)), { columns: true, bom: true });

/**
 * The sample directory's resolution rules written out plainly from its README,
 * independent of the product's code, to compute what a correct answer names.
 */
export class ReferenceDirectory {
  readonly units = read('units.csv');
  readonly processes = read('processes.csv');
  readonly people = read('people.csv');

  get allEmails(): string[] {
    return [...new Set(this.people.map((person) => person.email!.toLowerCase()))];
  }

  holders(role: string, process: string | null, unit?: string): string[] {
    return this.people.filter((p) => p.role === role && (process === null || p.process === process) && (unit === undefined || p.unit === unit)).map((p) => p.email!.toLowerCase());
  }

  advisors(process: string, unit: string): string[] {
    const model = this.processes.find((p) => p.code === process)?.advisor_model;
    if (model === 'service-centre') return this.holders('prosessradgiver', process);
    if (model === 'central') return this.holders('prosessansvarlig', process);
    for (let code: string | undefined = unit; code; code = this.units.find((u) => u.code === code)?.parent || undefined) {
      const found = this.holders('prosessradgiver', process, code);
      if (found.length > 0) return found;
    }
    return this.holders('prosessansvarlig', process);
  }

  /** Escalation contacts an answer may add: as in the development set. */
  allowedExtras(process: string | null): string[] {
    return [
      ...this.holders('forvaltningskoordinator', null),
      ...this.holders('systemforvalter', null),
      ...(process ? [...this.holders('prosessansvarlig', process), ...this.holders('operativ-prosesseier', process)] : []),
      ...(process === 'PROSJ' ? this.holders('innforingsleder', null) : []),
    ];
  }
}
