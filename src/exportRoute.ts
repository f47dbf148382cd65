import type restify from 'restify';
import type { DirectoryIndex } from './directory/directoryIndex';
import { followUpTexts } from './i18n';
import type { ReplyLanguage } from './language/detectLanguage';
import type { Logger } from './logger';
import type { ExportFormat, ExportLinks } from './suggestions/exportLinks';
import { filterSuggestions } from './suggestions/exportSuggestions';
import { exportRows, suggestionsCsv, suggestionsXlsx } from './teams/suggestions/exportFile';
import type { Suggestion } from './suggestions/model';
import type { Actor } from './core/actor';
import { osloDate } from './core/osloTime';

export interface ExportRouteDependencies {
  links: ExportLinks;
  suggestions: () => Promise<Suggestion[]>;
  directory: () => DirectoryIndex;
  isCoordinator: (actor: Actor) => boolean;
  /** The CSV of the recipients an announcement did not reach; null if there is no such announcement. */
  undeliveredCsv: (coordinator: Actor, announcementId: string, language: ReplyLanguage) => Promise<{ csv: Buffer; fileName: string } | null>;
  logger: Logger;
}

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Personal data: never cached, never sniffed, and the link (a bearer token) is not passed on as a referrer. */
const PRIVATE_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };

/**
 * `GET /exports/<token>.csv|.xlsx`: the download links of the export card (and,
 * as CSV only, of an announcement's list of recipients it did not reach). The
 * token is the whole authorisation (it is signed and short-lived), and the
 * coordinator it names must still be one when the link is used.
 */
export function registerExportRoute(server: restify.Server, deps: ExportRouteDependencies): void {
  // A wildcard, not a named parameter: the router cuts named parameters off at 100 characters, and a signed grant is longer.
  server.get('/exports/*', async (req, res) => {
    const match = /^([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)\.(csv|xlsx)$/.exec((req.params as { '*'?: string } | undefined)?.['*'] ?? '');
    const check = match?.[1] ? deps.links.check(match[1]) : ({ kind: 'invalid' } as const);
    if (check.kind === 'invalid') return refuse(res, 404, 'invalid');
    if (check.kind === 'expired') return refuse(res, 403, 'expired');
    const { grant } = check;
    if (!deps.isCoordinator(grant.coordinator)) return refuse(res, 403, 'refused');

    const format = match?.[2] === 'xlsx' ? 'xlsx' : 'csv';
    if (grant.subject.kind === 'undelivered') {
      const found = format === 'csv' ? await deps.undeliveredCsv(grant.coordinator, grant.subject.announcementId, grant.language) : null;
      if (!found) return refuse(res, 404, 'invalid');
      deps.logger.info({ coordinator: grant.coordinator.email ?? grant.coordinator.id, announcementId: grant.subject.announcementId }, 'undelivered recipients exported');
      return sendFile(res, format, found.fileName, found.csv);
    }
    const { filter } = grant.subject;
    const selected = filterSuggestions(await deps.suggestions(), filter);
    const rows = exportRows(selected, deps.directory(), grant.language);
    const body = format === 'csv' ? suggestionsCsv(rows, grant.language) : await suggestionsXlsx(rows, grant.language);
    const fileName = `${followUpTexts(grant.language).export.fileName}-${osloDate(new Date())}.${format}`;
    // An export of personal data is worth a line in the log: who took which selection.
    deps.logger.info({ coordinator: grant.coordinator.email ?? grant.coordinator.id, filter, format, rows: rows.length }, 'suggestions exported');
    sendFile(res, format, fileName, body);
  });
}

function sendFile(res: restify.Response, format: ExportFormat, fileName: string, body: Buffer): void {
  res.writeHead(200, {
    ...PRIVATE_HEADERS,
    'content-type': CONTENT_TYPES[format],
    'content-disposition': `attachment; filename="${fileName}"`,
    'content-length': body.length,
  });
  res.end(body);
}

/** Plain text in both languages: a forged or expired link says nothing about whose it was. */
function refuse(res: restify.Response, status: 403 | 404, reason: 'invalid' | 'expired' | 'refused'): void {
  const text = `${followUpTexts('nb').export.download[reason]}\n\n${followUpTexts('en').export.download[reason]}\n`;
  res.writeHead(status, { ...PRIVATE_HEADERS, 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}
