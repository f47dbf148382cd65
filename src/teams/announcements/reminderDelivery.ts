import { createHash } from 'node:crypto';
import { ActivityTypes } from 'botbuilder';
import { EVENT_REMINDER_MESSAGE, type ReminderMessagePayloads, type ReminderPayload, type ReminderService } from '../../announcements/reminders';
import type { BroadcastEngine } from '../../broadcast/broadcastEngine';
import type { ConversationStore } from '../../conversations/conversationStore';
import type { OutboxJob, OutboxJobs } from '../../delivery/outboxJobs';
import { eventTexts } from '../../i18n';
import { osloMoment } from './announcementCards';
import { eventListCard } from './eventCards';

export interface ReminderDeliveryDependencies {
  reminders: ReminderService;
  conversations: Pick<ConversationStore, 'personalChatOf'>;
  /** The broadcast engine: a reminder goes out within the app's rate limit, with its retries, like announcements. */
  engine: Pick<BroadcastEngine, 'create'>;
  calendarUrl: (id: string) => string;
}

/**
 * Hands due event reminders from the outbox to the broadcast engine, for the
 * user's personal chat, if the event still is as it was when they were
 * scheduled. One broadcast per reminder and due time, so a reminder handed
 * over twice (the outbox retrying after a crash) goes out once.
 */
export function reminderDeliveryJobs(deps: ReminderDeliveryDependencies): OutboxJobs<ReminderMessagePayloads> {
  const remind: OutboxJob<ReminderPayload>['deliver'] = async (message) => {
    const payload = message.payload;
    const check = await deps.reminders.check(payload);
    // Cancelled, moved (a new reminder is on its way) or already begun: nothing to say, and nothing to retry.
    if (check.kind === 'skip') return { kind: 'delivered', result: `not sent: ${check.reason}` };
    const { reminder, announcement } = check;
    const chat = await deps.conversations.personalChatOf({ id: reminder.userId });
    // Clicked in a channel by someone who never opened the personal chat: it may still open before the event.
    if (!chat) return { kind: 'retry', error: `no personal chat with ${reminder.userId}` };
    const t = eventTexts(reminder.language);
    const title = t.reminders.delivered[reminder.choice](announcement.title, osloMoment(announcement.startsAt, reminder.language));
    const card = eventListCard([announcement], reminder.language, { title, empty: '', hidden: 0, remind: false, calendarUrl: deps.calendarUrl });
    const broadcast = await deps.engine.create({
      id: reminderBroadcastId(payload),
      kind: 'send',
      activity: { type: ActivityTypes.Message, text: title, attachments: [card] },
      recipients: [{ conversationId: chat.conversationId, reference: chat.reference, label: chat.user?.email ?? chat.user?.name ?? reminder.userId }],
    });
    return { kind: 'delivered', result: broadcast.id };
  };
  return { [EVENT_REMINDER_MESSAGE]: { deliver: remind } };
}

/** Short and key-safe, whatever the user id looks like. */
function reminderBroadcastId(payload: ReminderPayload): string {
  const key = createHash('sha256')
    .update(JSON.stringify([payload.announcementId, payload.userId, payload.choice, payload.dueAt]))
    .digest('base64url')
    .slice(0, 22);
  return `reminder.${payload.announcementId}.${key}`;
}
