import type { Attachment } from 'botbuilder';
import { DateTime } from 'luxon';
import type { DirectoryIndex } from '../../directory/directoryIndex';
import { followUpTexts, localName, suggestionTexts, type ReplyLanguage } from '../../i18n';
import type { ExportFilter } from '../../suggestions/exportSuggestions';
import type { ExportFormat } from '../../suggestions/exportLinks';
import type { SuggestionDigest } from '../../suggestions/followUp';
import { SUGGESTION_STATES } from '../../suggestions/model';
import { inOslo } from '../../core/osloTime';
import { renderCard } from '../cards/renderCard';
import digestTemplate from './templates/suggestionDigest.json';
import exportTemplate from './templates/suggestionExport.json';

interface Fact {
  title: string;
  value: string;
}

interface DigestCardData {
  title: string;
  asOf: string;
  summary: Fact[];
  empty: string;
  processes: Array<{ name: string; counts: Fact[] }>;
  hint: string;
}

interface ExportCardData {
  title: string;
  count: string;
  filters: Fact[];
  validity: string;
  labels: Record<ExportFormat, string>;
  urls: Record<ExportFormat, string>;
  questionsNote: string;
  questionsLabel: string;
  questionsUrl: string;
}

/** The weekly overview: totals (with the questions to the advisors waiting for an answer), then each process's suggestions by state (only the states it has). */
export function digestCard(digest: SuggestionDigest, index: DirectoryIndex, language: ReplyLanguage): Attachment {
  const t = followUpTexts(language).digest;
  const states = suggestionTexts(language).states;
  const week = inOslo(digest.asOf);
  return renderCard<DigestCardData>(digestTemplate, {
    title: t.title(week.weekNumber, week.weekYear),
    asOf: t.asOf(week.setLocale(followUpTexts(language).locale).toLocaleString({ dateStyle: 'full', timeStyle: 'short' })),
    summary: [
      { title: t.total, value: String(digest.total) },
      { title: t.awaitingDelivery, value: String(digest.awaitingDelivery) },
      { title: t.overdue(digest.reminderDays), value: String(digest.overdue) },
      ...(digest.questions
        ? [
            { title: t.questionsUnanswered, value: String(digest.questions.unanswered) },
            { title: t.questionsOverdue(digest.questions.reminderWorkingDays), value: String(digest.questions.overdue) },
            { title: t.questionsForwarded, value: String(digest.questions.forwarded) },
          ]
        : []),
    ],
    empty: t.empty,
    processes: digest.processes.map((row) => {
      const process = index.process(row.process);
      return {
        name: process ? localName(process, language) : row.process,
        counts: [
          ...SUGGESTION_STATES.filter((state) => row.counts[state] > 0).map((state) => ({ title: states[state], value: String(row.counts[state]) })),
          { title: t.processTotal, value: String(row.total) },
        ],
      };
    }),
    hint: t.hint,
  });
}

/** The answer to "eksporter forslag": what was selected, and the download links (the suggestions', and the questions' CSV). */
export function exportCard(
  options: { filter: ExportFilter; count: number; urls: Record<ExportFormat, string>; questionsCsvUrl: string; expiresAt: Date },
  index: DirectoryIndex,
  language: ReplyLanguage,
): Attachment {
  const t = followUpTexts(language).export;
  const states = suggestionTexts(language).states;
  const { filter } = options;
  const processNames = filter.processes.map((code) => {
    const process = index.process(code);
    return process ? localName(process, language) : code;
  });
  const day = (date: string) => DateTime.fromISO(date).setLocale(followUpTexts(language).locale).toLocaleString(DateTime.DATE_MED);
  const period =
    filter.createdFrom && filter.createdTo
      ? t.filters.between(day(filter.createdFrom), day(filter.createdTo))
      : filter.createdFrom
        ? t.filters.from(day(filter.createdFrom))
        : filter.createdTo
          ? t.filters.to(day(filter.createdTo))
          : t.filters.allTime;
  return renderCard<ExportCardData>(exportTemplate, {
    title: t.title,
    count: t.count(options.count),
    filters: [
      { title: t.filters.processes, value: processNames.length > 0 ? processNames.join(', ') : t.filters.all },
      { title: t.filters.states, value: filter.states.length > 0 ? filter.states.map((state) => states[state]).join(', ') : t.filters.all },
      { title: t.filters.period, value: period },
    ],
    validity: t.validity(inOslo(options.expiresAt).toFormat('HH:mm')),
    labels: { csv: t.csv, xlsx: t.xlsx },
    urls: options.urls,
    questionsNote: t.questions.note,
    questionsLabel: t.questions.csv,
    questionsUrl: options.questionsCsvUrl,
  });
}
