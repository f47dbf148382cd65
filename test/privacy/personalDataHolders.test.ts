/**
 * Every store's personal-data holder, against Azurite: find returns the
 * user's records and only theirs, delete removes them (or the person from a
 * record that is not theirs), and a second delete finds nothing.
 */
import { describe, expect, it } from 'vitest';
import { TableReminderStore } from '../../src/announcements/remindersStore';
import { TableSubscriptionStore } from '../../src/announcements/subscriptionStore';
import { TableBroadcastStore } from '../../src/broadcast/broadcastStore';
import type { ConversationReferenceJson } from '../../src/broadcast/model';
import { TableChannelRegistrationStore } from '../../src/conversations/channelRegistrations';
import { TableConversationStore } from '../../src/conversations/conversationStore';
import { TableOutboxStore } from '../../src/delivery/outbox';
import { namesUser, type DataSubject } from '../../src/privacy/personalDataHolder';
import { TableUserProfileStore } from '../../src/profiles/userProfileStore';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';

const kari: DataSubject = { id: 'aad-kari', email: 'Kari.Ansatt@ntnu.example' };
const kariTeamsUser = { id: '29:kari', aadObjectId: kari.id, name: 'Kari Ansatt' };
const olaTeamsUser = { id: '29:ola', aadObjectId: 'aad-ola', name: 'Ola Kollega' };
const now = new Date('2026-03-02T08:00:00.000Z');

function personalReference(conversationId: string, user: Record<string, unknown>): ConversationReferenceJson {
  return {
    channelId: 'msteams',
    serviceUrl: 'https://smba.example/emea/',
    conversation: { id: conversationId, conversationType: 'personal', tenantId: 't' },
    bot: { id: '28:bot' },
    user,
  };
}
function channelReference(conversationId: string, user: Record<string, unknown>): ConversationReferenceJson {
  return {
    channelId: 'msteams',
    serviceUrl: 'https://smba.example/emea/',
    conversation: { id: conversationId, conversationType: 'channel', tenantId: 't' },
    bot: { id: '28:bot' },
    user,
  };
}
const table = (label: string) => `${uniqueTablePrefix(label)}t`;

describe('naming a user in stored text', () => {
  it('finds the id and the e-mail (any case) as whole tokens only', () => {
    expect(namesUser('event-reminder|KU-2026-0001|aad-kari|day-before|2026', kari)).toBe(true);
    expect(namesUser('{"coordinator":"kari.ansatt@ntnu.example"}', kari)).toBe(true);
    expect(namesUser('event-reminder|KU-2026-0001|aad-karin|day-before', kari)).toBe(false);
    expect(namesUser('{"coordinator":"okari.ansatt@ntnu.example"}', kari)).toBe(false);
    expect(namesUser('nothing here', { id: 'aad-kari', email: null })).toBe(false);
  });
});

