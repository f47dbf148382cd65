import { describe, expect, it } from 'vitest';
import { TableSubscriptionStore } from '../../src/announcements/subscriptionStore';
import {
  MAX_TOPICS,
  addRoles,
  applySettings,
  emptySubscriptions,
  subscribe,
  topicKey,
  topicMatches,
  unsubscribe,
  unsubscribeAll,
  type EventFilter,
} from '../../src/announcements/subscriptions';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';

const NOW = new Date('2026-11-27T10:00:00Z');
const filter = (part: Partial<EventFilter>): EventFilter => ({ kinds: [], processes: [], roles: [], ...part });

describe('subscriptions', () => {
  it('follows one topic per kind, process and role named, once', () => {
    const first = subscribe(emptySubscriptions('u1'), filter({ kinds: ['fagkafe', 'kurs'], processes: ['BTB'] }), NOW);
    expect(first.kind).toBe('subscribed');
    expect(first.subscriptions.topics.map(topicKey)).toEqual(['fagkafe|BTB|*', 'kurs|BTB|*']);
    const again = subscribe(first.subscriptions, filter({ kinds: ['fagkafe'], processes: ['BTB'] }), NOW);
    expect(again).toMatchObject({ kind: 'subscribed', added: [] });
    expect(again.subscriptions.topics).toHaveLength(2);
  });

  it('refuses to follow more than the limit, leaving the subscriptions as they were', () => {
    const many = filter({ kinds: ['kurs', 'oppfriskningskurs', 'fagkafe', 'sporretime', 'samarbeidsmote'], processes: ['BTB', 'PROSJ', 'PBO', 'LONN', 'FTI'] });
    let current = subscribe(emptySubscriptions('u1'), many, NOW).subscriptions;
    current = subscribe(current, filter({ ...many, roles: ['innkjoper', 'fagrekvirent'] }), NOW).subscriptions;
    expect(current.topics.length).toBeLessThanOrEqual(MAX_TOPICS);
    const refused = subscribe(current, filter({ ...many, roles: ['prosjektokonom', 'kostnadsgodkjenner', 'fakturaansvarlig'] }), NOW);
    expect(refused.kind).toBe('too-many');
    expect(refused.subscriptions).toBe(current);
  });

  it('ends the topics a filter covers, and roles named alone', () => {
    let current = subscribe(emptySubscriptions('u1'), filter({ kinds: ['fagkafe'] }), NOW).subscriptions;
    current = subscribe(current, filter({ kinds: ['fagkafe', 'kurs'], processes: ['BTB'] }), NOW).subscriptions;
    current = subscribe(current, filter({ processes: ['BTB'] }), NOW).subscriptions;
    current = addRoles(current, ['innkjoper', 'fagrekvirent'], NOW).subscriptions;

    const btb = unsubscribe(current, filter({ processes: ['BTB'] }), NOW);
    expect(btb.removedTopics.map(topicKey)).toEqual(['fagkafe|BTB|*', 'kurs|BTB|*', '*|BTB|*']);
    expect(btb.subscriptions.topics.map(topicKey)).toEqual(['fagkafe|*|*']);
    expect(btb.removedRoles).toEqual([]);

    const role = unsubscribe(current, filter({ roles: ['innkjoper'] }), NOW);
    expect(role.removedRoles).toEqual(['innkjoper']);
    expect(role.subscriptions.roles).toEqual(['fagrekvirent']);

    const nothing = unsubscribe(current, filter({ kinds: ['samarbeidsmote'] }), NOW);
    expect(nothing.subscriptions).toBe(current);
    expect(unsubscribeAll(current, NOW)).toMatchObject({ roles: [], topics: [] });
  });

  it('matches an announcement by every field a topic names', () => {
    const about = { kind: 'fagkafe' as const, audience: { processes: ['BTB'], roles: ['innkjoper' as const] } };
    expect(topicMatches({ kind: 'fagkafe', process: null, role: null }, about)).toBe(true);
    expect(topicMatches({ kind: 'fagkafe', process: 'BTB', role: 'innkjoper' }, about)).toBe(true);
    expect(topicMatches({ kind: 'kurs', process: 'BTB', role: null }, about)).toBe(false);
    expect(topicMatches({ kind: null, process: 'PBO', role: null }, about)).toBe(false);
    expect(topicMatches({ kind: 'fagkafe', process: null, role: null }, { ...about, kind: null })).toBe(false);
  });

  it('applies the settings card: roles ticked, topics kept, more added', () => {
    let current = subscribe(emptySubscriptions('u1'), filter({ kinds: ['fagkafe', 'kurs'] }), NOW).subscriptions;
    current = addRoles(current, ['innkjoper'], NOW).subscriptions;
    const result = applySettings(current, { roles: ['prosjektokonom'], keepTopics: ['kurs|*|*'], add: filter({ kinds: ['sporretime'], processes: ['PROSJ'] }) }, NOW);
    expect(result.kind).toBe('subscribed');
    expect(result.subscriptions.roles).toEqual(['prosjektokonom']);
    expect(result.subscriptions.topics.map(topicKey)).toEqual(['kurs|*|*', 'sporretime|PROSJ|*']);
  });

  it('stores subscriptions per user in Table Storage and lists them all', async () => {
    const store = await TableSubscriptionStore.open(testConnectionString(), uniqueTablePrefix('subs'));
    expect(await store.get('u1')).toEqual(emptySubscriptions('u1'));
    await store.update('u1', (current) => subscribe(current, filter({ kinds: ['fagkafe'], processes: ['BTB'] }), NOW).subscriptions);
    await store.update('u1', (current) => addRoles(current, ['prosjektokonom'], NOW).subscriptions);
    await store.update('u2', (current) => addRoles(current, ['innkjoper'], NOW).subscriptions);
    expect(await store.get('u1')).toMatchObject({ roles: ['prosjektokonom'], topics: [{ kind: 'fagkafe', process: 'BTB', role: null }] });
    expect((await store.list()).map((entry) => entry.userId).sort()).toEqual(['u1', 'u2']);
  });

  it('keeps both of two concurrent changes for one user', async () => {
    const store = await TableSubscriptionStore.open(testConnectionString(), uniqueTablePrefix('subs'));
    await store.update('u1', (current) => addRoles(current, ['innkjoper'], NOW).subscriptions);
    await Promise.all([
      store.update('u1', (current) => addRoles(current, ['fagrekvirent'], NOW).subscriptions),
      store.update('u1', (current) => subscribe(current, filter({ kinds: ['kurs'] }), NOW).subscriptions),
    ]);
    const saved = await store.get('u1');
    expect(saved.roles.sort()).toEqual(['fagrekvirent', 'innkjoper']);
    expect(saved.topics.map(topicKey)).toEqual(['kurs|*|*']);
  });
});
