import type { ConversationStore, KnownConversation } from '../conversations/conversationStore';
import type { ChannelDirectory, Recipient } from './announcementPorts';

/** The channels where the bot has been installed or mentioned, by their names. */
export function installedChannels(conversations: Pick<ConversationStore, 'list' | 'get'>): ChannelDirectory {
  return {
    list: async () =>
      (await conversations.list('channel'))
        .map((channel) => ({ conversationId: channel.conversationId, label: channel.name ?? channel.conversationId }))
        .sort((a, b) => a.label.localeCompare(b.label, 'nb')),
    recipient: async (conversationId) => {
      const channel = await conversations.get(conversationId);
      return channel?.kind === 'channel' ? recipientOf(channel) : null;
    },
  };
}

function recipientOf(conversation: KnownConversation): Recipient {
  return { conversationId: conversation.conversationId, reference: conversation.reference, label: conversation.name ?? conversation.conversationId };
}