describe('personal data holders in Table Storage', () => {
  it("profiles: the user's profile", async () => {
    const store = await TableUserProfileStore.open(testConnectionString(), table('pdp'));
    await store.setUnit(kari.id, 'IDI');
    await store.setUnit('aad-ola', 'IE');
    const holder = store.personalData();
    expect(holder.tables).toEqual([expect.stringMatching(/t$/)]);
    expect((await holder.findForUser(kari)).map((profile) => profile.unitCode)).toEqual(['IDI']);
    expect(await holder.deleteForUser(kari)).toEqual([kari.id]);
    expect(await holder.findForUser(kari)).toEqual([]);
    expect(await holder.deleteForUser(kari)).toEqual([]);
    expect(await store.get('aad-ola')).not.toBeNull();
  });

  it("subscriptions: the user's roles and subscriptions", async () => {
    const store = await TableSubscriptionStore.open(testConnectionString(), table('pds'));
    for (const id of [kari.id, 'aad-ola']) await store.update(id, (current) => ({ ...current, roles: ['prosjektokonom'] }));
    const holder = store.personalData();
    expect((await holder.findForUser(kari)).map((found) => found.userId)).toEqual([kari.id]);
    expect(await holder.deleteForUser(kari)).toEqual([kari.id]);
    expect(await holder.findForUser(kari)).toEqual([]);
    expect((await store.get('aad-ola')).roles).toEqual(['prosjektokonom']);
  });

  it('reminders: every reminder the user asked for, in every event', async () => {
    const store = await TableReminderStore.open(testConnectionString(), table('pdr'));
    const reminder = (announcementId: string, userId: string) => ({
      announcementId,
      userId,
      choice: 'day-before' as const,
      language: 'nb' as const,
      dueAt: '2026-12-01T08:00:00Z',
      requestedAt: '2026-11-01T08:00:00Z',
    });
    await store.save(reminder('KU-2026-0001', kari.id));
    await store.save(reminder('KU-2026-0002', kari.id));
    await store.save(reminder('KU-2026-0001', `${kari.id}x`));
    const holder = store.personalData();
    expect((await holder.findForUser(kari)).map((found) => found.announcementId).sort()).toEqual(['KU-2026-0001', 'KU-2026-0002']);
    expect((await holder.deleteForUser(kari)).sort()).toEqual(['KU-2026-0001|day-before', 'KU-2026-0002|day-before']);
    expect(await holder.findForUser(kari)).toEqual([]);
    expect(await store.get('KU-2026-0001', `${kari.id}x`, 'day-before')).not.toBeNull();
  });

  it('conversations: the personal chats (an earlier one too) and indexes go; a channel keeps its reference without the person', async () => {
    const store = await TableConversationStore.open(testConnectionString(), table('pdc'));
    const user = { id: kari.id, name: 'Kari Ansatt', email: kari.email ?? null };
    await store.remember({ conversationId: 'a:kari-old', kind: 'personal', reference: personalReference('a:kari-old', kariTeamsUser), user, updatedAt: now.toISOString() });
    await store.remember({ conversationId: 'a:kari', kind: 'personal', reference: personalReference('a:kari', kariTeamsUser), user, updatedAt: now.toISOString() });
    await store.remember({
      conversationId: 'a:ola',
      kind: 'personal',
      reference: personalReference('a:ola', olaTeamsUser),
      user: { id: 'aad-ola', name: 'Ola', email: 'ola@ntnu.example' },
      updatedAt: now.toISOString(),
    });
    await store.remember({
      conversationId: '19:general',
      kind: 'channel',
      reference: channelReference('19:general', kariTeamsUser),
      user: null,
      name: 'Økonomi › General',
      updatedAt: now.toISOString(),
    });
    await store.remember({ conversationId: '19:other', kind: 'channel', reference: channelReference('19:other', olaTeamsUser), user: null, updatedAt: now.toISOString() });
    const holder = store.personalData();

    expect((await holder.findForUser(kari)).map((found) => found.conversationId).sort()).toEqual(['19:general', 'a:kari', 'a:kari-old']);
    expect((await holder.deleteForUser(kari)).sort()).toEqual(['19:general', 'a:kari', 'a:kari-old']);
    expect(await holder.findForUser(kari)).toEqual([]);
    expect(await store.personalChatOf({ id: kari.id })).toBeNull();
    expect(await store.personalChatOf({ email: 'kari.ansatt@ntnu.example' })).toBeNull();
    expect(await store.get('a:kari-old')).toBeNull();
    const channel = await store.get('19:general');
    expect(channel?.reference).toEqual({
      channelId: 'msteams',
      serviceUrl: 'https://smba.example/emea/',
      conversation: { id: '19:general', conversationType: 'channel', tenantId: 't' },
      bot: { id: '28:bot' },
    });
    expect(channel?.name).toBe('Økonomi › General');
    expect((await store.get('19:other'))?.reference.user).toEqual(olaTeamsUser);
    expect(await store.personalChatOf({ id: 'aad-ola' })).not.toBeNull();
    expect(await holder.deleteForUser(kari)).toEqual([]);
  });

  it('channel registrations: the person leaves the reference, who registered it stays', async () => {
    const store = await TableChannelRegistrationStore.open(testConnectionString(), table('pdg'));
    const registration = { process: 'BTB', unit: 'IE', conversationId: '19:btb', channelName: 'BTB', registeredBy: 'kari.ansatt@ntnu.example', registeredAt: now.toISOString() };
    await store.save({ ...registration, reference: channelReference('19:btb', kariTeamsUser) });
    await store.save({ ...registration, unit: 'IDI', reference: channelReference('19:btb-idi', olaTeamsUser) });
    const holder = store.personalData();
    expect((await holder.findForUser(kari)).map((found) => found.unit)).toEqual(['IE']);
    expect(await holder.deleteForUser(kari)).toEqual(['BTB|IE']);
    expect(await holder.findForUser(kari)).toEqual([]);
    const kept = await store.find('BTB', 'IE');
    expect(kept?.reference.user).toBeUndefined();
    expect(kept?.reference.conversation).toEqual({ id: '19:btb', conversationType: 'channel', tenantId: 't' });
    expect(kept?.registeredBy).toBe('kari.ansatt@ntnu.example');
    expect((await store.find('BTB', 'IDI'))?.reference.user).toEqual(olaTeamsUser);
  });

  it("broadcasts: the user's delivery records go, a channel's record loses the person, a delivery under way is left to finish", async () => {
    const store = await TableBroadcastStore.open(testConnectionString(), table('pdb'));
    await store.create(
      {
        id: 'KU-2026-0001.send',
        kind: 'send',
        activity: { type: 'message', text: 'Fagkafé' },
        recipients: [
          { conversationId: 'a:kari', reference: personalReference('a:kari', kariTeamsUser), label: 'kari.ansatt@ntnu.example' },
          { conversationId: 'a:ola', reference: personalReference('a:ola', olaTeamsUser), label: 'ola@ntnu.example' },
          { conversationId: '19:general', reference: channelReference('19:general', kariTeamsUser), label: 'Økonomi › General' },
        ],
      },
      now,
    );
    await store.create(
      {
        id: 'reminder.KU-2026-0002',
        kind: 'send',
        activity: { type: 'message' },
        recipients: [{ conversationId: 'a:kari', reference: personalReference('a:kari', kariTeamsUser) }],
      },
      now,
    );
    await store.writeRecipients(
      'KU-2026-0001.send',
      ['a:kari', 'a:ola', '19:general'].map((conversationId) => ({ conversationId, state: 'sent' as const, activityId: `m-${conversationId}`, updatedAt: now.toISOString() })),
    );
    const holder = store.personalData();

    const found = await holder.findForUser(kari);
    expect(found.map(({ broadcastId, recipient }) => `${broadcastId} ${recipient.conversationId} ${recipient.state}`).sort()).toEqual([
      'KU-2026-0001.send 19:general sent',
      'KU-2026-0001.send a:kari sent',
      'reminder.KU-2026-0002 a:kari pending',
    ]);
    expect((await holder.deleteForUser(kari)).sort()).toEqual(['KU-2026-0001.send|19:general', 'KU-2026-0001.send|a:kari']);

    const left = await store.recipients('KU-2026-0001.send');
    expect(left.map((recipient) => recipient.conversationId).sort()).toEqual(['19:general', 'a:ola']);
    expect(left.find((recipient) => recipient.conversationId === '19:general')?.reference.user).toBeUndefined();
    expect(left.find((recipient) => recipient.conversationId === '19:general')?.activityId).toBe('m-19:general');
    expect(left.find((recipient) => recipient.conversationId === 'a:ola')?.reference.user).toEqual(olaTeamsUser);
    // The pending reminder is the sender's until it settles; then a second request removes it.
    expect(await store.recipientStates('reminder.KU-2026-0002')).toEqual(['pending']);
    await store.writeRecipients('reminder.KU-2026-0002', [{ conversationId: 'a:kari', state: 'sent', activityId: 'm-2', updatedAt: now.toISOString() }]);
    expect(await holder.deleteForUser(kari)).toEqual(['reminder.KU-2026-0002|a:kari']);
    expect(await holder.findForUser(kari)).toEqual([]);
  });

  it('outbox: every message that names the user by id or e-mail, pending ones with their due row', async () => {
    const store = await TableOutboxStore.open(testConnectionString(), table('pdo'), { clock: () => now });
    await store.enqueue({
      id: `event-reminder|KU-2026-0001|${kari.id}|day-before|2026-12-01`,
      kind: 'event-reminder',
      payload: { userId: kari.id },
      notBefore: new Date('2026-12-01T08:00:00Z'),
    });
    await store.enqueue({ id: 'digest:2026-W10:kari', kind: 'suggestion-digest', payload: { coordinator: 'kari.ansatt@ntnu.example' } });
    await store.markDelivered('digest:2026-W10:kari', 'm-1');
    await store.enqueue({ id: 'notify:FF-2026-0001:1', kind: 'suggestion-notify', payload: { suggestionId: 'FF-2026-0001' } });
    await store.markFailed('notify:FF-2026-0001:1', `no personal chat with ${kari.id}`);
    await store.enqueue({ id: `event-reminder|KU-2026-0001|${kari.id}x|day-before|2026-12-01`, kind: 'event-reminder', payload: { userId: `${kari.id}x` } });
    const holder = store.personalData();

    expect((await holder.findForUser(kari)).map((message) => message.id).sort()).toEqual(
      ['digest:2026-W10:kari', `event-reminder|KU-2026-0001|${kari.id}|day-before|2026-12-01`, 'notify:FF-2026-0001:1'].sort(),
    );
    expect(await holder.deleteForUser(kari)).toHaveLength(3);
    expect(await holder.findForUser(kari)).toEqual([]);
    // The pending one's due row went with it: nothing of Kari's comes due any more.
    expect((await store.due(new Date('2027-01-01T00:00:00Z'), 10)).map((message) => message.id)).toEqual([`event-reminder|KU-2026-0001|${kari.id}x|day-before|2026-12-01`]);
    expect(await holder.deleteForUser(kari)).toEqual([]);
  });
});
