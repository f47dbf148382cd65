import type { ProcessRole } from '../../announcements/model';
import type { Activity, Attachment } from 'botbuilder';
import type { Assignment, ContactPoint, Process, Unit } from '../../directory/model';
import type { ContactAnswer } from '../../directory/resolveContacts';
import { advisorQuestionTexts, announcementTexts, chatTexts, localName, type ReplyLanguage } from '../../i18n';
import type { AssistantReply, CarriedOver, ErrorRoute, UnitChoicePurpose } from '../../questions/directoryAssistant';
import type { OutOfScopeTopic } from '../../understanding/readMessage';
import type { DirectoryIndex } from '../../directory/directoryIndex';
import askAdvisorActionTemplate from './templates/askAdvisorAction.json';
import contactsTemplate from './templates/contacts.json';
import cannotAnswerTemplate from './templates/cannotAnswer.json';
import errorRoutingTemplate from './templates/errorRouting.json';
import helpTemplate from './templates/help.json';
import noticeTemplate from './templates/notice.json';
import processExplanationTemplate from './templates/processExplanation.json';
import processOverviewTemplate from './templates/processOverview.json';
import processPickerTemplate from './templates/processPicker.json';
import roleDescriptionTemplate from './templates/roleDescription.json';
import unitPickerTemplate from './templates/unitPicker.json';
import { renderCard } from './renderCard';
import { UNIT_DATASET, unitChoice, unitChoices } from './unitChoices';
import { searchUnits } from '../../directory/searchUnits';

/** Card verbs (Universal Actions) the bot handles. */
export const VERB = {
  chooseUnit: 'chooseUnit',
  searchUnits: 'searchUnits',
  chooseProcess: 'chooseProcess',
} as const;

/**
 * Most people one answer card lists: Teams rejects messages over about 28 KB,
 * and no one reads a longer list in chat.
 */
export const MAX_PEOPLE_ON_CARD = 10;

interface ContactsCardData {
  title: string;
  reason: string;
  note: string;
  more: string;
  processCode: string;
  lang: ReplyLanguage;
  labels: { chat: string; email: string; suggest: string };
  people: Array<{ name: string; roleAndUnit: string; email: string; phone: string; chatUrl: string }>;
}

interface UnitPickerCardData {
  title: string;
  body: string;
  detail: string;
  suggestionsLabel: string;
  suggestions: Array<{ code: string; title: string }>;
  /** The unit search the bot runs, for clients that filter the choices by how titles begin (the Agents Playground). */
  search: { label: string; placeholder: string; button: string; text: string };
  pickerLabel: string;
  placeholder: string;
  selected: string;
  units: Array<{ code: string; title: string }>;
  unitDataset: string;
  save: string;
  purpose: UnitChoicePurpose;
  question: string;
  /** The conversation's language, returned with the action: a card action's locale is the client's, not the chat's. */
  lang: ReplyLanguage;
}

interface ProcessPickerCardData {
  title: string;
  body: string;
  unitCode: string;
  question: string;
  lang: ReplyLanguage;
  rows: Array<{ processes: Array<{ code: string; title: string }> }>;
}

interface NoticeCardData {
  title: string;
  body: string;
}

interface HelpCardData {
  greeting: string;
  title: string;
  items: string;
  examplesTitle: string;
  examples: Array<{ text: string }>;
}

interface RoleDescriptionCardData {
  title: string;
  description: string;
  holdersLabel: string;
  holders: Array<{ name: string; email: string }>;
}

interface ProcessOverviewCardData {
  title: string;
  body: string;
  processes: Array<{ name: string; advice: string }>;
}

interface ProcessExplanationCardData {
  title: string;
  processes: Array<{ name: string; description: string; advice: string }>;
  hint: string;
}

interface CannotAnswerCardData {
  title: string;
  body: string;
  places: Array<{ line: string }>;
}

/** «Spør prosessrådgiveren»: opens the question form with the process and what the user asked. */
interface AskAdvisorActionData {
  label: string;
  process: string;
  question: string;
  lang: ReplyLanguage;
}

/** The topics the bot cannot answer that still belong to a process, and the process: one's own pay is Lønn's. */
const PROCESS_OF_TOPIC: Partial<Record<OutOfScopeTopic, string>> = { 'own-money': 'LONN' };

interface ErrorRoutingCardData {
  title: string;
  routes: Array<{ heading: string; contact: string; email: string; emailLabel: string; url: string }>;
}

