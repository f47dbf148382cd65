import type { Attachment } from 'botbuilder';
import type { DirectoryIndex } from '../../directory/directoryIndex';
import type { AdvisorModel, Process } from '../../directory/model';
import { followUpTexts, localName, privacyTexts, suggestionTexts, type ReplyLanguage } from '../../i18n';
import { AFFECTED_SYSTEMS, FINAL_STATES, type HistoryEntry, type Suggestion, type SuggestionAction, type UndeliverableRecipient } from '../../suggestions/model';
import { isAnonymised, type Actor } from '../../core/actor';
import { OSLO_ZONE } from '../../core/osloTime';
import { routeRecipients, type SimilarSuggestion } from '../../suggestions/suggestionService';
import { DRAFT_LIMITS, type DraftField, type DraftProblem } from '../../suggestions/validateDraft';
import { renderCard } from '../cards/renderCard';
import { UNIT_DATASET, unitChoices } from '../cards/unitChoices';
import formTemplate from './templates/suggestionForm.json';
import listTemplate from './templates/suggestionList.json';
import pathTemplate from './templates/suggestionPath.json';
import suggestionTemplate from './templates/suggestion.json';

/** Card verbs of the suggestion capability. */
export const SUGGESTION_VERB = {
  openForm: 'openSuggestionForm',
  submit: 'submitSuggestion',
  act: 'suggestionAction',
  support: 'supportSuggestion',
  refresh: 'refreshSuggestion',
} as const;

/**
 * Where the form is shown: in chat its buttons are Universal Actions
 * (Action.Execute, the card replaced in place); in the message extension's
 * dialog they submit the dialog (Action.Submit → composeExtension/submitAction).
 */
export type FormSurface = 'chat' | 'dialog';

/** Who the card is for: the people handling it (routed card) or the submitter (confirmation, notifications). */
export type SuggestionView = 'handler' | 'submitter';

interface FormCardData {
  title: string;
  intro: string;
  problemSummary: string;
  labels: Record<DraftField, string>;
  placeholders: { title: string; description: string; potential: string; unit: string };
  limits: typeof DRAFT_LIMITS;
  problems: Record<DraftField, string>;
  /** What the client says under a required input it refuses to send empty: the server's problem, else "required". */
  errorMessages: Record<DraftField, string>;
  values: Record<DraftField, string>;
  processes: Array<{ code: string; title: string }>;
  units: Array<{ code: string; title: string }>;
  unitDataset: string;
  systems: Array<{ code: string; title: string }>;
  submit: string;
  lang: ReplyLanguage;
  formId: string;
  /** Set once the submitter has seen similar suggestions and chose to send a new one anyway. */
  confirmedNew: string;
  similarTitle: string;
  similarBody: string;
  supportLabel: string;
  /** Each with the token that lets this user support it (see SupportTokens). */
  similar: Array<{ id: string; line: string; token: string; supported: boolean }>;
  supportedLabel: string;
  /** What just happened, above the form (e.g. a suggestion supported from it). */
  notice: string;
  surface: FormSurface;
}

interface SuggestionCardData {
  id: string;
  view: SuggestionView;
  lang: ReplyLanguage;
  updatedAt: string;
  intro: string[];
  notice: string;
  heading: string;
  title: string;
  awaitingDelivery: string;
  /** One line per recipient of the route the card could not be delivered to. */
  undeliverable: string[];
  facts: Array<{ title: string; value: string }>;
  description: string;
  potential: string;
  support: string;
  history: string[];
  labels: { description: string; potential: string; history: string; comment: string; assignee: string };
  showAssignee: boolean;
  /** Handling steps take a comment; withdrawing one's own suggestion needs none. */
  showComment: boolean;
  actions: Array<{ action: SuggestionAction; title: string }>;
}

interface PathCardData {
  title: string;
  intro: string;
  routes: string[];
  onwards: string;
  action: string;
  process: string;
  lang: ReplyLanguage;
}

interface ListCardData {
  title: string;
  empty: string;
  lines: string[];
}

