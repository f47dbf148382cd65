import { ActivityTypes, type Attachment, type MessagingExtensionResult, type TaskModuleTaskInfo, type TurnContext } from 'botbuilder';
import type { AdaptiveCard, AdaptiveCardSearchResult, Application, TurnState } from '@microsoft/teams-ai';
import { convert } from 'html-to-text';
import { z } from 'zod';
import type { SharedAnswerLookup } from '../../advisorQuestions/sharedAnswers';
import { eventMention } from '../../announcements/eventCommands';
import { searchUpcomingEvents } from '../../announcements/upcoming';
import type { DirectoryService } from '../../directory/directoryService';
import { searchUnits } from '../../directory/searchUnits';
import { chatTexts, eventTexts, localName, messageExtensionTexts, type ReplyLanguage } from '../../i18n';
import { localeLanguage, REPLY_LANGUAGES, replyLanguage } from '../../language/detectLanguage';
import type { Logger } from '../../logger';
import { MAX_MESSAGE_LENGTH, type AssistantReply, type DirectoryAssistant } from '../../questions/directoryAssistant';
import { complementedBySharedAnswers, directoryRequest } from '../../questions/directoryRequest';
import { DRAFT_LIMITS } from '../../suggestions/validateDraft';
import { sharedAnswerResult } from '../advisorQuestions/sharedAnswerCards';
import type { EventTeamsDependencies } from '../announcements/eventHandlers';
import { announcementCard } from '../announcements/announcementCards';
import type { ReplyCards } from '../cards/replyCards';
import { unitLabel } from '../cards/replyCards';
import { UNIT_DATASET, unitChoice } from '../cards/unitChoices';
import { userIdOf, type ConversationMemory } from '../conversationMemory';
import type { SuggestionForms } from '../suggestions/suggestionHandlers';
import type { AdvisorQuestionForms } from '../advisorQuestions/advisorQuestionHandlers';
import { QUESTION_TEXT_LIMIT } from '../../advisorQuestions/validateQuestion';
import { COMMAND, contactResults, eventResults, MAX_RESULTS, messageResult, resultList } from './messageExtensionCards';

export interface MessageExtensionDependencies {
  assistant: Pick<DirectoryAssistant, 'lookUp' | 'understander'>;
  directory: DirectoryService;
  memory: ConversationMemory;
  cards: ReplyCards;
  /** Colleagues' shared answers ("Dette er besvart før"), from the questions to the advisors; never rejects. */
  sharedAnswers: SharedAnswerLookup;
  /** Upcoming events, their calendar files, and the user's personal chat (for the suggestion's confirmation). */
  events: Pick<EventTeamsDependencies, 'catalog' | 'calendarUrl' | 'conversations' | 'messenger' | 'clock'>;
  /** The suggestion form and its submission, shared with the chat. */
  suggestionForms: SuggestionForms;
  /** The question form to the advisors and its submission, shared with the chat. */
  questionForms: AdvisorQuestionForms;
  logger: Logger;
  /** How long an invoke may work before it answers "try again"; Teams gives up after five seconds. */
  invokeBudgetMs?: number;
}

/** Leaves a second of Teams' five for the network and the answer itself. */
const INVOKE_BUDGET_MS = 4000;
/** Shared answers one search lists at most, before the people. */
const MAX_SHARED_RESULTS = 3;
/** Teams shows at most 15 typeahead choices. */
const MAX_TYPEAHEAD = 15;

const INVOKE = {
  query: 'composeExtension/query',
  selectItem: 'composeExtension/selectItem',
  fetchTask: 'composeExtension/fetchTask',
  submitAction: 'composeExtension/submitAction',
  search: 'application/search',
} as const;

