import { ActivityTypes, type Attachment, type TurnContext } from 'botbuilder';
import type { AdaptiveCard, Application, TurnState } from '@microsoft/teams-ai';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AnnouncementCommand } from '../../announcements/announcementCommands';
import type { AnnouncementStatus } from '../../announcements/announcementPorts';
import type { AnnouncementActor, AnnouncementService, ConfirmOutcome, CoordinatorCard, Refusal } from '../../announcements/announcementService';
import { ANNOUNCEMENT_ID } from '../../announcements/announcementStore';
import type { AnnouncementFormValues, RawAnnouncementForm } from '../../announcements/validateAnnouncement';
import type { DirectoryService } from '../../directory/directoryService';
import { announcementTexts, type ReplyLanguage } from '../../i18n';
import { cardActions, cardLanguage } from '../cardActions';
import type { ConversationMemory } from '../conversationMemory';
import {
  ANNOUNCEMENT_VERB,
  announcementFormCard,
  announcementPreviewCard,
  announcementStatusCard,
  cancelConfirmationCard,
  osloMoment,
  undeliveredCard,
  type CalendarUrl,
} from './announcementCards';

export interface AnnouncementTeamsDependencies {
  service: AnnouncementService;
  directory: DirectoryService;
  memory: ConversationMemory;
  calendarUrl: CalendarUrl;
  /** A signed, short-lived download link to the CSV of an announcement's undelivered recipients. */
  undeliveredLink(coordinator: AnnouncementActor, announcementId: string, language: ReplyLanguage): { url: string; expiresAt: Date };
}

const announcementId = z.string().regex(ANNOUNCEMENT_ID);
/** The form's own inputs come along beside these (Action.Execute merges them into the data). */
const previewData = z.object({ lang: cardLanguage, formId: z.string().min(1).max(100), id: z.union([z.literal(''), announcementId]).default('') }).passthrough();
const formValues = z.record(z.string(), z.string());
const editData = z.object({ lang: cardLanguage, id: z.union([z.literal(''), announcementId]).default(''), values: formValues.optional() });
const confirmData = z.object({ lang: cardLanguage, id: announcementId, basedOn: z.string().min(1), values: formValues });
const idData = z.object({ lang: cardLanguage, id: announcementId });

type Reply = { text: string } | { card: Attachment };

/**
 * The Teams side of announcements: the chat commands and the card actions of
 * the coordinator's form, preview, status card and cancellation. Returns the
 * chat-command handler for the message route.
 */
