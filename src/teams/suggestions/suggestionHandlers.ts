import { ActivityTypes, TurnContext, type Activity, type Attachment } from 'botbuilder';
import type { AdaptiveCard, Application, TurnState } from '@microsoft/teams-ai';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { DirectoryService } from '../../directory/directoryService';
import { localName, suggestionTexts, type ReplyLanguage } from '../../i18n';
import { replyLanguage } from '../../language/detectLanguage';
import type { UserProfileStore } from '../../profiles/userProfileStore';
import { ACTIONS } from '../../suggestions/lifecycle';
import type { Suggestion, SuggestionAction } from '../../suggestions/model';
import type { Actor } from '../../core/actor';
import type { ChannelRegistrationService, RegisterOutcome, UnregisterOutcome } from '../../suggestions/channelRegistrationService';
import type { SuggestionCommand } from '../../suggestions/suggestionCommands';
import type { ActResult, SuggestionService } from '../../suggestions/suggestionService';
import { cardActions, cardLanguage } from '../cardActions';
import type { ConversationMemory } from '../conversationMemory';
import { channelRootReference } from '../proactive';
import { exportReply, type SuggestionExportDependencies } from './exportReply';
import { SUGGESTION_VERB, changeVerb, suggestionCard, suggestionFormCard, suggestionListCard, suggestionPathCard, type FormSurface, type SuggestionView } from './suggestionCards';
import { draftValues, type DraftField } from '../../suggestions/validateDraft';
import type { DeadLetterListing } from '../../delivery/deadLetters';
import { osloDate } from '../../core/osloTime';

export interface SuggestionTeamsDependencies {
  service: SuggestionService;
  directory: DirectoryService;
  profiles: UserProfileStore;
  /** "vis kanaler", "registrer kanal", "fjern kanal": who may see, register and remove which channels (the Forvaltning tab lists them too). */
  registrations: Pick<ChannelRegistrationService, 'visibleTo' | 'register' | 'unregister'>;
  memory: ConversationMemory;
  exports: SuggestionExportDependencies;
  /** "vis uleverte meldinger": the outbox's dead letters (the same list as the Forvaltning tab). */
  deadLetters: Pick<DeadLetterListing<Actor>, 'visibleTo'>;
}

/** How long the confirmation waits for the first delivery attempt; Teams allows an invoke five seconds. */
const CONFIRMATION_WAIT_MS = 1500;

const openFormData = z.object({ process: z.string().optional(), lang: cardLanguage });
const submitData = z.object({ lang: cardLanguage, formId: z.string().min(1).max(100).optional(), confirmedNew: z.string().optional() }).passthrough();
/** The token proves the user was shown the suggestion as similar to their draft (see SupportTokens). */
const supportData = z
  .object({ id: z.string().max(40), token: z.string().max(200).optional(), lang: cardLanguage, formId: z.string().min(1).max(100).optional() })
  // The form's inputs come along, so the draft can be shown again as it was.
  .passthrough();
const actData = z.object({
  id: z.string().regex(/^FF-\d{4}-\d{4,6}$/),
  action: z.enum(ACTIONS as [SuggestionAction, ...SuggestionAction[]]),
  basedOn: z.string().optional(),
  view: z.enum(['handler', 'submitter']).default('handler'),
  lang: cardLanguage,
  comment: z.string().max(1000).optional(),
  /** The people picker's value: the chosen user's Entra object id. */
  assignee: z.string().max(200).optional(),
});
/** What a submitted form leads to: the form again, or the stored suggestion and its confirmation (`summary` in one line). */
export type SubmitOutcome =
  | { kind: 'form'; language: ReplyLanguage; card: AdaptiveCard }
  | { kind: 'refused'; language: ReplyLanguage; text: string }
  | { kind: 'submitted'; language: ReplyLanguage; summary: string; card: AdaptiveCard };

/** The suggestion form and its submission, for the chat and the message extension's dialog. */
export type SuggestionForms = ReturnType<typeof suggestionForms>;

const refreshData = z.object({ id: z.string(), view: z.enum(['handler', 'submitter']).default('handler'), lang: cardLanguage });

