import type { Attachment } from 'botbuilder';
import type { AdvisorQuestion, QuestionAction, QuestionHistoryEntry } from '../../advisorQuestions/model';
import { FINAL_QUESTION_STATES } from '../../advisorQuestions/model';
import { QUESTION_TEXT_LIMIT, type QuestionField, type QuestionProblem } from '../../advisorQuestions/validateQuestion';
import { isAnonymised, type Actor } from '../../core/actor';
import { OSLO_ZONE } from '../../core/osloTime';
import type { DirectoryIndex } from '../../directory/directoryIndex';
import { advisorQuestionTexts, followUpTexts, localName, privacyTexts, type ReplyLanguage } from '../../i18n';
import { routeRecipients, type UndeliverableRecipient } from '../../routing/processRoutes';
import { renderCard } from '../cards/renderCard';
import type { FormSurface } from '../suggestions/suggestionCards';
import { UNIT_DATASET, unitChoices } from '../cards/unitChoices';
import formTemplate from './templates/advisorQuestionForm.json';
import questionTemplate from './templates/advisorQuestion.json';

/** Card verbs of the questions to the advisors (the answer cards' button opens the form with `openForm`). */
export const ADVISOR_QUESTION_VERB = {
  openForm: 'openAdvisorQuestionForm',
  submit: 'submitAdvisorQuestion',
  act: 'advisorQuestionAction',
  refresh: 'refreshAdvisorQuestion',
} as const;

/** Who the card is for: the people handling it (routed card) or the asker (confirmation, notifications). */
export type QuestionView = 'handler' | 'asker';

interface FormCardData {
  title: string;
  intro: string;
  problemSummary: string;
  labels: Record<QuestionField, string>;
  placeholders: { text: string; unit: string };
  limit: number;
  problems: Record<QuestionField, string>;
  /** What the client says under a required input it refuses to send empty: the server's problem, else "required". */
  errorMessages: Record<QuestionField, string>;
  values: Record<QuestionField, string>;
  processes: Array<{ code: string; title: string }>;
  units: Array<{ code: string; title: string }>;
  unitDataset: string;
  submit: string;
  lang: ReplyLanguage;
  formId: string;
  /** In chat the form is a Universal Action; in the message extension's dialog it submits the dialog. */
  surface: FormSurface;
}

interface QuestionCardData {
  id: string;
  view: QuestionView;
  lang: ReplyLanguage;
  updatedAt: string;
  intro: string[];
  notice: string;
  heading: string;
  title: string;
  awaitingDelivery: string;
  undeliverable: string[];
  facts: Array<{ title: string; value: string }>;
  question: string;
  answerHeading: string;
  answer: string;
  suggestion: string;
  history: string[];
  labels: { question: string; history: string; comment: string };
  showComment: boolean;
  actions: Array<{ action: QuestionAction; title: string }>;
}

const EMPTY_FIELDS: Record<QuestionField, string> = { process: '', unit: '', text: '', shareable: 'false' };

/** The short form: process, unit, the question, and whether the answer may be shared. */
export function advisorQuestionFormCard(
  index: DirectoryIndex,
  language: ReplyLanguage,
  options: { values?: Partial<Record<QuestionField, string>>; problems?: Partial<Record<QuestionField, QuestionProblem>>; formId: string; surface?: FormSurface },
): Attachment {
  const t = advisorQuestionTexts(language).form;
  const problems = options.problems ?? {};
  const problemText = (field: QuestionField): string => {
    const problem = problems[field];
    if (!problem) return '';
    return problem === 'too-long' ? t.tooLong(QUESTION_TEXT_LIMIT) : t.problems[problem];
  };
  const fields = Object.keys(EMPTY_FIELDS) as QuestionField[];
  return renderCard<FormCardData>(formTemplate, {
    title: t.title,
    intro: t.intro,
    problemSummary: Object.keys(problems).length > 0 ? t.fixProblems : '',
    labels: t.labels,
    placeholders: t.placeholders,
    limit: QUESTION_TEXT_LIMIT,
    problems: Object.fromEntries(fields.map((field) => [field, problemText(field)])) as Record<QuestionField, string>,
    errorMessages: Object.fromEntries(fields.map((field) => [field, problemText(field) || t.problems.required])) as Record<QuestionField, string>,
    values: { ...EMPTY_FIELDS, ...options.values },
    processes: index.directory.processes.map((process) => ({ code: process.code, title: localName(process, language) })),
    units: unitChoices(index.directory.units, language),
    unitDataset: UNIT_DATASET,
    submit: t.submit,
    lang: language,
    formId: options.formId,
    surface: options.surface ?? 'chat',
  });
}