/** A reply as Teams shows it: cards, plus text for clients that show no cards. */
export type ReplyActivity = Partial<Activity> & { attachments: Attachment[] };

export function teamsChatUrl(email: string): string {
  return `https://teams.microsoft.com/l/chat/0/0?users=${encodeURIComponent(email)}`;
}

/**
 * One message per reply: a card's plain-text version goes into the card's fallbackText (what a client that cannot
 * render cards shows) and the activity's summary, not into `text`, which Teams and the Agents Playground would show
 * beside the card as well. A reply without a card keeps its text.
 */
function cardWithFallback(activity: ReplyActivity): ReplyActivity {
  const [card, ...others] = activity.attachments;
  if (!card || !activity.text || card.contentType !== 'application/vnd.microsoft.card.adaptive') return activity;
  const { text, ...rest } = activity;
  return { ...rest, summary: text, attachments: [{ ...card, content: { ...(card.content as object), fallbackText: text } }, ...others] };
}

/** Turns the assistant's replies into Teams message activities. */
export class ReplyCards {
  constructor(private readonly directory: () => DirectoryIndex) {}

  /**
   * `asked`: what the user asked, in chat; answers and the reply about one's pay then offer to put it to the
   * advisors («Spør prosessrådgiveren»). Without it (a welcome, a search) they offer nothing of the kind.
   */
  toActivity(reply: AssistantReply, language: ReplyLanguage, asked: string | null = null): ReplyActivity {
    const activity = this.render(reply, language);
    const process = asked === null ? undefined : askableProcess(reply);
    if (asked !== null && process !== undefined) {
      // Added to the rendered card rather than rendered with it: the answer card stays the same for every wording of the question, and its expansion is reused.
      const action = renderCard<AskAdvisorActionData>(askAdvisorActionTemplate, { label: advisorQuestionTexts(language).askButton, process, question: asked, lang: language })
        .content as object;
      const card = activity.attachments[0]?.content as { actions?: object[] } | undefined;
      if (card) card.actions = [...(card.actions ?? []), action];
    }
    return cardWithFallback(activity);
  }

  private render(reply: AssistantReply, language: ReplyLanguage): ReplyActivity {
    const t = chatTexts(language);
    switch (reply.kind) {
      case 'contacts':
        return this.contacts(reply.answer, reply.ownUnit, reply.carriedOver, language);
      case 'nobody':
        return notice(t.nobody(localName(reply.role, language), reply.process ? localName(reply.process, language) : null), '');
      case 'ask-own-unit':
        return {
          attachments: [
            this.unitPickerCard(language, {
              title: t.askOwnUnit.title,
              body: t.askOwnUnit.body,
              detail: reply.question ? t.askOwnUnit.waitingQuestion(reply.question) : '',
              purpose: 'own-unit',
              question: '',
              units: reply.units,
              suggestions: [],
            }),
          ],
        };
      case 'unknown-unit':
        return {
          attachments: [
            this.unitPickerCard(language, {
              title: t.unknownUnit.title(reply.text),
              body: reply.suggestions.length > 0 ? t.unknownUnit.suggestions : t.unknownUnit.noSuggestions,
              purpose: reply.purpose,
              question: reply.question,
              units: this.directory().directory.units,
              suggestions: reply.suggestions,
            }),
          ],
        };
      case 'ask-process':
        return { attachments: [this.processPickerCard(language, reply.question, reply.unit, reply.processes)] };
      case 'own-unit-set':
        return notice(t.ownUnitSaved, `${t.ownUnitSet(unitLabel(reply.unit, language))}${reply.answerFollows ? ` ${t.answerFollows}` : ''}`);
      case 'own-unit-shown':
        return {
          attachments: [
            this.unitPickerCard(language, {
              title: reply.unit ? t.ownUnitShown(unitLabel(reply.unit, language)) : t.ownUnitUnknown,
              body: reply.unit ? t.changeOwnUnit : t.askOwnUnit.body,
              purpose: 'own-unit',
              question: '',
              units: reply.units,
              suggestions: [],
              selected: reply.unit?.code ?? '',
            }),
          ],
        };
      case 'role-description':
        return this.roleDescription(reply.role.code, localName(reply.role, language), reply.role.descriptionEn, reply.holders, language);
      case 'error-routing':
        return this.errorRouting(reply.routes, language);
      case 'help':
        return { attachments: [helpCard(language, reply.greeting)] };
      case 'process-overview':
        return this.processOverview(reply.processes, language);
      case 'process-explanation':
        return this.processExplanation(reply.processes, reply.processRole, language);
      case 'cannot-answer':
        return this.cannotAnswer(reply.topic, reply.contactPoints, language);
      case 'thanks':
        return { text: t.thanks, attachments: [] };
      case 'not-understood':
        return { attachments: [renderCard<NoticeCardData>(noticeTemplate, { title: t.notUnderstood.title, body: t.notUnderstood.body }), helpCard(language, false)] };
      case 'too-long':
        return notice(t.tooLong(reply.limit), '');
    }
  }

