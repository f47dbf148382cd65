import { beforeEach, describe, expect, it } from 'vitest';
import { TableAnnouncementStore } from '../../src/announcements/announcementStore';
import { EventCatalog, TableArchiveStore } from '../../src/announcements/archive';
import { EVENT_REMINDER_MESSAGE, ReminderService, reminderDueAt, storeMovingReminders, type ReminderPayload } from '../../src/announcements/reminders';
import { TableReminderStore } from '../../src/announcements/remindersStore';
import { TableOutboxStore } from '../../src/delivery/outbox';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';
import { changeEvent, storeEvent } from './fixtures';

const HOUR = 60 * 60 * 1000;

describe('when a reminder is due', () => {
  it('is the same Oslo time the day before, across the start of summer time', () => {
    // 10:00 on 29 March 2026 (summer time) is 08:00Z; 10:00 on the 28th (winter time) is 09:00Z: 23 hours earlier.
    expect(reminderDueAt('2026-03-29T08:00:00.000Z', 'day-before').toISOString()).toBe('2026-03-28T09:00:00.000Z');
    // 10:00 on 25 October (winter time again) is 09:00Z; 10:00 the day before (summer time) is 08:00Z: 25 hours earlier.
    expect(reminderDueAt('2026-10-25T09:00:00.000Z', 'day-before').toISOString()).toBe('2026-10-24T08:00:00.000Z');
    expect(reminderDueAt('2026-03-29T08:00:00.000Z', 'hour-before').toISOString()).toBe('2026-03-29T07:00:00.000Z');
  });
});

