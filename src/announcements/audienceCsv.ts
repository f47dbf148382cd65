import { stringify } from 'csv-stringify/sync';
import { neutraliseFormula } from '../broadcast/failuresCsv';
import type { AudienceReachEntry } from './announcementPorts';

export type AudienceColumn = 'name' | 'email' | 'sources' | 'status';

/** The words of the file: column headers, and the sources and statuses in the coordinator's language. */
export interface AudienceCsvWords {
  headers: Readonly<Record<AudienceColumn, string>>;
  sources: Readonly<Record<AudienceReachEntry['sources'][number], string>>;
  statuses: Readonly<Record<AudienceReachEntry['status'], string>>;
}

/**
 * The people of an audience preview as CSV, those the bot cannot reach now
 * first, then by name: for Excel as Norwegian users have it (`;`, a byte
 * order mark), like the list of undelivered recipients.
 */
export function audienceCsv(entries: readonly AudienceReachEntry[], words: AudienceCsvWords): Buffer {
  const order = { 'installation-off': 0, 'needs-installation': 1, reachable: 2 } as const;
  const rows = [...entries]
    .sort((a, b) => order[a.status] - order[b.status] || (a.name ?? a.email ?? '').localeCompare(b.name ?? b.email ?? '', 'nb'))
    .map((entry) => [
      neutraliseFormula(entry.name ?? ''),
      neutraliseFormula(entry.email ?? ''),
      entry.sources.map((source) => words.sources[source]).join(', '),
      words.statuses[entry.status],
    ]);
  const columns: AudienceColumn[] = ['name', 'email', 'sources', 'status'];
  return Buffer.from(stringify(rows, { bom: true, delimiter: ';', record_delimiter: 'windows', header: true, columns: columns.map((column) => words.headers[column]) }), 'utf8');
}