  /** The welcome card on install: what the bot does, and the unit picker. */
  welcome(language: ReplyLanguage): ReplyActivity {
    const t = chatTexts(language);
    return {
      attachments: [
        this.unitPickerCard(language, {
          title: t.welcome.title,
          body: t.welcome.body,
          detail: t.askOwnUnit.body,
          purpose: 'own-unit',
          question: '',
          units: this.directory().directory.units,
          suggestions: [],
        }),
      ],
    };
  }

  private contacts(answer: ContactAnswer, ownUnit: boolean, carriedOver: CarriedOver | null, language: ReplyLanguage): ReplyActivity {
    const t = chatTexts(language);
    const index = this.directory();
    const roleName = localName(answer.role, language);
    const processName = answer.process ? localName(answer.process, language) : null;
    const unitName = answer.unit ? unitLabel(answer.unit, language) : null;
    // The title names the unit by code; the reason below spells the names out.
    const unitInTitle = answer.reason.kind === 'central' || answer.reason.kind === 'service-centre' ? null : (answer.unit?.code ?? null);
    const title = t.contacts.title(roleName, processName, unitInTitle);
    const shown = answer.people.slice(0, MAX_PEOPLE_ON_CARD);
    const hidden = answer.people.length - shown.length;
    const data: ContactsCardData = {
      title,
      reason: this.reasonFor(answer, language),
      note: carriedOver
        ? t.contacts.carriedOver(t.contacts.subject(processName ?? roleName, answer.unit?.code ?? null), carriedOver.upToFaculty)
        : ownUnit && unitName
          ? t.contacts.ownUnitNote(unitName)
          : '',
      more: hidden > 0 ? t.contacts.more(hidden) : '',
      processCode: answer.process?.code ?? '',
      lang: language,
      labels: { chat: t.contacts.chat, email: t.contacts.email, suggest: t.contacts.suggest },
      people: shown.map((person) => ({
        name: person.name,
        roleAndUnit: personLine(person, index, language, answer),
        email: person.email,
        phone: person.phone ?? '',
        chatUrl: teamsChatUrl(person.email),
      })),
    };
    const names = shown.map((person) => `${person.name} (${person.email})`).join(', ') + (hidden > 0 ? ` ${data.more}` : '');
    return { text: t.contacts.textLine(title, names), attachments: [renderCard(contactsTemplate, data)] };
  }

  /** Why these people answer: "IDI has no Btb advisor of its own; these are the faculty's (IE)". */
  reasonFor(answer: ContactAnswer, language: ReplyLanguage): string {
    const t = chatTexts(language).contacts;
    const process = answer.process ? localName(answer.process, language) : '';
    const reason = answer.reason;
    switch (reason.kind) {
      case 'own-unit':
        return t.reasonOwnUnit(unitLabel(reason.unit, language), process);
      case 'inherited':
        return t.reasonInherited(unitLabel(reason.unit, language), unitLabel(reason.from, language), process);
      case 'no-local-advisor':
        return t.reasonNoLocalAdvisor(unitLabel(reason.unit, language), process);
      case 'service-centre':
        return t.reasonServiceCentre(process);
      case 'central':
        return t.reasonCentral(process);
      case 'role':
        return t.reasonRole(localName(answer.role, language));
    }
  }

  private roleDescription(roleCode: string, roleName: string, descriptionEn: string, holders: ContactAnswer | null, language: ReplyLanguage): ReplyActivity {
    const t = chatTexts(language);
    const description = t.roleDescriptions[roleCode] ?? descriptionEn;
    const people = holders?.people ?? [];
    const data: RoleDescriptionCardData = {
      title: t.roleDescription.title(roleName),
      description,
      holdersLabel: t.roleDescription.holders,
      holders: people.map((person) => ({ name: person.name, email: person.email })),
    };
    const text = people.length > 0 ? `${data.title} ${people.map((person) => `${person.name} (${person.email})`).join(', ')}` : undefined;
    return { ...(text ? { text } : {}), attachments: [renderCard(roleDescriptionTemplate, data)] };
  }