const EMPTY_FIELDS: Record<DraftField, string> = { process: '', unit: '', title: '', description: '', potential: '', system: '', mayContact: 'true' };

export function suggestionFormCard(
  index: DirectoryIndex,
  language: ReplyLanguage,
  options: {
    values?: Partial<Record<DraftField, string>>;
    problems?: Partial<Record<DraftField, DraftProblem>>;
    formId: string;
    similar?: readonly SimilarSuggestion[];
    surface?: FormSurface;
    notice?: string;
  },
): Attachment {
  const similar = options.similar ?? [];
  const t = suggestionTexts(language).form;
  const problems = options.problems ?? {};
  const problemText = (field: DraftField): string => {
    const problem = problems[field];
    if (!problem) return '';
    return problem === 'too-long' && field in DRAFT_LIMITS ? t.tooLong(DRAFT_LIMITS[field as keyof typeof DRAFT_LIMITS]) : t.problems[problem];
  };
  const fields = Object.keys(EMPTY_FIELDS) as DraftField[];
  return renderCard<FormCardData>(formTemplate, {
    title: t.title,
    intro: t.intro,
    problemSummary: Object.keys(problems).length > 0 ? t.fixProblems : '',
    labels: t.labels,
    placeholders: t.placeholders,
    limits: DRAFT_LIMITS,
    problems: Object.fromEntries(fields.map((field) => [field, problemText(field)])) as Record<DraftField, string>,
    errorMessages: Object.fromEntries(fields.map((field) => [field, problemText(field) || t.problems.required])) as Record<DraftField, string>,
    values: { ...EMPTY_FIELDS, ...options.values },
    processes: index.directory.processes.map((process) => ({ code: process.code, title: localName(process, language) })),
    units: unitChoices(index.directory.units, language),
    unitDataset: UNIT_DATASET,
    systems: AFFECTED_SYSTEMS.map((code) => ({ code, title: suggestionTexts(language).systems[code] })),
    submit: similar.length > 0 ? t.submitAnyway : t.submit,
    lang: language,
    formId: options.formId,
    confirmedNew: similar.length > 0 ? 'true' : '',
    similarTitle: t.similarTitle,
    similarBody: t.similarBody,
    supportLabel: t.support,
    supportedLabel: t.supported,
    notice: options.notice ?? '',
    similar: similar.map(({ suggestion, supportToken, supported }) => ({
      id: suggestion.id,
      line: suggestionTexts(language).lists.line(suggestion.id, suggestion.title, suggestionTexts(language).states[suggestion.state]),
      token: supportToken,
      supported,
    })),
    surface: options.surface ?? 'chat',
  });
}

