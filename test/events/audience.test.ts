import { beforeAll, describe, expect, it } from 'vitest';
import { SubscriberAudience, reaches, type AudienceMember } from '../../src/announcements/audience';
import type { Audience } from '../../src/announcements/model';
import { TableSubscriptionStore } from '../../src/announcements/subscriptionStore';
import { addRoles, subscribe } from '../../src/announcements/subscriptions';
import { TableConversationStore } from '../../src/conversations/conversationStore';
import type { DirectoryIndex } from '../../src/directory/directoryIndex';
import { TableUserProfileStore } from '../../src/profiles/userProfileStore';
import { seededDirectoryIndex } from '../support/seededDirectory';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';

const NOW = new Date('2026-11-27T10:00:00Z');
const audience = (part: Partial<Audience>): Audience => ({ everyone: false, roles: [], processes: [], units: [], ...part });
const member = (part: Partial<AudienceMember>): AudienceMember => ({ roles: [], topics: [], units: [], ...part });

describe('who an announcement reaches', () => {
  it('reaches everyone, the roles, the units and the topics it concerns', () => {
    const kurs = (part: Partial<Audience>) => ({ kind: 'kurs' as const, audience: audience(part) });
    expect(reaches(kurs({ everyone: true }), member({}))).toBe(true);
    expect(reaches(kurs({ roles: ['prosjektokonom'] }), member({ roles: ['prosjektokonom'] }))).toBe(true);
    expect(reaches(kurs({ roles: ['prosjektokonom'] }), member({ roles: ['innkjoper'] }))).toBe(false);
    expect(reaches(kurs({ units: ['IE'] }), member({ units: ['IDI', 'IE'] }))).toBe(true);
    expect(reaches(kurs({ units: ['IDI'] }), member({ units: ['IE'] }))).toBe(false);
    expect(reaches(kurs({ processes: ['PROSJ'] }), member({ topics: [{ kind: null, process: 'PROSJ', role: null }] }))).toBe(true);
    expect(reaches(kurs({ processes: ['PROSJ'] }), member({ topics: [{ kind: null, process: 'BTB', role: null }] }))).toBe(false);
    // A subscription to a kind widens a targeted announcement's audience…
    expect(reaches(kurs({ roles: ['fakturaansvarlig'] }), member({ topics: [{ kind: 'kurs', process: null, role: null }] }))).toBe(true);
    // …but an announcement only for its channels stays there.
    expect(reaches(kurs({}), member({ roles: ['prosjektokonom'], topics: [{ kind: 'kurs', process: null, role: null }] }))).toBe(false);
  });

  describe('resolved from the stores, with Azurite', () => {
    let index: DirectoryIndex;
    let resolver: SubscriberAudience;
    const chat = (name: string) => `a:${name}`;

    beforeAll(async () => {
      index = await seededDirectoryIndex();
      const conversations = await TableConversationStore.open(testConnectionString(), uniqueTablePrefix('conv'));
      const profiles = await TableUserProfileStore.open(testConnectionString(), uniqueTablePrefix('prof'));
      const subscriptions = await TableSubscriptionStore.open(testConnectionString(), uniqueTablePrefix('subs'));
      const users = ['idi', 'ie', 'iv', 'accountant', 'cafe', 'stranger'];
      for (const user of users) {
        await conversations.remember({
          conversationId: chat(user),
          kind: 'personal',
          reference: { conversation: { id: chat(user) } },
          user: { id: user, name: user, email: `${user}@ntnu.example` },
          updatedAt: NOW.toISOString(),
        });
      }
      // A channel is never a personal recipient.
      await conversations.remember({ conversationId: '19:c@thread.tacv2', kind: 'channel', reference: {}, user: null, updatedAt: NOW.toISOString() });
      await profiles.setUnit('idi', 'IDI');
      await profiles.setUnit('ie', 'IE');
      await profiles.setUnit('iv', 'IV');
      await subscriptions.update('accountant', (current) => addRoles(current, ['prosjektokonom'], NOW).subscriptions);
      await subscriptions.update('cafe', (current) => subscribe(current, { kinds: ['fagkafe'], processes: ['BTB'], roles: [] }, NOW).subscriptions);
      resolver = new SubscriberAudience({
        personalChats: () => conversations.list('personal'),
        personalChatPages: () => conversations.listPages('personal'),
        profiles,
        subscriptions,
        directory: () => index,
      });
    });

    it('gives the same page by page, as the personal chats are read', async () => {
      const pages: string[][] = [];
      for await (const page of resolver.resolvePages(audience({ units: ['IE'] }))) pages.push(page.map((recipient) => recipient.conversationId));
      expect(pages.flat().sort()).toEqual([chat('idi'), chat('ie')]);
      expect((await resolver.resolve(audience({ everyone: true }))).length).toBe(6);
    });

    it('includes the units below a chosen unit', async () => {
      expect(index.unit('IDI')?.parent).toBe('IE');
      const recipients = await resolver.resolve(audience({ units: ['IE'] }));
      expect(recipients.map((recipient) => recipient.conversationId).sort()).toEqual([chat('idi'), chat('ie')]);
      expect(recipients.find((recipient) => recipient.conversationId === chat('idi'))).toMatchObject({
        label: 'idi@ntnu.example',
        reference: { conversation: { id: chat('idi') } },
      });
      expect(await resolver.count(audience({ units: ['IDI'] }))).toBe(1);
    });

    it('reaches people by their roles and by the topics they follow, and everyone when asked', async () => {
      const ids = async (target: Audience, kind: 'fagkafe' | 'kurs' | null = null) => (await resolver.resolve(target, kind)).map((recipient) => recipient.conversationId).sort();
      expect(await ids(audience({ roles: ['prosjektokonom'] }), 'kurs')).toEqual([chat('accountant')]);
      expect(await ids(audience({ processes: ['BTB'], roles: ['innkjoper'] }), 'fagkafe')).toEqual([chat('cafe')]);
      // Without the kind, a topic that names one cannot match.
      expect(await ids(audience({ processes: ['BTB'] }))).toEqual([]);
      expect(await ids(audience({ processes: ['BTB'] }), 'kurs')).toEqual([]);
      expect(await resolver.count(audience({ everyone: true }))).toBe(6);
      expect(await resolver.count(audience({}), 'fagkafe')).toBe(0);
    });
  });
});
