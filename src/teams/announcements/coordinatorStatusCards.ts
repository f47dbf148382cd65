import type { StatusCardPublisher } from '../../announcements/announcementPorts';
import type { ConversationStore } from '../../conversations/conversationStore';
import type { Logger } from '../../logger';
import { announcementStatusCard, type CalendarUrl } from './announcementCards';
import type { ProactiveMessenger } from './proactiveMessenger';

export interface CoordinatorStatusCardDependencies {
  messenger: ProactiveMessenger;
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
      await deps.messenger.replace(conversation.reference, card.activityId, announcementStatusCard(card.language, status, deps.calendarUrl));
    },
  };
}