export function registerAnnouncementHandlers(app: Application<TurnState>, deps: AnnouncementTeamsDependencies) {
  const index = () => deps.directory.index;
  const onCardAction = cardActions(app, deps.memory);
  const cardError = (lang: ReplyLanguage) => announcementTexts(lang).refusals.cardError;

  onCardAction(ANNOUNCEMENT_VERB.preview, {
    data: previewData,
    invalid: cardError,
    handle: async ({ data, language: lang, actor }) => {
      const { formId, id } = data;
      const result = await deps.service.preview(data as RawAnnouncementForm, await actor(), { formId, id: id || null });
      switch (result.kind) {
        case 'invalid':
          return cardContent(announcementFormCard(index(), lang, result.form, formId));
        case 'preview':
          return cardContent(announcementPreviewCard(index(), lang, result.preview, deps.calendarUrl));
        default:
          return refusalText(result, lang);
      }
    },
  });

  onCardAction(ANNOUNCEMENT_VERB.edit, {
    data: editData,
    invalid: cardError,
    handle: async ({ data, language: lang, actor }) => answer(await formReply(await actor(), lang, data.id || null, data.values as AnnouncementFormValues | undefined)),
  });

  onCardAction(ANNOUNCEMENT_VERB.confirm, {
    data: confirmData,
    invalid: cardError,
    handle: async ({ context, data, language: lang, actor }) => {
      const { id, basedOn, values } = data;
      const result = await deps.service.confirm(id, values, await actor(), basedOn, coordinatorCardOf(context, lang));
      const t = announcementTexts(lang).notices;
      switch (result.kind) {
        case 'confirmed':
          return statusContent(lang, result.status, { text: confirmationNotice(result.outcome, result.status, lang), tone: 'Good' });
        case 'conflict':
          return statusContent(lang, result.status, { text: t.conflict, tone: 'Attention' });
        case 'invalid':
          return cardContent(announcementFormCard(index(), lang, result.form, randomUUID()));
        default:
          return refusalText(result, lang);
      }
    },
  });

  onCardAction(ANNOUNCEMENT_VERB.askCancel, {
    data: idData,
    invalid: cardError,
    handle: async ({ data, language: lang, actor }) => answer(await cancelQuestion(await actor(), lang, data.id)),
  });

  onCardAction(ANNOUNCEMENT_VERB.cancel, {
    data: idData,
    invalid: cardError,
    handle: async ({ context, data, language: lang, actor }) => {
      const result = await deps.service.cancel(data.id, await actor(), coordinatorCardOf(context, lang));
      const t = announcementTexts(lang).notices;
      switch (result.kind) {
        case 'cancelled':
          return statusContent(lang, result.status, { text: t.cancelled, tone: 'Good' });
        case 'already-cancelled':
          return statusContent(lang, result.status, { text: t.alreadyCancelled, tone: 'Attention' });
        default:
          return refusalText(result, lang);
      }
    },
  });

  onCardAction(ANNOUNCEMENT_VERB.status, {
    data: idData,
    invalid: cardError,
    handle: async ({ data, language: lang, actor }) => {
      const result = await deps.service.status(await actor(), data.id);
      return result.kind === 'status' ? statusContent(lang, result.status) : refusalText(result, lang);
    },
  });

  onCardAction(ANNOUNCEMENT_VERB.undelivered, {
    data: idData,
    invalid: cardError,
    handle: async ({ context, data, language: lang, actor: actorOf }) => {
      const actor = await actorOf();
      const reply = await undeliveredReply(actor, lang, data.id);
      if ('text' in reply) return reply.text;
      // The list comes as a message of its own; the status card stays as it is, up to date.
      await context.sendActivity({ type: ActivityTypes.Message, attachments: [reply.card] });
      const result = await deps.service.status(actor, data.id);
      return result.kind === 'status' ? statusContent(lang, result.status) : refusalText(result, lang);
    },
  });

  async function undeliveredReply(actor: AnnouncementActor, lang: ReplyLanguage, id: string): Promise<Reply> {
    const result = await deps.service.undelivered(actor, id);
    if (result.kind !== 'undelivered') return { text: refusalText(result, lang) };
    const link = result.recipients.length > 0 ? deps.undeliveredLink(actor, id, lang) : null;
    const download = link ? { url: link.url, minutes: Math.round((link.expiresAt.getTime() - Date.now()) / 60_000) } : null;
    return { card: undeliveredCard(lang, result.announcement, result.recipients, download) };
  }

  async function formReply(actor: AnnouncementActor, lang: ReplyLanguage, id: string | null, values?: AnnouncementFormValues): Promise<Reply> {
    const result = await deps.service.openForm(actor, id, values);
    if (result.kind !== 'form') return { text: refusalText(result, lang) };
    return { card: announcementFormCard(index(), lang, result.form, randomUUID()) };
  }

  async function cancelQuestion(actor: AnnouncementActor, lang: ReplyLanguage, id: string): Promise<Reply> {
    const result = await deps.service.status(actor, id);
    if (result.kind !== 'status') return { text: refusalText(result, lang) };
    const { announcement } = result.status;
    if (announcement.state === 'cancelled') {
      return { card: announcementStatusCard(lang, result.status, deps.calendarUrl, { text: announcementTexts(lang).notices.alreadyCancelled, tone: 'Attention' }) };
    }
    return { card: cancelConfirmationCard(lang, announcement) };
  }

  function statusContent(lang: ReplyLanguage, status: AnnouncementStatus, notice: { text: string; tone: 'Good' | 'Attention' } | null = null): AdaptiveCard {
    return cardContent(announcementStatusCard(lang, status, deps.calendarUrl, notice));
  }

  /** Answers a chat message understood as an announcement command. */
  async function handleIntent(context: TurnContext, command: AnnouncementCommand, lang: ReplyLanguage): Promise<void> {
    const reply = await replyTo(command, await deps.memory.actorOf(context), lang);
    await context.sendActivity({ type: ActivityTypes.Message, ...('card' in reply ? { attachments: [reply.card] } : { text: reply.text }) });
  }

  async function replyTo(command: AnnouncementCommand, actor: AnnouncementActor, lang: ReplyLanguage): Promise<Reply> {
    const t = announcementTexts(lang).refusals;
    switch (command.kind) {
      case 'new':
        return formReply(actor, lang, null);
      case 'amend':
        return command.id ? formReply(actor, lang, command.id) : { text: deps.service.isCoordinator(actor) ? t.needsId : t.notCoordinator };
      case 'cancel':
        return command.id ? cancelQuestion(actor, lang, command.id) : { text: deps.service.isCoordinator(actor) ? t.needsId : t.notCoordinator };
      case 'status': {
        const result = await deps.service.status(actor, command.id);
        return result.kind === 'status' ? { card: announcementStatusCard(lang, result.status, deps.calendarUrl) } : { text: refusalText(result, lang) };
      }
      case 'undelivered':
        return undeliveredReply(actor, lang, command.id);
    }
  }

  return { handleIntent };
}

/** Where the card that was clicked sits: the status card replaces it, and delivery progress updates it there. */
function coordinatorCardOf(context: TurnContext, language: ReplyLanguage): CoordinatorCard | null {
  const conversationId = context.activity.conversation?.id;
  const activityId = context.activity.replyToId;
  return conversationId && activityId ? { conversationId, activityId, language } : null;
}

function confirmationNotice(outcome: ConfirmOutcome, status: AnnouncementStatus, lang: ReplyLanguage): string {
  const t = announcementTexts(lang).notices;
  switch (outcome) {
    case 'sending':
      return t.sending;
    case 'scheduled':
      return t.scheduled(status.announcement.sendAt ? osloMoment(status.announcement.sendAt, lang) : '');
    case 'amended':
      return t.amended;
    case 'unchanged':
      return t.unchanged;
  }
}

function refusalText(refusal: Refusal, lang: ReplyLanguage): string {
  const t = announcementTexts(lang).refusals;
  switch (refusal.kind) {
    case 'refused':
      return t.notCoordinator;
    case 'not-found':
      return t.notFound(refusal.id);
    case 'closed':
      return t.closed(refusal.id);
  }
}

/** An invoke answers with the card that replaces the clicked one, or a message. */
function answer(reply: Reply): AdaptiveCard | string {
  return 'card' in reply ? cardContent(reply.card) : reply.text;
}

function cardContent(attachment: Attachment): AdaptiveCard {
  return attachment.content as AdaptiveCard;
}
