import type { StatusCardPublisher } from '../../announcements/announcementPorts';
import type { ConversationStore } from '../../conversations/conversationStore';
import type { Logger } from '../../logger';
import { announcementStatusCard, type CalendarUrl } from './announcementCards';
import { ActivityTypes } from 'botbuilder';
import type { BroadcastMessenger } from '../../broadcast/messenger';

export interface CoordinatorStatusCardDependencies {
  messenger: Pick<BroadcastMessenger, 'update'>;
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
  };
}