/** The payloads Teams sends; anything else gets a "bad request" answer instead of reaching a handler. */
const commandPayload = z.object({ commandId: z.string().min(1).max(100) }).passthrough();
// A Map: an invoke named "constructor" must not find an Object property.
const PAYLOADS = new Map<string, z.ZodTypeAny>([
  [
    INVOKE.query,
    commandPayload.extend({
      parameters: z
        .array(z.object({ name: z.string().optional(), value: z.unknown() }).passthrough())
        .max(20)
        .optional(),
      queryOptions: z
        .object({ skip: z.number().int().min(0).optional(), count: z.number().int().min(0).optional() })
        .passthrough()
        .optional(),
    }),
  ],
  [INVOKE.fetchTask, commandPayload.extend({ messagePayload: z.object({}).passthrough().optional() })],
  [INVOKE.submitAction, commandPayload.extend({ data: z.object({}).passthrough().optional() })],
  [INVOKE.selectItem, z.object({}).passthrough()],
  [
    INVOKE.search,
    z
      .object({
        dataset: z.string().min(1).max(100),
        queryText: z.string().max(500).optional(),
        queryOptions: z
          .object({ skip: z.number().int().min(0).optional(), top: z.number().int().min(0).optional() })
          .passthrough()
          .optional(),
      })
      .passthrough(),
  ],
]);

const selectedEvent = z.object({ kind: z.literal('event'), id: z.string().min(1).max(40), lang: z.enum(REPLY_LANGUAGES).catch('nb') });
const supportRequest = z
  .object({ supportSuggestion: z.string().min(1).max(40), supportToken: z.string().max(200).optional(), lang: z.enum(REPLY_LANGUAGES).optional().catch(undefined) })
  .passthrough();
/** Where a forwarded message's text sits in the action command's payload. */
const messagePayload = z
  .object({
    body: z
      .object({ content: z.string().max(100_000).optional(), contentType: z.string().optional() })
      .passthrough()
      .optional(),
    from: z
      .object({ user: z.object({ displayName: z.string().optional() }).passthrough().nullish() })
      .passthrough()
      .nullish(),
  })
  .passthrough();

/**
 * The message extension: searches for advisors and upcoming events in the
 * compose box, "Meld som forbedringsforslag" on a message, and the unit
 * typeahead of every card with a unit input. Every invoke answers within
 * Teams' five seconds, and a malformed or unknown one gets an answer saying
 * so rather than an error.
 */
