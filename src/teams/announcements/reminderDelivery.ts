import { ActivityTypes } from 'botbuilder';
import { EVENT_REMINDER_MESSAGE, type ReminderPayload, type ReminderService } from '../../announcements/reminders';
import { DeliveryError, type BroadcastMessenger } from '../../broadcast/messenger';
import type { ConversationStore } from '../../conversations/conversationStore';
import type { DeliveryHandler, DeliveryOutcome } from '../../delivery/outboxWorker';
import { eventTexts } from '../../i18n';
import { osloMoment } from './announcementCards';
import { eventListCard } from './eventCards';

export interface ReminderDeliveryDependencies {
  reminders: ReminderService;
  conversations: Pick<ConversationStore, 'personalChatOf'>;
  /** The broadcast engine's way of posting to Teams: its errors say whether to retry. */
  messenger: Pick<BroadcastMessenger, 'send'>;
  calendarUrl(id: string): string;
}

/** Delivers event reminders from the outbox to the user's personal chat, if the event still is as it was when they were scheduled. */
export function reminderDeliveryHandlers(deps: ReminderDeliveryDependencies): Record<string, DeliveryHandler> {
  const remind: DeliveryHandler = async (message) => {
    const check = await deps.reminders.check(message.payload as ReminderPayload);
    // Cancelled, moved (a new reminder is on its way) or already begun: nothing to say, and nothing to retry.
    if (check.kind === 'skip') return { kind: 'delivered', result: `not sent: ${check.reason}` };
    const { reminder, announcement } = check;
    const chat = await deps.conversations.personalChatOf({ id: reminder.userId });
    // Clicked in a channel by someone who never opened the personal chat: it may still open before the event.
    if (!chat) return { kind: 'retry', error: `no personal chat with ${reminder.userId}` };
    const t = eventTexts(reminder.language);
    const title = t.reminders.delivered[reminder.choice](announcement.title, osloMoment(announcement.startsAt, reminder.language));
    const card = eventListCard([announcement], reminder.language, { title, empty: '', hidden: 0, remind: false, calendarUrl: deps.calendarUrl });
    try {
      return { kind: 'delivered', result: await deps.messenger.send(chat.reference, { type: ActivityTypes.Message, text: title, attachments: [card] }) };
    } catch (error) {
      return outcomeOf(error);
    }
  };
  return { [EVENT_REMINDER_MESSAGE]: remind };
}

/** The messenger's verdict in the outbox's terms: a refusal for good fails, the rest waits and tries again. */
function outcomeOf(error: unknown): DeliveryOutcome {
  if (!(error instanceof DeliveryError)) return { kind: 'retry', error: error instanceof Error ? error.message : String(error) };
  switch (error.kind) {
    case 'unreachable':
    case 'rejected':
      return { kind: 'failed', error: error.message };
    case 'throttled':
    case 'transient':
      return { kind: 'retry', error: error.message, ...(error.retryAfterMs !== null ? { retryAfterMs: error.retryAfterMs } : {}) };
  }
}
