import { describe, expect, it } from 'vitest';
import { TableConversationStore } from '../../src/conversations/conversationStore';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';

describe('TableConversationStore', () => {
  it('finds a personal chat by user id and by e-mail, whatever its case, and a channel by id', async () => {
    const store = await TableConversationStore.open(testConnectionString(), uniqueTablePrefix('conv'));
    const reference = { conversation: { id: 'a:1' }, serviceUrl: 'http://127.0.0.1:1/' };
    await store.remember({
      conversationId: 'a:1',
      kind: 'personal',
      reference,
      user: { id: 'aad-1', name: 'Kari', email: 'Kari.Ansatt@ntnu.example' },
      updatedAt: '2026-11-27T10:00:00Z',
    });
    await store.remember({
      conversationId: '19:c@thread.tacv2',
      kind: 'channel',
      reference: { conversation: { id: '19:c@thread.tacv2' } },
      user: null,
      updatedAt: '2026-11-27T10:00:00Z',
    });

    expect((await store.personalChatOf({ id: 'aad-1' }))?.conversationId).toBe('a:1');
    expect((await store.personalChatOf({ email: 'kari.ansatt@NTNU.example' }))?.reference).toEqual(reference);
    expect(await store.personalChatOf({ email: 'nobody@ntnu.example' })).toBeNull();
    expect((await store.get('19:c@thread.tacv2'))?.kind).toBe('channel');
    expect(await store.get('19:unknown')).toBeNull();
  });
});