/** The form, its submission and "support this one instead", with the cards they answer with. */
export function suggestionForms(deps: SuggestionTeamsDependencies) {
  const index = () => deps.directory.index;

  /** The card for one viewer: handlers see the handling buttons, the submitter the withdrawal. */
  const cardFor = (suggestion: Suggestion, actor: Actor, context: TurnContext, view: SuggestionView, lang: ReplyLanguage, extra: { intro?: string[]; notice?: string } = {}) => {
    const actions = deps.service
      .actionsFor(suggestion, actor, { conversationId: context.activity.conversation?.id ?? null })
      .filter((action) => (view === 'submitter' ? action === 'withdraw' : action !== 'withdraw'));
    return suggestionCard(suggestion, index(), lang, { view, actions, ...extra }).content as AdaptiveCard;
  };

  /** An empty form, or one prefilled (the message extension's dialog), with the user's remembered unit. */
  async function formFor(context: TurnContext, lang: ReplyLanguage, process: string, prefill: Partial<Record<DraftField, string>> = {}, surface: FormSurface = 'chat') {
    const actor = await deps.memory.actorOf(context);
    const profile = await deps.profiles.get(actor.id);
    return suggestionFormCard(index(), lang, { values: { process, unit: profile?.unitCode ?? '', ...prefill }, formId: randomUUID(), surface });
  }

  /**
   * A submitted form, from chat or from the message extension's dialog: the
   * form again with its problems (or similar suggestions to support), or the
   * stored suggestion with the confirmation.
   */
  async function submitForm(context: TurnContext, data: unknown, surface: FormSurface): Promise<SubmitOutcome> {
    const parsed = submitData.safeParse(data);
    const lang = (parsed.success ? parsed.data.lang : undefined) ?? replyLanguage('', context.activity.locale);
    const raw = (parsed.success ? parsed.data : {}) as Record<string, unknown>;
    const formId = parsed.success && parsed.data.formId ? parsed.data.formId : (context.activity.id ?? randomUUID());
    const actor = await deps.memory.actorOf(context);
    const confirmedNew = parsed.success && parsed.data.confirmedNew === 'true';
    const result = await deps.service.submit(raw, actor, formId, lang, confirmedNew);
    if (result.kind === 'outsider') return { kind: 'refused', language: lang, text: suggestionTexts(lang).lists.onlyOwn };
    if (result.kind === 'invalid') {
      return {
        kind: 'form',
        language: lang,
        card: suggestionFormCard(index(), lang, { values: result.values, problems: result.problems, formId, surface }).content as AdaptiveCard,
      };
    }
    if (result.kind === 'similar') {
      return { kind: 'form', language: lang, card: suggestionFormCard(index(), lang, { values: result.values, formId, similar: result.similar, surface }).content as AdaptiveCard };
    }
    // Delivery is usually a matter of milliseconds: wait briefly so the confirmation can tell the truth about it.
    const suggestion = (await deps.service.afterDeliveryAttempt(result.suggestion.id, CONFIRMATION_WAIT_MS)) ?? result.suggestion;
    const t = suggestionTexts(lang).confirmation;
    const target = suggestion.route.target;
    const intro = [t.title(suggestion.id)];
    if (!suggestion.delivered) intro.push(t.awaitingDelivery(target.label), fallbackFor(suggestion, lang));
    else intro.push(target.kind === 'channel' ? t.sentToChannel(target.label) : t.sentToPeople(target.label));
    const summary = intro.join(' ');
    intro.push(t.next);
    const notice = result.duplicate ? t.duplicate : '';
    return { kind: 'submitted', language: lang, summary, card: cardFor(suggestion, actor, context, 'submitter', lang, { intro, notice }) };
  }

  /** How to reach the recipients another way while the card waits for them. */
  function fallbackFor(suggestion: Suggestion, lang: ReplyLanguage): string {
    const t = suggestionTexts(lang).confirmation;
    const model = index().process(suggestion.process)?.advisorModel;
    if (model === 'central') return t.emailFallback;
    if (model === 'service-centre') return t.serviceCentreFallback;
    const target = suggestion.route.target;
    return t.advisorFallback(target.kind === 'people' ? target.people.map((person) => person.email).join(', ') : target.label);
  }

  /**
   * "Støtt dette forslaget" on a form that found similar suggestions: the form again with the draft as it was and what
   * happened above it (the user may still send their own), or why not.
   */
  async function supportFromForm(context: TurnContext, data: unknown, surface: FormSurface): Promise<{ language: ReplyLanguage; text: string; card: AdaptiveCard | null }> {
    const parsed = supportData.safeParse(data);
    const lang = (parsed.success ? parsed.data.lang : undefined) ?? replyLanguage('', context.activity.locale);
    const t = suggestionTexts(lang);
    if (!parsed.success) return { language: lang, text: t.refusals.notFound, card: null };
    const actor = await deps.memory.actorOf(context);
    const result = await deps.service.support(parsed.data.id, actor, parsed.data.token ?? null);
    if (result.kind === 'not-offered') return { language: lang, text: t.refusals.notOffered, card: null };
    if (result.kind === 'not-found') return { language: lang, text: t.refusals.notFound, card: null };
    const text = t.support[result.kind](result.suggestion.id);
    const draft = parsed.data as Record<string, unknown>;
    const similar = await deps.service.similarTo(draft, actor);
    const formId = parsed.data.formId ?? context.activity.id ?? randomUUID();
    const form = suggestionFormCard(index(), lang, { values: draftValues(draft), formId, similar, surface, notice: text });
    return { language: lang, text, card: form.content as AdaptiveCard };
  }

  return { cardFor, formFor, submitForm, supportFromForm };
}