export function registerMessageExtensionHandlers(app: Application<TurnState>, deps: MessageExtensionDependencies): void {
  const index = () => deps.directory.index;
  const now = () => (deps.events.clock ?? (() => new Date()))();
  const budget = deps.invokeBudgetMs ?? INVOKE_BUDGET_MS;
  const texts = (context: TurnContext) => messageExtensionTexts(localeLanguage(context.activity.locale)).errors;

  /** The handler's answer, or "try again" when it fails or would miss Teams' deadline. */
  async function inTime<T>(context: TurnContext, work: () => Promise<T>, fallback: (text: string) => T): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), budget);
    });
    const attempt = work().then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    try {
      const outcome = await Promise.race([attempt, late]);
      if (outcome === 'late') {
        deps.logger.warn({ invoke: context.activity.name }, 'message extension invoke answered late; told the user to try again');
        return fallback(texts(context).slow);
      }
      if ('error' in outcome) {
        deps.logger.error({ err: outcome.error, invoke: context.activity.name }, 'message extension invoke failed');
        return fallback(texts(context).failed);
      }
      return outcome.value;
    } finally {
      clearTimeout(timer);
    }
  }

  // First: payloads that are not what Teams sends never reach the handlers below.
  app.addRoute(
    async (context) => {
      const schema = context.activity.type === 'invoke' ? PAYLOADS.get(context.activity.name ?? '') : undefined;
      return schema !== undefined && !schema.safeParse(context.activity.value).success;
    },
    async (context) => {
      const message = texts(context).badRequest;
      await sendInvokeResponse(context, answerFor(context.activity.name ?? '', message));
    },
    true,
  );

  app.messageExtensions.query(COMMAND.findAdvisor, async (context, _state, query) => inTime(context, () => findAdvisors(context, queryText(query.parameters)), messageResult));

  app.messageExtensions.query(COMMAND.findEvents, async (context, _state, query) => inTime(context, () => findEvents(context, queryText(query.parameters)), messageResult));

  app.messageExtensions.selectItem(async (context, _state, item) =>
    inTime(
      context,
      async () => {
        const parsed = selectedEvent.safeParse(item);
        if (!parsed.success) return messageResult(texts(context).badRequest);
        const event = await deps.events.catalog.get(parsed.data.id);
        if (!event || event.state === 'draft') return messageResult(eventTexts(parsed.data.lang).reminders.notFound);
        return resultList([announcementCard(event, deps.events.calendarUrl, parsed.data.lang)]);
      },
      messageResult,
    ),
  );

  app.messageExtensions.fetchTask(COMMAND.reportSuggestion, async (context) =>
    inTime<TaskModuleTaskInfo | string>(
      context,
      () => openSuggestionForm(context),
      (text) => text,
    ),
  );

  app.messageExtensions.submitAction(COMMAND.reportSuggestion, async (context, _state, data) =>
    inTime<TaskModuleTaskInfo | string>(
      context,
      () => submitSuggestion(context, data),
      (text) => text,
    ),
  );

  app.messageExtensions.fetchTask(COMMAND.askAdvisor, async (context) =>
    inTime<TaskModuleTaskInfo | string>(
      context,
      () => openQuestionForm(context),
      (text) => text,
    ),
  );

  app.messageExtensions.submitAction(COMMAND.askAdvisor, async (context, _state, data) =>
    inTime<TaskModuleTaskInfo | string>(
      context,
      () => submitQuestion(context, data),
      (text) => text,
    ),
  );

  app.adaptiveCards.search(UNIT_DATASET, async (context, _state, query) =>
    inTime<AdaptiveCardSearchResult[]>(
      context,
      async () => {
        const language = localeLanguage(context.activity.locale);
        const count = Math.min(Math.max(query.count, 1), MAX_TYPEAHEAD);
        return searchUnits(index().directory.units, query.parameters.queryText, query.skip + count)
          .slice(query.skip)
          .map((unit) => ({ title: unitChoice(unit, language).title, value: unit.code }));
      },
      () => [],
    ),
  );

  // Last: commands and datasets this app does not have (an old manifest, a crafted request).
  const unknown = (name: string) => async (context: TurnContext) => context.activity.type === 'invoke' && context.activity.name === name;
  app.messageExtensions.query(unknown(INVOKE.query), async (context) => messageResult(texts(context).unknownCommand));
  app.messageExtensions.fetchTask(unknown(INVOKE.fetchTask), async (context) => texts(context).unknownCommand);
  app.messageExtensions.submitAction(unknown(INVOKE.submitAction), async (context) => texts(context).unknownCommand);
  app.adaptiveCards.search(unknown(INVOKE.search), async (context) => {
    await sendInvokeResponse(context, answerFor(INVOKE.search, texts(context).unknownCommand));
    return [];
  });

  /** "btb IE", "prosjektøkonomi fysikk", "PBO min enhet": answered as in chat, as contact cards or a line of help. */
  async function findAdvisors(context: TurnContext, text: string): Promise<MessagingExtensionResult> {
    // The id alone: looking up the e-mail would cost a request to Teams on every keystroke.
    const language = replyLanguage(text.slice(0, MAX_MESSAGE_LENGTH), context.activity.locale);
    if (text.trim().length > MAX_MESSAGE_LENGTH) return messageResult(messageExtensionTexts(language).advisors.tooLong(MAX_MESSAGE_LENGTH));
    const reading = deps.assistant.understander.read(text);
    const [result, shared] = await Promise.all([
      deps.assistant.lookUp(userIdOf(context), reading, language),
      complementedBySharedAnswers(directoryRequest(reading), reading) ? deps.sharedAnswers({ text: reading.text, processes: reading.processes }, MAX_SHARED_RESULTS) : [],
    ]);
    const reply = result.replies[0];
    const found = reply ? advisorResult(reply, result.language) : messageResult(helpText(result.language));
    if (shared.length === 0) return found;
    // Shared answers first, then the people, when there are any; a line of help gives way to the answers.
    const people = found.type === 'result' ? (found.attachments ?? []) : [];
    return resultList([...shared.map((answer) => sharedAnswerResult(answer, result.language)), ...people].slice(0, MAX_RESULTS));
  }

  function advisorResult(reply: AssistantReply, language: ReplyLanguage): MessagingExtensionResult {
    const t = messageExtensionTexts(language).advisors;
    switch (reply.kind) {
      case 'contacts':
        return resultList(contactResults(reply.answer, index(), language, deps.cards));
      case 'role-description':
        if (reply.holders) return resultList(contactResults(reply.holders, index(), language, deps.cards));
        return messageResult(chatTexts(language).roleDescriptions[reply.role.code] ?? reply.role.descriptionEn);
      case 'nobody':
        return messageResult(t.nobody(localName(reply.role, language), reply.process ? localName(reply.process, language) : null));
      case 'ask-own-unit':
        return messageResult(t.askUnit);
      case 'unknown-unit':
        return messageResult(t.unknownUnit(reply.text, reply.suggestions.map((unit) => unitLabel(unit, language)).join(', ')));
      case 'ask-process':
        return messageResult(t.askProcess(reply.unit ? unitLabel(reply.unit, language) : null, processNames(language)));
      case 'own-unit-shown':
        return messageResult(t.ownUnit(reply.unit ? unitLabel(reply.unit, language) : null));
      case 'error-routing':
        return messageResult(t.errorRouting(deps.cards.toActivity(reply, language).text ?? ''));
      case 'process-explanation':
      case 'cannot-answer':
        return messageResult(deps.cards.toActivity(reply, language).text ?? helpText(language));
      case 'too-long':
        return messageResult(t.tooLong(reply.limit));
      case 'own-unit-set':
      case 'process-overview':
      case 'help':
      case 'thanks':
      case 'not-understood':
        return messageResult(helpText(language));
    }
  }

  function helpText(language: ReplyLanguage): string {
    return messageExtensionTexts(language).advisors.help(processNames(language));
  }

  function processNames(language: ReplyLanguage): string {
    return index()
      .directory.processes.map((process) => localName(process, language))
      .join(', ');
  }

  /** "fagkafé btb", "kurs for prosjektøkonomer", "unit4": the upcoming events, each as its announcement card. */
  async function findEvents(context: TurnContext, text: string): Promise<MessagingExtensionResult> {
    const language = replyLanguage(text, context.activity.locale);
    const t = messageExtensionTexts(language).events;
    const found = searchUpcomingEvents(await deps.events.catalog.list(), eventMention(deps.assistant.understander.read(text)), now());
    if (found.length === 0) return messageResult(text.trim() === '' ? t.noneAtAll : t.none);
    return resultList(eventResults(found, language, deps.events.calendarUrl));
  }

  /** The suggestion form in a dialog, its description prefilled with the message's text. */
  async function openSuggestionForm(context: TurnContext): Promise<TaskModuleTaskInfo> {
    const payload = messagePayload.safeParse((context.activity.value as { messagePayload?: unknown }).messagePayload ?? {});
    const text = messageText(context);
    const language = replyLanguage(text, context.activity.locale);
    const author = payload.success ? (payload.data.from?.user?.displayName ?? null) : null;
    const description = text ? `${messageExtensionTexts(language).suggestion.fromMessage(author)}\n${text}`.slice(0, DRAFT_LIMITS.description) : '';
    const card = await deps.suggestionForms.formFor(context, language, '', { description }, 'dialog');
    return dialog(language, card);
  }

  /** The question form in a dialog, the question prefilled with the message's text and its process as the bot reads it. */
  async function openQuestionForm(context: TurnContext): Promise<TaskModuleTaskInfo> {
    const text = messageText(context);
    const language = replyLanguage(text, context.activity.locale);
    const process = text ? deps.assistant.understander.read(text.slice(0, MAX_MESSAGE_LENGTH)).processes[0] : undefined;
    // A message longer than the form allows is cut to fit; the asker sees it and can shorten it further.
    const card = await deps.questionForms.formFor(context, language, { process, text: text.slice(0, QUESTION_TEXT_LIMIT) }, 'dialog');
    return { title: messageExtensionTexts(language).question.dialogTitle, height: 'large', width: 'medium', card };
  }

  /** The question dialog submitted: the form again with its problems, or the confirmation (also in the personal chat). */
  async function submitQuestion(context: TurnContext, data: Record<string, unknown>): Promise<TaskModuleTaskInfo | string> {
    const outcome = await deps.questionForms.submitForm(context, data, 'dialog');
    if (outcome.kind === 'refused') return outcome.text;
    if (outcome.kind === 'form') return { title: messageExtensionTexts(outcome.language).question.dialogTitle, height: 'large', width: 'medium', card: asAttachment(outcome.card) };
    const sent = await sendToPersonalChat(context, asAttachment(outcome.card));
    return sent ? `${outcome.summary} ${messageExtensionTexts(outcome.language).question.sentToChat}` : outcome.summary;
  }

  /** The dialog's form submitted: the form again (problems, similar ones), or the confirmation. */
  async function submitSuggestion(context: TurnContext, data: Record<string, unknown>): Promise<TaskModuleTaskInfo | string> {
    const support = supportRequest.safeParse(data);
    if (support.success) {
      const { supportSuggestion, supportToken, ...form } = support.data;
      const outcome = await deps.suggestionForms.supportFromForm(context, { ...form, id: supportSuggestion, token: supportToken }, 'dialog');
      return outcome.card ? dialog(outcome.language, asAttachment(outcome.card)) : outcome.text;
    }
    const outcome = await deps.suggestionForms.submitForm(context, data, 'dialog');
    if (outcome.kind === 'refused') return outcome.text;
    if (outcome.kind === 'form') return dialog(outcome.language, asAttachment(outcome.card));
    const sent = await sendToPersonalChat(context, asAttachment(outcome.card));
    const t = messageExtensionTexts(outcome.language).suggestion;
    return sent ? `${outcome.summary} ${t.sentToChat}` : outcome.summary;
  }

  /** The confirmation card, with the withdraw button, in the user's chat with the bot where later news arrives too. */
  async function sendToPersonalChat(context: TurnContext, card: Attachment): Promise<boolean> {
    const actor = await deps.memory.actorOf(context);
    const chat = await deps.events.conversations.personalChatOf({ id: actor.id, email: actor.email ?? undefined });
    if (!chat) return false;
    try {
      await deps.events.messenger.send(chat.reference, { type: ActivityTypes.Message, attachments: [card] });
      return true;
    } catch (error) {
      deps.logger.warn({ err: error }, 'could not send the confirmation to the personal chat');
      return false;
    }
  }
}