export function suggestionCard(
  suggestion: Suggestion,
  index: DirectoryIndex,
  language: ReplyLanguage,
  options: { view: SuggestionView; actions: readonly SuggestionAction[]; intro?: string[]; notice?: string },
): Attachment {
  const t = suggestionTexts(language);
  const process = index.process(suggestion.process);
  const unit = index.unit(suggestion.unit);
  const when = (iso: string): string =>
    new Intl.DateTimeFormat(followUpTexts(language).locale, { dateStyle: 'short', timeStyle: 'short', timeZone: OSLO_ZONE }).format(new Date(iso));
  const nameOf = (actor: Actor) => (isAnonymised(actor) ? privacyTexts(language).anonymised : actor.name);
  const facts = [
    { title: t.card.facts.process, value: process ? localName(process, language) : suggestion.process },
    { title: t.card.facts.unit, value: unit ? `${localName(unit, language)} (${unit.code})` : suggestion.unit },
    { title: t.card.facts.system, value: t.systems[suggestion.system] },
    { title: t.card.facts.submitter, value: nameOf(suggestion.submitter) },
    { title: t.card.facts.mayContact, value: suggestion.mayContact ? t.card.yes : t.card.no },
    { title: t.card.facts.route, value: suggestion.route.target.label },
  ];
  if (suggestion.assignee) facts.splice(4, 0, { title: t.card.facts.assignee, value: suggestion.assignee.name });
  return renderCard<SuggestionCardData>(suggestionTemplate, {
    id: suggestion.id,
    view: options.view,
    lang: language,
    updatedAt: suggestion.updatedAt,
    intro: options.intro ?? [],
    notice: options.notice ?? '',
    heading: t.card.idAndState(suggestion.id, t.states[suggestion.state]),
    title: suggestion.title,
    awaitingDelivery: stillAwaited(suggestion) ? t.card.awaitingDelivery : '',
    undeliverable: undeliverableNow(suggestion).map((entry) => t.card.undeliverable(recipientName(suggestion, entry.recipient), t.card.undeliverableCauses[entry.cause])),
    facts,
    description: suggestion.description,
    potential: suggestion.potential,
    support: suggestion.supporters.length > 0 ? t.card.support(suggestion.supporters.length) : '',
    history: suggestion.history.map((entry) => t.card.historyLine(when(entry.at), nameOf(entry.by), changeVerb(entry, language), entry.comment)),
    labels: { description: t.card.description, potential: t.card.potential, history: t.card.history, comment: t.card.comment, assignee: t.card.assignee },
    showAssignee: options.actions.includes('assign'),
    showComment: options.actions.some((action) => action !== 'withdraw'),
    actions: options.actions.map((action) => ({ action, title: t.actions[action] })),
  });
}

/** The dead letters of the current route whose recipient has not got the card since (e.g. by a later resend). */
function undeliverableNow(suggestion: Suggestion): UndeliverableRecipient[] {
  const current = new Set(routeRecipients(suggestion));
  return (suggestion.undeliverable ?? []).filter((entry) => current.has(entry.recipient) && !suggestion.postings.some((posting) => posting.recipient === entry.recipient));
}

/** Whether a recipient of the route has neither got the card nor been given up on. */
function stillAwaited(suggestion: Suggestion): boolean {
  // A withdrawn or decided suggestion is not waiting for anyone, whatever its route still lacks.
  if (suggestion.delivered || FINAL_STATES.has(suggestion.state)) return false;
  const settled = new Set([...suggestion.postings, ...undeliverableNow(suggestion)].map((entry) => entry.recipient));
  return routeRecipients(suggestion).some((recipient) => !settled.has(recipient));
}

/** A route recipient as people know it: the channel's label, or the person's name. */
function recipientName(suggestion: Suggestion, recipient: string): string {
  const target = suggestion.route.target;
  if (target.kind === 'channel') return target.label;
  return target.people.find((person) => person.email.toLowerCase() === recipient)?.name ?? recipient;
}

/** What a change did, as a verb phrase: "tok saken", "tildelte saken til Kari Nordmann". */
export function changeVerb(entry: HistoryEntry, language: ReplyLanguage): string {
  return [suggestionTexts(language).historyVerbs[entry.action], entry.assignee].filter(Boolean).join(' ');
}

export function suggestionListCard(title: string, empty: string, lines: string[]): Attachment {
  return renderCard<ListCardData>(listTemplate, { title, empty, lines });
}

/**
 * How a suggestion travels, by the directory's processes grouped by how they are advised (the routing rules of
 * src/routing/processRoutes.ts, told in words), with the button that opens the form.
 */
export function suggestionPathCard(processes: readonly Process[], process: string | null, lang: ReplyLanguage): Attachment {
  const t = suggestionTexts(lang).path;
  const models: AdvisorModel[] = ['local', 'service-centre', 'central'];
  const routes = models.flatMap((model) => {
    const names = processes.filter((candidate) => candidate.advisorModel === model).map((candidate) => localName(candidate, lang));
    return names.length > 0 ? [t.byAdvisorModel[model](names.join(', '))] : [];
  });
  return renderCard<PathCardData>(pathTemplate, { title: t.title, intro: t.intro, routes, onwards: t.onwards, action: t.action, process: process ?? '', lang });
}