  private errorRouting(routes: ErrorRoute[], language: ReplyLanguage): ReplyActivity {
    const t = chatTexts(language).errorRouting;
    const data: ErrorRoutingCardData = {
      title: t.title,
      routes: routes.map((route) => ({
        heading: route.systems === 'other' ? t.other : route.systems.includes('unit4') ? t.unit4 : t.dfo,
        contact: localName(route.contactPoint, language),
        email: route.contactPoint.email ?? '',
        emailLabel: route.contactPoint.email ? t.write(route.contactPoint.email) : '',
        url: route.contactPoint.url ?? '',
      })),
    };
    const text = data.routes.map((route) => `${route.heading}: ${route.contact}${route.email ? ` (${route.email})` : route.url ? ` (${route.url})` : ''}`).join('\n');
    return { text, attachments: [renderCard(errorRoutingTemplate, data)] };
  }

  private processOverview(processes: readonly Process[], language: ReplyLanguage): ReplyActivity {
    const t = chatTexts(language).processOverview;
    const data: ProcessOverviewCardData = {
      title: t.title,
      body: t.body,
      processes: processes.map((process) => ({
        name: `${localName(process, language)} (${process.code})`,
        advice: t.advisorModel[process.advisorModel],
      })),
    };
    return { attachments: [renderCard(processOverviewTemplate, data)] };
  }

  /** What each process covers and who advises on it; names no person. */
  private processExplanation(processes: readonly Process[], processRole: ProcessRole | null, language: ReplyLanguage): ReplyActivity {
    const t = chatTexts(language);
    const names = processes.map((process) => `${localName(process, language)} (${process.code})`);
    const joined = names.join(language === 'en' ? ' and ' : ' og ');
    const data: ProcessExplanationCardData = {
      title: processRole ? t.explanation.processRoleTitle(announcementTexts(language).roles[processRole], joined) : t.explanation.title(joined),
      processes: processes.map((process, i) => ({
        name: names[i] ?? process.code,
        description: (language === 'en' ? process.descriptionEn : process.descriptionNb) || t.explanation.noDescription,
        advice: t.processOverview.advisorModel[process.advisorModel],
      })),
      hint: processes[0] ? t.explanation.whoHint(processes[0].code) : '',
    };
    const text = data.processes.map((process) => `${process.name}: ${process.description}`).join('\n');
    return { text, attachments: [renderCard(processExplanationTemplate, data)] };
  }

  /** "I can't answer that", and where to go instead. */
  private cannotAnswer(topic: OutOfScopeTopic, contactPoints: readonly ContactPoint[], language: ReplyLanguage): ReplyActivity {
    const t = chatTexts(language).cannotAnswer;
    const data: CannotAnswerCardData = {
      title: t.title[topic],
      body: t.body[topic],
      places: contactPoints.map((point) => ({ line: `${localName(point, language)}: ${[point.email, point.url].filter(Boolean).join(', ')}` })),
    };
    return { text: `${data.title} ${data.body} ${data.places.map((place) => place.line).join('; ')}`.trim(), attachments: [renderCard(cannotAnswerTemplate, data)] };
  }

  unitPickerCard(
    language: ReplyLanguage,
    options: {
      title: string;
      body: string;
      detail?: string;
      purpose: UnitChoicePurpose;
      question: string;
      units: readonly Unit[];
      suggestions: readonly Unit[];
      selected?: string;
      /** What the search field holds. */
      searchText?: string;
      /** `units` are a search's matches, best first: they keep their order rather than going by code. */
      ranked?: boolean;
    },
  ): Attachment {
    const t = chatTexts(language);
    const data: UnitPickerCardData = {
      title: options.title,
      body: options.body,
      detail: options.detail ?? '',
      suggestionsLabel: t.unknownUnit.suggestions,
      suggestions: options.suggestions.map((unit) => ({ code: unit.code, title: unitLabel(unit, language) })),
      search: { label: t.unitSearch.label, placeholder: t.unitSearch.placeholder, button: t.unitSearch.button, text: options.searchText ?? '' },
      pickerLabel: t.askOwnUnit.label,
      placeholder: t.askOwnUnit.placeholder,
      selected: options.selected ?? '',
      units: options.ranked ? options.units.map((unit) => unitChoice(unit, language)) : unitChoices(options.units, language),
      unitDataset: UNIT_DATASET,
      save: options.purpose === 'own-unit' ? t.askOwnUnit.save : t.unknownUnit.choose,
      purpose: options.purpose,
      question: options.question,
      lang: language,
    };
    return renderCard(unitPickerTemplate, data);
  }