/**
 * The Teams side of improvement suggestions: chat commands, the form and the
 * card actions. Returns the chat-command handler for the message route.
 */
export function registerSuggestionHandlers(app: Application<TurnState>, deps: SuggestionTeamsDependencies, forms: SuggestionForms = suggestionForms(deps)) {
  const index = () => deps.directory.index;
  const { cardFor, formFor, submitForm, supportFromForm } = forms;

  const onCardAction = cardActions(app, deps.memory);

  /** Sends the form as a message of its own; the clicked card says so. */
  const openForm = async (context: TurnContext, lang: ReplyLanguage, process: string) => {
    await context.sendActivity({ type: ActivityTypes.Message, attachments: [await formFor(context, lang, process)] });
    return suggestionTexts(lang).form.intro;
  };
  onCardAction(SUGGESTION_VERB.openForm, {
    data: openFormData,
    // The form opens whatever the card carried; a process it cannot tell is left for the user to choose.
    invalid: (lang, context) => openForm(context, lang, ''),
    handle: ({ context, data, language: lang }) => openForm(context, lang, data.process && index().process(data.process) ? data.process : ''),
  });

  app.adaptiveCards.actionExecute(SUGGESTION_VERB.submit, async (context, _state, data) => {
    const outcome = await submitForm(context, data, 'chat');
    return outcome.kind === 'refused' ? outcome.text : outcome.card;
  });

  app.adaptiveCards.actionExecute(SUGGESTION_VERB.support, async (context, _state, data) => {
    const outcome = await supportFromForm(context, data, 'chat');
    return outcome.card ?? outcome.text;
  });

  onCardAction(SUGGESTION_VERB.act, {
    data: actData,
    invalid: (lang) => suggestionTexts(lang).refusals.notFound,
    handle: async ({ context, data, language: lang, actor: actorOf }) => {
      const t = suggestionTexts(lang).refusals;
      const actor = await actorOf();
      const { id, action, basedOn, view, comment } = data;
      const assignee = action === 'assign' && data.assignee ? await deps.memory.memberOf(context, data.assignee) : null;
      const result: ActResult = await deps.service.act(
        id,
        action,
        actor,
        { conversationId: context.activity.conversation?.id ?? null },
        {
          comment: comment ?? null,
          basedOn,
          assignee,
        },
      );
      switch (result.kind) {
        case 'not-found':
          return t.notFound;
        case 'outsider':
          return suggestionTexts(lang).lists.onlyOwn;
        case 'applied':
          return cardFor(result.suggestion, actor, context, view, lang);
        case 'refused':
          return cardFor(result.suggestion, actor, context, view, lang, { notice: t[result.reason] });
        case 'comment-required':
          return cardFor(result.suggestion, actor, context, view, lang, { notice: t.commentRequired });
        case 'assignee-required':
          return cardFor(result.suggestion, actor, context, view, lang, { notice: t.assigneeRequired });
        case 'conflict': {
          const last = result.lastChange;
          // From an older copy of the card, the change in between may be the user's own (withdrawn twice, say).
          const notice = !last ? '' : last.by.id === actor.id ? t.ownEarlierChange(changeVerb(last, lang)) : t.conflict(last.by.name, changeVerb(last, lang));
          return cardFor(result.suggestion, actor, context, view, lang, { notice });
        }
      }
    },
  });

  onCardAction(SUGGESTION_VERB.refresh, {
    data: refreshData,
    invalid: (lang) => suggestionTexts(lang).refusals.notFound,
    handle: async ({ context, data, language: lang, actor: actorOf }) => {
      const actor = await actorOf();
      const read = await deps.service.read(data.id, actor, { conversationId: context.activity.conversation?.id ?? null });
      if (read.kind === 'not-found') return suggestionTexts(lang).refusals.notFound;
      if (read.kind === 'outsider') return suggestionTexts(lang).lists.onlyOwn;
      return cardFor(read.suggestion, actor, context, data.view, lang);
    },
  });

  /** Answers a chat message understood as a suggestion command. */
  async function handleIntent(context: TurnContext, command: SuggestionCommand, lang: ReplyLanguage): Promise<void> {
    const reply = await replyTo(command, context, lang);
    await context.sendActivity({ type: ActivityTypes.Message, ...reply });
  }

  async function replyTo(command: SuggestionCommand, context: TurnContext, lang: ReplyLanguage): Promise<Partial<Activity>> {
    const t = suggestionTexts(lang);
    const actor = await deps.memory.actorOf(context);
    const conversationId = context.activity.conversation?.id ?? null;
    const inChannel = context.activity.conversation?.conversationType === 'channel';
    const line = (suggestion: Suggestion) => t.lists.line(suggestion.id, suggestion.title, t.states[suggestion.state]);
    switch (command.kind) {
      case 'new':
        return { attachments: [await formFor(context, lang, command.process ?? '')] };
      case 'how-it-travels':
        return { attachments: [suggestionPathCard(index().directory.processes, command.process, lang)] };
      case 'mine': {
        const mine = await deps.service.mine(actor.id);
        return { attachments: [suggestionListCard(t.lists.mineTitle, t.lists.mineEmpty, mine.map(line))] };
      }
      case 'status': {
        const read = await deps.service.read(command.id, actor, { conversationId });
        if (read.kind === 'not-found') return { text: t.lists.statusNotFound(command.id) };
        if (read.kind === 'outsider') return { text: t.lists.onlyOwn };
        return { attachments: [cardFor(read.suggestion, actor, context, read.standing.handler ? 'handler' : 'submitter', lang)].map(asAttachment) };
      }
      case 'open-in-channel': {
        const open = conversationId ? await deps.service.openInConversation(conversationId) : [];
        return { attachments: [suggestionListCard(t.lists.openTitle, t.lists.openEmpty, open.map(line))] };
      }
      case 'awaiting-delivery': {
        const waiting = await deps.service.awaitingDelivery(actor);
        if (waiting.kind === 'refused') return { text: t.lists.awaitingRefused };
        return {
          attachments: [
            suggestionListCard(
              t.lists.awaitingTitle,
              t.lists.awaitingEmpty,
              waiting.suggestions.map((s) => `${line(s)} → ${s.route.target.label}`),
            ),
          ],
        };
      }
      case 'undelivered-messages': {
        const listing = await deps.deadLetters.visibleTo(actor);
        if (listing.kind === 'refused') return { text: t.lists.undeliveredRefused };
        const lines = listing.letters.map((letter) => t.lists.undeliveredLine(letter.id, letter.reason, osloDate(letter.createdAt)));
        return { attachments: [suggestionListCard(t.lists.undeliveredTitle, t.lists.undeliveredEmpty, lines)] };
      }
      case 'export':
        return exportReply(command, actor, lang, deps);
      case 'list-registrations': {
        const listing = await deps.registrations.visibleTo(actor);
        if (listing.kind === 'refused') return { text: t.registration.listRefused };
        const lines = listing.registrations.map((r) => t.registration.listLine(processName(r.process, lang), r.unit, r.channelName ?? r.conversationId));
        return { attachments: [suggestionListCard(t.registration.listTitle, t.registration.listEmpty, lines)] };
      }
      case 'register-channel': {
        const channelData = context.activity.channelData as { channel?: { name?: string }; team?: { name?: string } } | undefined;
        const channel =
          inChannel && conversationId
            ? {
                conversationId,
                reference: channelRootReference(TurnContext.getConversationReference(context.activity)),
                name: [channelData?.team?.name, channelData?.channel?.name].filter(Boolean).join(' › ') || null,
              }
            : null;
        return { text: registrationText(await deps.registrations.register(actor, { process: command.process, unit: command.unit }, channel), lang) };
      }
      case 'unregister-channel':
        return { text: removalText(await deps.registrations.unregister(actor, { process: command.process, unit: command.unit }), lang) };
    }
  }

  function processName(code: string, lang: ReplyLanguage): string {
    const process = index().process(code);
    return process ? localName(process, lang) : code;
  }

  return { handleIntent };
}

function registrationText(result: RegisterOutcome, lang: ReplyLanguage): string {
  const t = suggestionTexts(lang).registration;
  switch (result.kind) {
    case 'invalid':
      return t.needsProcess;
    case 'refused':
      return result.code === 'not-allowed' ? t.refused : t.onlyInChannel;
    case 'registered':
      return result.forProcessManagers ? t.registeredForProcessManagers(localName(result.process, lang)) : t.registered(localName(result.process, lang), result.unit);
  }
}

function removalText(result: UnregisterOutcome, lang: ReplyLanguage): string {
  const t = suggestionTexts(lang).registration;
  switch (result.kind) {
    case 'invalid':
      return t.needsProcess;
    case 'refused':
      return t.refused;
    case 'unregistered': {
      const name = localName(result.process, lang);
      return result.removed ? t.removed(name, result.unit) : t.notRegistered(name, result.unit);
    }
  }
}

function asAttachment(card: AdaptiveCard): Attachment {
  return { contentType: 'application/vnd.microsoft.card.adaptive', content: card };
}
