import type { StatusCardPublisher } from '../../announcements/announcementPorts';
import type { ConversationStore } from '../../conversations/conversationStore';
import type { Logger } from '../../logger';
import { announcementStatusCard, type CalendarUrl } from './announcementCards';
import { ActivityTypes } from 'botbuilder';
import type { BroadcastMessenger } from '../../broadcast/messenger';
import { announcementTexts } from '../../i18n';

export interface CoordinatorStatusCardDependencies {
  messenger: Pick<BroadcastMessenger, 'update' | 'send'>;
  conversations: Pick<ConversationStore, 'get'>;
  calendarUrl: CalendarUrl;
  logger: Logger;
}

/** Replaces the coordinator's status card in place, in the language it was shown in. */
export function coordinatorStatusCards(deps: CoordinatorStatusCardDependencies): StatusCardPublisher {
  return {
    async show(status) {
      const card = status.announcement.coordinatorCard;
      if (!card) return;
      const conversation = await deps.conversations.get(card.conversationId);
      if (!conversation) {
        deps.logger.warn({ announcementId: status.announcement.id }, 'the conversation of the coordinator’s card is not known; its status is not shown');
        return;
      }
      const attachment = announcementStatusCard(card.language, status, deps.calendarUrl);
      await deps.messenger.update(conversation.reference, card.activityId, { type: ActivityTypes.Message, attachments: [attachment] });
    },

    async lostRecipients(announcement, what) {
      const card = announcement.coordinatorCard;
      const conversation = card ? await deps.conversations.get(card.conversationId) : null;
      if (!card || !conversation) {
        deps.logger.error({ announcementId: announcement.id, ...what }, 'a delivery lost its recipients, and the coordinator’s chat is not known to tell them');
        return;
      }
      const t = announcementTexts(card.language).lostRecipients;
      const text = what.restored > 0 ? t.restarted(announcement.id, announcement.title, what.restored, what.hadStarted) : t.ended(announcement.id, announcement.title);
      await deps.messenger.send(conversation.reference, { type: ActivityTypes.Message, text });
    },
  };
}