/** The text of the message an action command was used on, as plain text; none, or unreadable, gives ''. */
function messageText(context: TurnContext): string {
  const payload = messagePayload.safeParse((context.activity.value as { messagePayload?: unknown }).messagePayload ?? {});
  const body = payload.success ? payload.data.body : undefined;
  return body?.content ? plainText(body.content, body.contentType) : '';
}

function dialog(language: ReplyLanguage, card: Attachment): TaskModuleTaskInfo {
  return { title: messageExtensionTexts(language).suggestion.dialogTitle, height: 'large', width: 'medium', card };
}

function asAttachment(card: AdaptiveCard): Attachment {
  return { contentType: 'application/vnd.microsoft.card.adaptive', content: card };
}

/** The search box's text: the command's parameter (whatever its name); not text, no text. */
function queryText(parameters: Record<string, unknown>): string {
  const named = Object.entries(parameters).find(([name, value]) => name !== 'initialRun' && typeof value === 'string');
  return typeof named?.[1] === 'string' ? named[1] : '';
}

/** A Teams message body as plain text: HTML (mentions, formatting, links) becomes readable lines. */
function plainText(content: string, contentType: string | undefined): string {
  if (contentType !== undefined && contentType.toLowerCase() !== 'html') return content.trim();
  const text = convert(content, {
    wordwrap: false,
    selectors: [
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
    ],
  });
  // Teams writes spaces as &nbsp; often; in the form they are plain spaces.
  return text.replace(/\u00a0/g, ' ').trim();
}

/** What Teams expects back for each kind of invoke when the request cannot be served. */
function answerFor(invokeName: string, message: string): unknown {
  switch (invokeName) {
    case INVOKE.fetchTask:
    case INVOKE.submitAction:
      return { task: { type: 'message', value: message } };
    case INVOKE.search:
      return { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message } };
    default:
      return { composeExtension: { type: 'message', text: message } };
  }
}

async function sendInvokeResponse(context: TurnContext, body: unknown): Promise<void> {
  await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body } });
}
