import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TableAnnouncementStore } from '../../src/announcements/announcementStore';
import { EventCatalog, TableArchiveStore } from '../../src/announcements/archive';
import { EventService } from '../../src/announcements/eventService';
import { EVENT_KINDS } from '../../src/announcements/model';
import { EVENT_REMINDER_MESSAGE, ReminderService } from '../../src/announcements/reminders';
import { TableReminderStore } from '../../src/announcements/remindersStore';
import { TableSubscriptionStore } from '../../src/announcements/subscriptionStore';
import { MAX_TOPICS, topicKey, type EventFilter } from '../../src/announcements/subscriptions';
import { MAX_UPCOMING } from '../../src/announcements/upcoming';
import { isCoordinator } from '../../src/conversations/coordinators';
import type { Actor } from '../../src/core/actor';
import { TableOutboxStore } from '../../src/delivery/outbox';
import type { DirectoryIndex } from '../../src/directory/directoryIndex';
import { seededDirectoryIndex } from '../support/seededDirectory';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';
import { changeEvent, storeEvent } from './fixtures';

const HOUR = 60 * 60 * 1000;
const COORDINATOR: Actor = { id: 'coordinator-id', name: 'Gry-Lene Johansen', email: 'gry-lene.johansen@ntnu.example' };
const USER: Actor = { id: 'user-1', name: 'Kari Nordmann', email: 'kari.nordmann@ntnu.example' };
const NO_FILTER: EventFilter = { kinds: [], processes: [], roles: [] };