/** The question as its handlers (with the handling buttons and the answer field) or its asker (withdrawal) see it. */
export function advisorQuestionCard(
  question: AdvisorQuestion,
  index: DirectoryIndex,
  language: ReplyLanguage,
  options: { view: QuestionView; actions: readonly QuestionAction[]; intro?: string[]; notice?: string },
): Attachment {
  const t = advisorQuestionTexts(language);
  const process = index.process(question.process);
  const unit = index.unit(question.unit);
  const when = (iso: string): string =>
    new Intl.DateTimeFormat(followUpTexts(language).locale, { dateStyle: 'short', timeStyle: 'short', timeZone: OSLO_ZONE }).format(new Date(iso));
  const nameOf = (actor: Actor) => (isAnonymised(actor) ? privacyTexts(language).anonymised : actor.name);
  const facts = [
    { title: t.card.facts.process, value: process ? localName(process, language) : question.process },
    { title: t.card.facts.unit, value: unit ? `${localName(unit, language)} (${unit.code})` : question.unit },
    { title: t.card.facts.asker, value: nameOf(question.asker) },
    ...(question.assignee ? [{ title: t.card.facts.assignee, value: question.assignee.name }] : []),
    { title: t.card.facts.shareable, value: question.shareable ? t.card.yes : t.card.no },
    { title: t.card.facts.route, value: question.route.target.label },
  ];
  return renderCard<QuestionCardData>(questionTemplate, {
    id: question.id,
    view: options.view,
    lang: language,
    updatedAt: question.updatedAt,
    intro: options.intro ?? [],
    notice: options.notice ?? '',
    heading: t.card.idAndState(question.id, t.states[question.state]),
    title: t.card.title,
    awaitingDelivery: stillAwaited(question) ? t.card.awaitingDelivery : '',
    undeliverable: undeliverableNow(question).map((entry) => t.card.undeliverable(recipientName(question, entry.recipient), t.card.undeliverableCauses[entry.cause])),
    facts,
    question: question.text,
    answerHeading: question.answer ? t.card.answer(question.answer.by.name, when(question.answer.at)) : '',
    answer: question.answer?.text ?? '',
    suggestion: question.suggestionId ? t.card.suggestion(question.suggestionId) : '',
    history: question.history.map((entry) => t.card.historyLine(when(entry.at), nameOf(entry.by), questionChangeVerb(entry, language))),
    labels: { question: t.card.question, history: t.card.history, comment: t.card.comment },
    showComment: options.actions.some((action) => action !== 'withdraw'),
    actions: options.actions.map((action) => ({ action, title: t.actions[action] })),
  });
}

/** What a change did, as a verb phrase: "tok saken", "svarte". */
export function questionChangeVerb(entry: QuestionHistoryEntry, language: ReplyLanguage): string {
  return advisorQuestionTexts(language).historyVerbs[entry.action];
}

/** The dead letters of the current route whose recipient has not got the card since. */
function undeliverableNow(question: AdvisorQuestion): UndeliverableRecipient[] {
  const current = new Set(routeRecipients(question.route));
  return question.undeliverable.filter((entry) => current.has(entry.recipient) && !question.postings.some((posting) => posting.recipient === entry.recipient));
}

/** Whether a recipient of the route has neither got the card nor been given up on. */
function stillAwaited(question: AdvisorQuestion): boolean {
  if (question.delivered || FINAL_QUESTION_STATES.has(question.state)) return false;
  const settled = new Set([...question.postings, ...undeliverableNow(question)].map((entry) => entry.recipient));
  return routeRecipients(question.route).some((recipient) => !settled.has(recipient));
}

/** A route recipient as people know it: the channel's label, or the person's name. */
function recipientName(question: AdvisorQuestion, recipient: string): string {
  const target = question.route.target;
  if (target.kind === 'channel') return target.label;
  return target.people.find((person) => person.email.toLowerCase() === recipient)?.name ?? recipient;
}