describe('reminders of events, with Azurite', () => {
  let announcements: TableAnnouncementStore;
  let outbox: TableOutboxStore;
  let service: ReminderService;
  let now: Date;
  let kicks: number;

  beforeEach(async () => {
    const prefix = uniqueTablePrefix('rem');
    announcements = await TableAnnouncementStore.open(testConnectionString(), `${prefix}announcements`);
    const catalog = new EventCatalog(announcements, await TableArchiveStore.open(testConnectionString(), `${prefix}archive`));
    now = new Date();
    kicks = 0;
    outbox = await TableOutboxStore.open(testConnectionString(), `${prefix}outbox`, { clock: () => now });
    service = new ReminderService({
      events: catalog,
      store: await TableReminderStore.open(testConnectionString(), `${prefix}reminders`),
      outbox: { enqueue: (message) => outbox.enqueue(message), kick: async () => void (kicks += 1) },
      clock: () => now,
    });
  });

  const inDays = (days: number) => new Date(Date.now() + days * 24 * HOUR).toISOString();
  const pending = () => outbox.list({ status: 'pending', kind: EVENT_REMINDER_MESSAGE });

  it('schedules one reminder per user, event and choice through the outbox, for its time', async () => {
    const event = await storeEvent(announcements, { startsAt: inDays(5) });
    const first = await service.request(event.id, 'u1', 'day-before', 'nb');
    expect(first).toMatchObject({ kind: 'scheduled', now: false });
    await service.request(event.id, 'u1', 'day-before', 'nb');
    await service.request(event.id, 'u1', 'hour-before', 'en');
    await service.request(event.id, 'u2', 'day-before', 'nb');
    const messages = await pending();
    expect(messages).toHaveLength(3);
    const dayBefore = messages.find((message) => (message.payload as ReminderPayload).userId === 'u1' && (message.payload as ReminderPayload).choice === 'day-before');
    expect(dayBefore?.nextAttemptAt).toBe(reminderDueAt(event.startsAt, 'day-before').toISOString());
    // Not due yet: nothing to deliver now.
    expect(await outbox.due(now, 10)).toEqual([]);
    expect(kicks).toBe(0);
  });

  it('sends at once when the chosen time has passed but the event has not begun', async () => {
    const event = await storeEvent(announcements, { startsAt: new Date(Date.now() + 3 * HOUR).toISOString() });
    const result = await service.request(event.id, 'u1', 'day-before', 'nb');
    expect(result).toMatchObject({ kind: 'scheduled', now: true });
    expect(await outbox.due(now, 10)).toHaveLength(1);
    expect(kicks).toBe(1);
  });

  it('refuses unknown, cancelled, begun and draft events', async () => {
    expect(await service.request('KU-2026-9999', 'u1', 'day-before', 'nb')).toEqual({ kind: 'not-found' });
    expect(await service.request('not an id', 'u1', 'day-before', 'nb')).toEqual({ kind: 'not-found' });
    const cancelled = await storeEvent(announcements, { startsAt: inDays(5), state: 'cancelled' });
    expect(await service.request(cancelled.id, 'u1', 'day-before', 'nb')).toMatchObject({ kind: 'cancelled' });
    const begun = await storeEvent(announcements, { startsAt: new Date(Date.now() - HOUR).toISOString(), endsAt: inDays(1) });
    expect(await service.request(begun.id, 'u1', 'hour-before', 'nb')).toMatchObject({ kind: 'started' });
    const draft = await storeEvent(announcements, { startsAt: inDays(5), state: 'draft' });
    expect(await service.request(draft.id, 'u1', 'hour-before', 'nb')).toEqual({ kind: 'not-found' });
    expect(await pending()).toEqual([]);
  });

  it('moves reminders with a moved event: the old one sends nothing, the new one is due at the new time', async () => {
    const event = await storeEvent(announcements, { startsAt: inDays(5) });
    await service.request(event.id, 'u1', 'day-before', 'nb');
    await service.request(event.id, 'u1', 'hour-before', 'nb');
    const [old] = (await pending()).filter((message) => (message.payload as ReminderPayload).choice === 'day-before');

    const moved = await changeEvent(announcements, event.id, { startsAt: inDays(8), endsAt: inDays(8.1) });
    expect(await service.announcementChanged(moved)).toBe(2);
    expect(await service.announcementChanged(moved)).toBe(0);
    const messages = await pending();
    expect(messages).toHaveLength(4);
    const dueTimes = messages.map((message) => message.nextAttemptAt);
    expect(dueTimes).toContain(reminderDueAt(moved.startsAt, 'day-before').toISOString());
    expect(dueTimes).toContain(reminderDueAt(moved.startsAt, 'hour-before').toISOString());

    expect(await service.check(old?.payload as ReminderPayload)).toEqual({ kind: 'skip', reason: 'moved' });
    const current = messages.find((message) => message.nextAttemptAt === reminderDueAt(moved.startsAt, 'day-before').toISOString());
    now = new Date(reminderDueAt(moved.startsAt, 'day-before').getTime() + 1000);
    expect(await service.check(current?.payload as ReminderPayload)).toMatchObject({ kind: 'send', reminder: { userId: 'u1', choice: 'day-before' } });
  });

  it('sends nothing for a cancelled event', async () => {
    const event = await storeEvent(announcements, { startsAt: inDays(5) });
    await service.request(event.id, 'u1', 'day-before', 'nb');
    const cancelled = await changeEvent(announcements, event.id, { state: 'cancelled' });
    expect(await service.announcementChanged(cancelled)).toBe(0);
    const [message] = await pending();
    expect(await service.check(message?.payload as ReminderPayload)).toEqual({ kind: 'skip', reason: 'cancelled' });
  });

  it('puts a move right when the reminder comes due before anyone told it, and never reminds of a begun event', async () => {
    const event = await storeEvent(announcements, { startsAt: inDays(5) });
    await service.request(event.id, 'u1', 'hour-before', 'nb');
    const [old] = await pending();
    await changeEvent(announcements, event.id, { startsAt: inDays(6), endsAt: inDays(6.1) });
    expect(await service.check(old?.payload as ReminderPayload)).toEqual({ kind: 'skip', reason: 'moved' });
    const dueTimes = (await pending()).map((message) => message.nextAttemptAt);
    expect(dueTimes).toHaveLength(2);

    const fresh = (await pending()).find((message) => message.id !== old?.id);
    now = new Date(Date.now() + 7 * 24 * HOUR);
    expect(await service.check(fresh?.payload as ReminderPayload)).toEqual({ kind: 'skip', reason: 'started' });
    expect(await service.check({ announcementId: 'KU-2026-9999', userId: 'u1', choice: 'hour-before', dueAt: '' })).toEqual({ kind: 'skip', reason: 'no-event' });
    expect(await service.check({ ...(old?.payload as ReminderPayload), userId: 'someone-else' })).toEqual({ kind: 'skip', reason: 'no-reminder' });
  });

  it('moves the reminders of an event moved earlier as soon as the change is saved to the store', async () => {
    const moving = storeMovingReminders(announcements, service, (error) => {
      throw error;
    });
    const event = await storeEvent(moving, { startsAt: inDays(9) });
    await service.request(event.id, 'u1', 'day-before', 'nb');
    const earlier = await changeEvent(moving, event.id, { startsAt: inDays(4), endsAt: inDays(4.1) });
    const dueTimes = (await pending()).map((message) => message.nextAttemptAt);
    expect(dueTimes).toContain(reminderDueAt(earlier.startsAt, 'day-before').toISOString());
  });

  it('keeps a saved change when moving its reminders fails, and reports the failure', async () => {
    const failures: string[] = [];
    const broken = storeMovingReminders(announcements, { announcementChanged: () => Promise.reject(new Error('storage down')) }, (error, id) =>
      failures.push(`${id}: ${(error as Error).message}`),
    );
    const event = await storeEvent(broken, { startsAt: inDays(9) });
    expect(failures).toEqual([`${event.id}: storage down`]);
    expect((await announcements.get(event.id))?.announcement.state).toBe('sent');
    expect(await broken.list()).toHaveLength(1);
    expect(await broken.findByForm('no-such-form')).toBeNull();
  });
});
