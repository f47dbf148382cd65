import { ActivityTypes, type Attachment, type TurnContext } from 'botbuilder';
import type { AdaptiveCard, Application, TurnState } from '@microsoft/teams-ai';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AdvisorQuestionCommand } from '../../advisorQuestions/advisorQuestionCommands';
import type { AdvisorQuestionService } from '../../advisorQuestions/advisorQuestionService';
import { QUESTION_ACTIONS } from '../../advisorQuestions/lifecycle';
import type { AdvisorQuestion, QuestionAction } from '../../advisorQuestions/model';
import { QUESTION_TEXT_LIMIT } from '../../advisorQuestions/validateQuestion';
import type { Actor } from '../../core/actor';
import type { DirectoryService } from '../../directory/directoryService';
import { advisorQuestionTexts, type ReplyLanguage } from '../../i18n';
import { REPLY_LANGUAGES, replyLanguage } from '../../language/detectLanguage';
import type { UserProfileStore } from '../../profiles/userProfileStore';
import { MAX_MESSAGE_LENGTH } from '../../understanding/readMessage';
import type { ConversationMemory } from '../conversationMemory';
import { suggestionListCard, type FormSurface } from '../suggestions/suggestionCards';
import { ADVISOR_QUESTION_VERB, advisorQuestionCard, advisorQuestionFormCard, questionChangeVerb, type QuestionView } from './advisorQuestionCards';

export interface AdvisorQuestionTeamsDependencies {
  service: AdvisorQuestionService;
  directory: DirectoryService;
  profiles: UserProfileStore;
  memory: ConversationMemory;
}

/** How long the confirmation waits for the first delivery attempt; Teams allows an invoke five seconds. */
const CONFIRMATION_WAIT_MS = 1500;
/** How much of a question a list line shows. */
const LINE_LENGTH = 80;

const language = z.enum(REPLY_LANGUAGES).optional().catch(undefined);
/** The answer cards' button: the process and what the user asked, to prefill the form with. */
// A question longer than the form allows is kept as asked: the form then marks it too long.
const openFormData = z.object({ process: z.string().max(40).optional(), question: z.string().max(MAX_MESSAGE_LENGTH).optional().catch(undefined), lang: language });
const submitData = z.object({ lang: language, formId: z.string().min(1).max(100).optional() }).passthrough();
const actData = z.object({
  id: z.string().regex(/^SP-\d{4}-\d{4,6}$/),
  action: z.enum(QUESTION_ACTIONS as [QuestionAction, ...QuestionAction[]]),
  basedOn: z.string().max(40).optional(),
  view: z.enum(['handler', 'asker']).default('handler'),
  lang: language,
  comment: z.string().max(QUESTION_TEXT_LIMIT).optional(),
});
const refreshData = z.object({ id: z.string().max(40), view: z.enum(['handler', 'asker']).default('handler'), lang: language });

/** What a submitted form comes to: a refusal, the form again with its problems, or the confirmation. */
export type QuestionSubmitOutcome =
  | { kind: 'refused'; language: ReplyLanguage; text: string }
  | { kind: 'form'; language: ReplyLanguage; card: AdaptiveCard }
  | { kind: 'submitted'; language: ReplyLanguage; card: AdaptiveCard; summary: string };

/** The question form and its submission, for the chat and the message extension's dialog. */
export interface AdvisorQuestionForms {
  /** The form, prefilled, with the user's remembered unit. */
  formFor(context: TurnContext, lang: ReplyLanguage, values: { process?: string; text?: string }, surface: FormSurface): Promise<Attachment>;
  submitForm(context: TurnContext, data: unknown, surface: FormSurface): Promise<QuestionSubmitOutcome>;
}

const conversationOf = (context: TurnContext) => ({ conversationId: context.activity.conversation?.id ?? null });

/** The card for one viewer: handlers see the handling buttons, the asker the withdrawal. */
function questionCardFor(
  deps: AdvisorQuestionTeamsDependencies,
  question: AdvisorQuestion,
  actor: Actor,
  context: TurnContext,
  view: QuestionView,
  lang: ReplyLanguage,
  extra: { intro?: string[]; notice?: string } = {},
): AdaptiveCard {
  const actions = deps.service.actionsFor(question, actor, conversationOf(context)).filter((action) => (view === 'asker' ? action === 'withdraw' : action !== 'withdraw'));
  return advisorQuestionCard(question, deps.directory.index, lang, { view, actions, ...extra }).content as AdaptiveCard;
}