  /**
   * The unit picker again after its search button: the units whose code, names or aliases match the text (the search
   * of the typeahead), best first and the best chosen, under a line saying how many matched. The card's title, detail,
   * purpose and waiting question stay as they were.
   */
  unitSearchCard(language: ReplyLanguage, text: string, card: { title: string; detail: string; purpose: UnitChoicePurpose; question: string }): Attachment {
    const t = chatTexts(language).unitSearch;
    const all = this.directory().directory.units;
    const searched = text.trim();
    const found = searched === '' ? [] : searchUnits(all, searched, all.length);
    const body = searched === '' ? t.empty : found.length === 0 ? t.none(searched) : t.found(found.length, searched);
    // With nothing found every unit stays on offer, by code.
    const offered = found.length > 0 ? { units: found, ranked: true, selected: found[0]?.code } : { units: all };
    return this.unitPickerCard(language, { ...card, body, suggestions: [], searchText: searched, ...offered });
  }

  private processPickerCard(language: ReplyLanguage, question: string, unit: Unit | null, processes: readonly Process[]): Attachment {
    const t = chatTexts(language).askProcess;
    const buttons = processes.map((process) => ({ code: process.code, title: localName(process, language) }));
    const rows: ProcessPickerCardData['rows'] = [];
    // Teams shows a handful of buttons per row; three keep long process names readable.
    for (let i = 0; i < buttons.length; i += 3) rows.push({ processes: buttons.slice(i, i + 3) });
    return renderCard<ProcessPickerCardData>(processPickerTemplate, {
      title: t.title,
      body: t.body(unit ? unitLabel(unit, language) : null),
      unitCode: unit?.code ?? '',
      question,
      lang: language,
      rows,
    });
  }
}

/** The process a reply's «Spør prosessrådgiveren» prefills ('' for the asker to choose); undefined where the reply offers none. */
function askableProcess(reply: AssistantReply): string | undefined {
  switch (reply.kind) {
    case 'contacts':
      return reply.answer.process?.code ?? '';
    case 'process-explanation':
      return reply.processes[0]?.code ?? '';
    case 'cannot-answer':
      return PROCESS_OF_TOPIC[reply.topic];
    default:
      return undefined;
  }
}

export function notice(title: string, body: string): ReplyActivity {
  return { attachments: [renderCard<NoticeCardData>(noticeTemplate, { title, body })] };
}

function helpCard(language: ReplyLanguage, greeting: boolean): Attachment {
  const t = chatTexts(language).help;
  return renderCard<HelpCardData>(helpTemplate, {
    greeting: greeting ? t.greeting : '',
    title: t.title,
    items: t.items.map((item) => `- ${item}`).join('\n'),
    examplesTitle: t.examplesTitle,
    examples: t.examples.map((text) => ({ text })),
  });
}

export function unitLabel(unit: Unit, language: ReplyLanguage): string {
  return `${localName(unit, language)} (${unit.code})`;
}

/** "Prosessrådgiver · Fakultet for naturvitenskap (NV)", or the processes an owner holds. */
export function personLine(person: Assignment, index: DirectoryIndex, language: ReplyLanguage, answer: ContactAnswer): string {
  const role = index.role(person.role);
  const unit = index.unit(person.unit);
  const parts = [role ? localName(role, language) : person.role, unit ? unitLabel(unit, language) : person.unit];
  if (!answer.process && person.process) {
    const processes = index
      .holdersOfRole(person.role)
      .filter((other) => other.email.toLowerCase() === person.email.toLowerCase() && other.process)
      .map((other) => index.process(other.process as string))
      .filter((process): process is Process => process !== undefined)
      .map((process) => localName(process, language));
    if (processes.length > 0) parts.push(chatTexts(language).contacts.forProcesses([...new Set(processes)].join(', ')));
  }
  return parts.join(' · ');
}
