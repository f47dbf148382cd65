import type restify from 'restify';
import type { DirectoryIndex } from './directory/directoryIndex';
import { followUpTexts } from './i18n';
import type { ReplyLanguage } from './language/detectLanguage';
import type { Logger } from './logger';
import { QUESTIONS_PART, type ExportFormat, type ExportLinks } from './suggestions/exportLinks';
import { filterQuestions } from './advisorQuestions/exportQuestions';
import type { AdvisorQuestion } from './advisorQuestions/model';
import { questionExportRows } from './teams/advisorQuestions/questionExportFile';
import { filterSuggestions } from './suggestions/exportSuggestions';
import { exportRows, questionsCsv, suggestionsCsv, suggestionsXlsx } from './teams/suggestions/exportFile';
import type { Suggestion } from './suggestions/model';
import type { Actor } from './core/actor';
import { osloDate } from './core/osloTime';

export interface ExportRouteDependencies {
  links: ExportLinks;
  suggestions: () => Promise<Suggestion[]>;
  /** The questions to the advisors, exported with the suggestions (their own CSV, their own sheet). */
  questions: () => Promise<AdvisorQuestion[]>;
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
 * `GET /exports/<token>.csv|.xlsx|.questions.csv`: the download links of the export card (and,
 * as CSV only, of an announcement's list of recipients it did not reach). The
 * token is the whole authorisation (it is signed and short-lived), and the
 * coordinator it names must still be one when the link is used.
 */
export function registerExportRoute(server: restify.Server, deps: ExportRouteDependencies): void {
  // A wildcard, not a named parameter: the router cuts named parameters off at 100 characters, and a signed grant is longer.
  server.get('/exports/*', async (req, res) => {
    const match = /^([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)(\.questions)?\.(csv|xlsx)$/.exec((req.params as { '*'?: string } | undefined)?.['*'] ?? '');
    const check = match?.[1] ? deps.links.check(match[1]) : ({ kind: 'invalid' } as const);
    if (check.kind === 'invalid') return refuse(res, 404, 'invalid');
    if (check.kind === 'expired') return refuse(res, 403, 'expired');
    const { grant } = check;
    if (!deps.isCoordinator(grant.coordinator)) return refuse(res, 403, 'refused');

    const format = match?.[3] === 'xlsx' ? 'xlsx' : 'csv';
    const questionsOnly = match?.[2] === `.${QUESTIONS_PART}`;
    // The questions have a CSV of their own; the workbook has them already, and an announcement has none.
    if (questionsOnly && (format !== 'csv' || grant.subject.kind !== 'suggestions')) return refuse(res, 404, 'invalid');
    if (grant.subject.kind === 'undelivered') {
      const found = format === 'csv' ? await deps.undeliveredCsv(grant.coordinator, grant.subject.announcementId, grant.language) : null;
      if (!found) return refuse(res, 404, 'invalid');
      deps.logger.info({ coordinator: grant.coordinator.email ?? grant.coordinator.id, announcementId: grant.subject.announcementId }, 'undelivered recipients exported');
      return sendFile(res, format, found.fileName, found.csv);
    }
    const { filter } = grant.subject;
    const t = followUpTexts(grant.language).export;
    const questions = questionsOnly || format === 'xlsx' ? questionExportRows(filterQuestions(await deps.questions(), filter), deps.directory(), grant.language) : [];
    if (questionsOnly) {
      deps.logger.info({ coordinator: grant.coordinator.email ?? grant.coordinator.id, filter, format, rows: questions.length }, 'advisor questions exported');
      return sendFile(res, format, `${t.questions.fileName}-${osloDate(new Date())}.csv`, questionsCsv(questions, grant.language));
    }
    const selected = filterSuggestions(await deps.suggestions(), filter);
    const rows = exportRows(selected, deps.directory(), grant.language);
    const body = format === 'csv' ? suggestionsCsv(rows, grant.language) : await suggestionsXlsx(rows, grant.language, questions);
    const fileName = `${t.fileName}-${osloDate(new Date())}.${format}`;
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