export function advisorQuestionForms(deps: AdvisorQuestionTeamsDependencies): AdvisorQuestionForms {
  const index = () => deps.directory.index;

  async function formFor(context: TurnContext, lang: ReplyLanguage, values: { process?: string; text?: string }, surface: FormSurface): Promise<Attachment> {
    const process = values.process && index().process(values.process) ? values.process : '';
    const profile = await deps.profiles.get((await deps.memory.actorOf(context)).id);
    return advisorQuestionFormCard(index(), lang, { values: { process, unit: profile?.unitCode ?? '', text: values.text ?? '' }, formId: randomUUID(), surface });
  }

  async function submitForm(context: TurnContext, data: unknown, surface: FormSurface): Promise<QuestionSubmitOutcome> {
    const parsed = submitData.safeParse(data);
    const lang = (parsed.success ? parsed.data.lang : undefined) ?? replyLanguage('', context.activity.locale);
    const raw = (parsed.success ? parsed.data : {}) as Record<string, unknown>;
    const formId = parsed.success && parsed.data.formId ? parsed.data.formId : (context.activity.id ?? randomUUID());
    const actor = await deps.memory.actorOf(context);
    const result = await deps.service.ask(raw, actor, formId, lang);
    const t = advisorQuestionTexts(lang);
    if (result.kind === 'outsider') return { kind: 'refused', language: lang, text: t.refusals.onlyOwn };
    if (result.kind === 'invalid') {
      return {
        kind: 'form',
        language: lang,
        card: advisorQuestionFormCard(index(), lang, { values: result.values, problems: result.problems, formId, surface }).content as AdaptiveCard,
      };
    }
    // Delivery is usually a matter of milliseconds: wait briefly so the confirmation can tell the truth about it.
    const question = (await deps.service.afterDeliveryAttempt(result.question.id, CONFIRMATION_WAIT_MS)) ?? result.question;
    const target = question.route.target;
    const intro = [t.confirmation.title(question.id)];
    if (!question.delivered) intro.push(t.confirmation.awaitingDelivery(target.label));
    else intro.push(target.kind === 'channel' ? t.confirmation.sentToChannel(target.label) : t.confirmation.sentToPeople(target.label));
    intro.push(t.confirmation.next);
    const notice = result.duplicate ? t.confirmation.duplicate : '';
    return { kind: 'submitted', language: lang, card: questionCardFor(deps, question, actor, context, 'asker', lang, { intro, notice }), summary: intro.join(' ') };
  }

  return { formFor, submitForm };
}

/**
 * The Teams side of the questions to the advisors: the form the answer cards' button opens, its submission, the
 * routed card's actions, and "mine spørsmål".
 */
export function registerAdvisorQuestionHandlers(app: Application<TurnState>, deps: AdvisorQuestionTeamsDependencies, forms: AdvisorQuestionForms = advisorQuestionForms(deps)) {
  const cardFor = (question: AdvisorQuestion, actor: Actor, context: TurnContext, view: QuestionView, lang: ReplyLanguage, extra: { intro?: string[]; notice?: string } = {}) =>
    questionCardFor(deps, question, actor, context, view, lang, extra);

  app.adaptiveCards.actionExecute(ADVISOR_QUESTION_VERB.openForm, async (context, _state, data) => {
    const parsed = openFormData.safeParse(data);
    const lang = (parsed.success ? parsed.data.lang : undefined) ?? replyLanguage('', context.activity.locale);
    const card = await forms.formFor(context, lang, parsed.success ? { process: parsed.data.process, text: parsed.data.question } : {}, 'chat');
    await context.sendActivity({ type: ActivityTypes.Message, attachments: [card] });
    return advisorQuestionTexts(lang).form.intro;
  });

  app.adaptiveCards.actionExecute(ADVISOR_QUESTION_VERB.submit, async (context, _state, data) => {
    const outcome = await forms.submitForm(context, data, 'chat');
    return outcome.kind === 'refused' ? outcome.text : outcome.card;
  });

  app.adaptiveCards.actionExecute(ADVISOR_QUESTION_VERB.act, async (context, _state, data) => {
    const parsed = actData.safeParse(data);
    const lang = (parsed.success ? parsed.data.lang : undefined) ?? replyLanguage('', context.activity.locale);
    const t = advisorQuestionTexts(lang).refusals;
    if (!parsed.success) return t.notFound;
    const actor = await deps.memory.actorOf(context);
    const { id, action, basedOn, view, comment } = parsed.data;
    const result = await deps.service.act(id, action, actor, conversationOf(context), { comment: comment ?? null, basedOn, language: lang });
    switch (result.kind) {
      case 'not-found':
        return t.notFound;
      case 'outsider':
        return t.onlyOwn;
      case 'applied':
        return cardFor(result.question, actor, context, view, lang);
      case 'refused':
        return cardFor(result.question, actor, context, view, lang, { notice: t[result.reason] });
      case 'comment-required':
        return cardFor(result.question, actor, context, view, lang, { notice: t.answerRequired });
      case 'conflict': {
        const last = result.lastChange;
        // From an older copy of the card, the change in between may be the user's own.
        const notice = !last ? '' : last.by.id === actor.id ? t.ownEarlierChange(questionChangeVerb(last, lang)) : t.conflict(last.by.name, questionChangeVerb(last, lang));
        return cardFor(result.question, actor, context, view, lang, { notice });
      }
    }
  });

  app.adaptiveCards.actionExecute(ADVISOR_QUESTION_VERB.refresh, async (context, _state, data) => {
    const parsed = refreshData.safeParse(data);
    const lang = (parsed.success ? parsed.data.lang : undefined) ?? replyLanguage('', context.activity.locale);
    const t = advisorQuestionTexts(lang).refusals;
    if (!parsed.success) return t.notFound;
    const actor = await deps.memory.actorOf(context);
    const read = await deps.service.read(parsed.data.id, actor, conversationOf(context));
    if (read.kind === 'not-found') return t.notFound;
    if (read.kind === 'outsider') return t.onlyOwn;
    return cardFor(read.question, actor, context, parsed.data.view, lang);
  });

  /** Answers a chat message understood as a question command ("mine spørsmål"). */
  async function handleIntent(context: TurnContext, command: AdvisorQuestionCommand, lang: ReplyLanguage): Promise<void> {
    const t = advisorQuestionTexts(lang);
    const actor = await deps.memory.actorOf(context);
    switch (command.kind) {
      case 'mine': {
        const lines = (await deps.service.mine(actor.id)).map((question) => t.lists.line(question.id, shortened(question.text), t.states[question.state]));
        await context.sendActivity({ type: ActivityTypes.Message, attachments: [suggestionListCard(t.lists.mineTitle, t.lists.mineEmpty, lines)] });
      }
    }
  }

  return { handleIntent };
}

function shortened(text: string): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length <= LINE_LENGTH ? line : `${line.slice(0, LINE_LENGTH - 1)}…`;
}
