import type { DateTime } from 'luxon';
import type { AdvisorQuestion } from '../../advisorQuestions/model';
import { isAnonymised, type Actor } from '../../core/actor';
import { inOslo } from '../../core/osloTime';
import type { DirectoryIndex } from '../../directory/directoryIndex';
import { advisorQuestionTexts, followUpTexts, localName, privacyTexts, type ReplyLanguage } from '../../i18n';

/** One question as a row of the suggestions' export: texts in the coordinator's language, times in Norwegian time. */
export interface QuestionExportRow {
  id: string;
  created: DateTime;
  process: string;
  unit: string;
  question: string;
  state: string;
  asker: string;
  shareable: string;
  route: string;
  assignee: string;
  answer: string;
  answeredBy: string;
  suggestion: string;
  lastChange: DateTime;
  history: string;
}

/** The columns in order, with their width in characters for the workbook; long texts wrap there. */
export const QUESTION_COLUMNS: ReadonlyArray<{ key: keyof QuestionExportRow; width: number; wrap?: boolean }> = [
  { key: 'id', width: 14 },
  { key: 'created', width: 17 },
  { key: 'process', width: 26 },
  { key: 'unit', width: 32 },
  { key: 'question', width: 60, wrap: true },
  { key: 'state', width: 24 },
  { key: 'asker', width: 22 },
  { key: 'shareable', width: 12 },
  { key: 'route', width: 32 },
  { key: 'assignee', width: 22 },
  { key: 'answer', width: 60, wrap: true },
  { key: 'answeredBy', width: 22 },
  { key: 'suggestion', width: 18 },
  { key: 'lastChange', width: 17 },
  { key: 'history', width: 80, wrap: true },
];

const DATE_TIME_TEXT = 'yyyy-MM-dd HH:mm';

export function questionExportRows(questions: readonly AdvisorQuestion[], index: DirectoryIndex, language: ReplyLanguage): QuestionExportRow[] {
  const t = advisorQuestionTexts(language);
  const f = followUpTexts(language).export;
  const nameOf = (actor: Actor) => (isAnonymised(actor) ? privacyTexts(language).anonymised : actor.name);
  return questions.map((question) => {
    const process = index.process(question.process);
    const unit = index.unit(question.unit);
    const history = question.history.map(
      (entry) => `${inOslo(entry.at).toFormat(DATE_TIME_TEXT)} ${nameOf(entry.by)} ${t.historyVerbs[entry.action]}${entry.comment ? ` «${entry.comment}»` : ''}`,
    );
    return {
      id: question.id,
      created: inOslo(question.createdAt),
      process: process ? localName(process, language) : question.process,
      unit: unit ? `${localName(unit, language)} (${unit.code})` : question.unit,
      question: question.text,
      state: t.states[question.state],
      asker: nameOf(question.asker),
      shareable: question.shareable ? f.yes : f.no,
      route: question.route.target.label,
      assignee: question.assignee ? nameOf(question.assignee) : '',
      answer: question.answer?.text ?? '',
      answeredBy: question.answer ? nameOf(question.answer.by) : '',
      suggestion: question.suggestionId ?? '',
      lastChange: inOslo(question.history.at(-1)?.at ?? question.updatedAt),
      history: history.join(' | '),
    };
  });
}
