import { beforeAll, describe, expect, it } from 'vitest';
import { installedChannels } from '../../src/announcements/installedChannels';
import { TableConversationStore, type KnownConversation } from '../../src/conversations/conversationStore';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';

const chat = (user: string): KnownConversation => ({
  conversationId: `a:${user}`,
  kind: 'personal',
  reference: { conversation: { id: `a:${user}` } },
  user: { id: user, name: user, email: `${user}@ntnu.example` },
  updatedAt: '2026-11-27T10:00:00Z',
});
describe('the channels an announcement can be posted in', () => {
  let conversations: TableConversationStore;

  beforeAll(async () => {
    conversations = await TableConversationStore.open(testConnectionString(), `${uniqueTablePrefix('aud')}conversations`);
    for (const user of ['kari', 'per']) await conversations.remember(chat(user));
    await conversations.remember({ conversationId: '19:kurs@thread.tacv2', kind: 'channel', reference: {}, user: null, name: 'Økonomi › Kurs', updatedAt: '2026-11-27T10:00:00Z' });
    await conversations.remember({ conversationId: '19:general@thread.tacv2', kind: 'channel', reference: {}, user: null, updatedAt: '2026-11-27T10:00:00Z' });
  });

  it('lists the channels by name (or id when Teams gave none) and finds only channels as channel recipients', async () => {
    const channels = installedChannels(conversations);
    expect(await channels.list()).toEqual([
      { conversationId: '19:general@thread.tacv2', label: '19:general@thread.tacv2' },
      { conversationId: '19:kurs@thread.tacv2', label: 'Økonomi › Kurs' },
    ]);
    expect(await channels.recipient('19:kurs@thread.tacv2')).toEqual({ conversationId: '19:kurs@thread.tacv2', reference: {}, label: 'Økonomi › Kurs' });
    expect(await channels.recipient('a:kari')).toBeNull();
    expect(await channels.recipient('19:unknown')).toBeNull();
  });
});