describe('the events service, with Azurite', () => {
  let index: DirectoryIndex;
  let announcements: TableAnnouncementStore;
  let subscriptions: TableSubscriptionStore;
  let outbox: TableOutboxStore;
  let service: EventService;
  let now: Date;

  beforeAll(async () => {
    index = await seededDirectoryIndex();
  });

  beforeEach(async () => {
    const prefix = uniqueTablePrefix('evs');
    now = new Date();
    announcements = await TableAnnouncementStore.open(testConnectionString(), `${prefix}announcements`);
    const catalog = new EventCatalog(announcements, await TableArchiveStore.open(testConnectionString(), `${prefix}archive`));
    subscriptions = await TableSubscriptionStore.open(testConnectionString(), `${prefix}subscriptions`);
    outbox = await TableOutboxStore.open(testConnectionString(), `${prefix}outbox`, { clock: () => now });
    const reminders = new ReminderService({
      events: catalog,
      store: await TableReminderStore.open(testConnectionString(), `${prefix}reminders`),
      outbox: { enqueue: (message) => outbox.enqueue(message), kick: async () => undefined },
      clock: () => now,
    });
    service = new EventService({
      subscriptions,
      catalog,
      reminders,
      directory: () => index,
      isCoordinator: (actor) => isCoordinator(actor, new Set([COORDINATOR.email ?? '']), index),
      clock: () => now,
    });
  });

  const inHours = (hours: number) => new Date(now.getTime() + hours * HOUR).toISOString();

  describe('roles', () => {
    it('adds the roles not held before, and says so', async () => {
      expect(await service.stateRoles(USER, ['innkjoper', 'prosjektokonom'])).toEqual({ kind: 'stated', added: ['innkjoper', 'prosjektokonom'] });
      expect(await service.stateRoles(USER, ['innkjoper'])).toEqual({ kind: 'stated', added: [] });
      expect((await subscriptions.get(USER.id)).roles).toEqual(['innkjoper', 'prosjektokonom']);
    });

    it('drops only the roles held', async () => {
      await service.stateRoles(USER, ['innkjoper']);
      expect(await service.dropRoles(USER, ['innkjoper', 'fagrekvirent'])).toEqual({ kind: 'dropped', removed: ['innkjoper'] });
      expect(await service.dropRoles(USER, ['innkjoper'])).toEqual({ kind: 'dropped', removed: [] });
      expect((await subscriptions.get(USER.id)).roles).toEqual([]);
    });
  });

  describe('subscriptions', () => {
    it('subscribes to the topics a filter names, once', async () => {
      const filter: EventFilter = { kinds: ['fagkafe', 'kurs'], processes: ['BTB'], roles: [] };
      const first = await service.subscribe(USER, filter);
      expect(first.kind === 'subscribed' ? first.added.length : null).toBe(2);
      expect(await service.subscribe(USER, filter)).toEqual({ kind: 'subscribed', added: [] });
      expect((await service.subscriptionsOf(USER)).topics).toHaveLength(2);
    });

    it(`refuses more than ${MAX_TOPICS} topics and stores none of them`, async () => {
      const processes = Array.from({ length: Math.ceil(MAX_TOPICS / EVENT_KINDS.length) + 1 }, (_, i) => `P${i}`);
      expect(await service.subscribe(USER, { kinds: [...EVENT_KINDS], processes, roles: [] })).toEqual({ kind: 'refused', code: 'too-many' });
      expect((await service.subscriptionsOf(USER)).topics).toEqual([]);
    });

    it('ends what a filter covers, or everything without one, and says whether there was anything', async () => {
      expect(await service.unsubscribe(USER, null)).toEqual({ kind: 'unsubscribed', hadAny: false, removedTopics: [], removedRoles: [] });
      await service.subscribe(USER, { kinds: ['fagkafe', 'kurs'], processes: [], roles: [] });
      await service.stateRoles(USER, ['innkjoper']);

      const some = await service.unsubscribe(USER, { kinds: ['kurs'], processes: [], roles: [] });
      expect(some).toMatchObject({ hadAny: true, removedTopics: [{ kind: 'kurs', process: null, role: null }], removedRoles: [] });
      const none = await service.unsubscribe(USER, { kinds: ['sporretime'], processes: [], roles: [] });
      expect(none).toMatchObject({ hadAny: true, removedTopics: [], removedRoles: [] });

      expect(await service.unsubscribe(USER, null)).toMatchObject({ hadAny: true });
      const left = await service.subscriptionsOf(USER);
      expect([left.roles, left.topics]).toEqual([[], []]);
    });
  });

  describe('the settings form', () => {
    it('saves the roles and kept topics as ticked, with the kinds and processes added', async () => {
      await service.subscribe(USER, { kinds: ['fagkafe', 'kurs'], processes: [], roles: [] });
      const kept = topicKey({ kind: 'fagkafe', process: null, role: null });
      const result = await service.saveSettings(USER, { roles: ['innkjoper'], keepTopics: [kept], addKinds: ['sporretime'], addProcesses: ['BTB'] });
      expect(result.kind).toBe('saved');
      const saved = await service.subscriptionsOf(USER);
      expect(saved.roles).toEqual(['innkjoper']);
      expect(saved.topics.map(topicKey)).toEqual([kept, topicKey({ kind: 'sporretime', process: 'BTB', role: null })]);
    });

    it('refuses a process the directory does not have, and changes nothing', async () => {
      await service.stateRoles(USER, ['innkjoper']);
      const result = await service.saveSettings(USER, { roles: [], keepTopics: [], addKinds: [], addProcesses: ['BTB', 'NOSUCH'] });
      expect(result).toEqual({ kind: 'invalid', problems: [{ field: 'addProcesses', code: 'unknown-process' }] });
      expect((await service.subscriptionsOf(USER)).roles).toEqual(['innkjoper']);
    });

    it(`refuses more than ${MAX_TOPICS} topics, and answers with the subscriptions as they were`, async () => {
      await service.stateRoles(USER, ['innkjoper']);
      // Topics of processes since removed from the directory stay followed until unticked.
      const old = Array.from({ length: 18 }, (_, i) => `OLD${i}`);
      await service.subscribe(USER, { kinds: [...EVENT_KINDS], processes: old, roles: [] });
      const before = await service.subscriptionsOf(USER);
      expect(before.topics).toHaveLength(EVENT_KINDS.length * old.length);
      const result = await service.saveSettings(USER, {
        roles: [],
        keepTopics: before.topics.map(topicKey),
        addKinds: [...EVENT_KINDS],
        addProcesses: ['BTB', 'PROSJ', 'PBO'],
      });
      expect(result).toEqual({ kind: 'refused', code: 'too-many', subscriptions: before });
      expect(await service.subscriptionsOf(USER)).toEqual(before);
    });
  });

  describe('upcoming and past events', () => {
    it('lists the upcoming events soonest first, a page of them and how many more; "neste" the first only', async () => {
      for (let i = 0; i < MAX_UPCOMING + 2; i += 1) await storeEvent(announcements, { startsAt: inHours(24 * (i + 1)), title: `Kurs ${i}` });
      const page = await service.upcoming(NO_FILTER, false);
      expect(page.events.map((event) => event.title)).toEqual(Array.from({ length: MAX_UPCOMING }, (_, i) => `Kurs ${i}`));
      expect(page.hidden).toBe(2);
      const next = await service.upcoming(NO_FILTER, true);
      expect(next.events.map((event) => event.title)).toEqual(['Kurs 0']);
      expect(next.hidden).toBe(0);
    });

    it('finds past events by their title words', async () => {
      await storeEvent(announcements, { startsAt: inHours(-48), title: 'Fagkafé om varemottak' });
      await storeEvent(announcements, { startsAt: inHours(48), title: 'Fagkafé om varemottak igjen' });
      const found = await service.past(NO_FILTER, ['varemottak']);
      expect(found.map((hit) => hit.event.title)).toEqual(['Fagkafé om varemottak']);
    });
  });

  describe('reminders', () => {
    it('offers a reminder of an upcoming event, and schedules the one chosen through the outbox', async () => {
      const event = await storeEvent(announcements, { startsAt: inHours(72) });
      expect(await service.reminderOffer(event.id)).toMatchObject({ kind: 'offered', event: { id: event.id } });
      const result = await service.requestReminder(USER, event.id, 'day-before', 'nn');
      expect(result).toMatchObject({ kind: 'scheduled', now: false, event: { id: event.id }, reminder: { userId: USER.id, language: 'nn' } });
      expect(await outbox.list({ status: 'pending', kind: EVENT_REMINDER_MESSAGE })).toHaveLength(1);
    });

    it('refuses an event that does not exist, or is a draft', async () => {
      const draft = await storeEvent(announcements, { startsAt: inHours(72), state: 'draft' });
      for (const id of ['KU-2026-9999', draft.id]) {
        expect(await service.reminderOffer(id)).toEqual({ kind: 'refused', code: 'not-found' });
        expect(await service.requestReminder(USER, id, 'hour-before', 'nb')).toEqual({ kind: 'refused', code: 'not-found' });
      }
    });

    it('refuses a cancelled event, naming it', async () => {
      const event = await storeEvent(announcements, { startsAt: inHours(72), state: 'cancelled' });
      expect(await service.reminderOffer(event.id)).toMatchObject({ kind: 'refused', code: 'cancelled', event: { id: event.id } });
      expect(await service.requestReminder(USER, event.id, 'hour-before', 'nb')).toMatchObject({ kind: 'refused', code: 'cancelled', event: { id: event.id } });
    });

    it('refuses an event that has started, and an all-day event', async () => {
      const started = await storeEvent(announcements, { startsAt: inHours(-1), endsAt: inHours(1) });
      expect(await service.reminderOffer(started.id)).toMatchObject({ kind: 'refused', code: 'started', event: { id: started.id } });
      expect(await service.requestReminder(USER, started.id, 'hour-before', 'nb')).toMatchObject({ kind: 'refused', code: 'started' });
      const allDay = await storeEvent(announcements, { startsAt: inHours(72) });
      await changeEvent(announcements, allDay.id, { allDay: true });
      expect(await service.reminderOffer(allDay.id)).toMatchObject({ kind: 'refused', code: 'started', event: { id: allDay.id } });
      expect(await outbox.list({ status: 'pending', kind: EVENT_REMINDER_MESSAGE })).toEqual([]);
    });
  });

  describe('materials', () => {
    const recording = (id: string | null, url: string | null = 'https://ntnu.example/opptak/1') => ({ id, material: 'recording' as const, url, title: 'Opptak' });

    it('adds a recording for a coordinator, once', async () => {
      const event = await storeEvent(announcements, { startsAt: inHours(-48) });
      const added = await service.addMaterial(COORDINATOR, recording(event.id));
      expect(added.kind).toBe('added');
      expect(added.kind === 'added' ? added.event.materials : null).toEqual([
        { kind: 'recording', title: 'Opptak', url: 'https://ntnu.example/opptak/1', addedBy: COORDINATOR.email, addedAt: now.toISOString() },
      ]);
      expect(await service.addMaterial(COORDINATOR, recording(event.id))).toEqual({ kind: 'refused', code: 'already-there', id: event.id });
    });

    it('refuses anyone but a coordinator, and adds nothing', async () => {
      const event = await storeEvent(announcements, { startsAt: inHours(-48) });
      expect(await service.addMaterial(USER, recording(event.id))).toEqual({ kind: 'refused', code: 'not-coordinator' });
      // Authorisation comes first: an outsider learns nothing about the request.
      expect(await service.addMaterial(USER, recording(null, null))).toEqual({ kind: 'refused', code: 'not-coordinator' });
      expect((await announcements.get(event.id))?.announcement.materials).toEqual([]);
    });

    it('says which of the event and the address are missing', async () => {
      expect(await service.addMaterial(COORDINATOR, recording(null))).toEqual({ kind: 'invalid', problems: [{ field: 'id', code: 'missing' }] });
      expect(await service.addMaterial(COORDINATOR, recording('KU-2026-0001', null))).toEqual({ kind: 'invalid', problems: [{ field: 'url', code: 'missing' }] });
      expect(await service.addMaterial(COORDINATOR, recording(null, null))).toEqual({
        kind: 'invalid',
        problems: [
          { field: 'id', code: 'missing' },
          { field: 'url', code: 'missing' },
        ],
      });
    });

    it('refuses an address that is not a web address, and an event that does not exist', async () => {
      const event = await storeEvent(announcements, { startsAt: inHours(-48) });
      expect(await service.addMaterial(COORDINATOR, recording(event.id, 'javascript:alert(1)'))).toEqual({ kind: 'invalid', problems: [{ field: 'url', code: 'invalid-url' }] });
      expect(await service.addMaterial(COORDINATOR, recording('KU-2026-9999'))).toEqual({ kind: 'refused', code: 'not-found', id: 'KU-2026-9999' });
    });
  });
});
