import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { TableOutboxStore } from '../../src/delivery/outbox';
import type { DirectoryIndex } from '../../src/directory/directoryIndex';
import { createLogger } from '../../src/logger';
import { computeDigest, digestWeekDue, isoWeek, type DigestPayload, type ReminderPayload } from '../../src/suggestions/followUp';
import { FollowUpScheduler } from '../../src/suggestions/followUpScheduler';
import type { Route, Suggestion, SuggestionDraft } from '../../src/suggestions/model';
import type { Actor } from '../../src/core/actor';
import { TableSuggestionStore } from '../../src/suggestions/suggestionStore';
import { seededDirectoryIndex } from '../support/seededDirectory';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';

const DAY = 24 * 60 * 60 * 1000;
const submitter: Actor = { id: 'u-kari', name: 'Kari Ansatt', email: 'kari.ansatt@ntnu.example' };
const advisor: Actor = { id: 'u-audun', name: 'Audun Brekke', email: 'audun.brekke@ntnu.example' };
const channelRoute: Route = {
  target: { kind: 'channel', registrationKey: 'BTB|IE', conversationId: '19:btb-ie@thread.tacv2', label: 'Btb-teamet IE' },
  level: 'local',
  unitCode: 'IE',
};
const peopleRoute = (email: string, name: string): Route => ({ target: { kind: 'people', people: [{ name, email }], label: name }, level: 'process-manager', unitCode: null });
const draft: SuggestionDraft = { process: 'BTB', unit: 'IDI', title: 'Tittel', description: 'Beskrivelse', potential: 'Potensial', system: 'unit4', mayContact: true };

/** Stores a suggestion as submitted at `at`, then applies `change` to it as a later update would. */
async function storeSuggestion(
  store: TableSuggestionStore,
  at: Date,
  options: { draft?: Partial<SuggestionDraft>; route?: Route; change?: (suggestion: Suggestion) => Partial<Suggestion> } = {},
): Promise<Suggestion> {
  const { stored } = await store.create({
    draft: { ...draft, ...options.draft },
    submitter,
    route: options.route ?? channelRoute,
    now: at,
    language: 'nb',
    idempotencyKey: randomUUID(),
  });
  if (!options.change) return stored.suggestion;
  return (await store.update({ ...stored.suggestion, ...options.change(stored.suggestion) }, stored.etag)).suggestion;
}

const postedTo = (recipient: string, conversationId: string) => ({ postings: [{ recipient, conversationId, activityId: 'a1' }], delivered: true });

describe('reminders about suggestions left without action, with Azurite', () => {
  let index: DirectoryIndex;
  beforeAll(async () => {
    index = await seededDirectoryIndex();
  });

  async function setUp() {
    const prefix = uniqueTablePrefix('fu');
    const store = await TableSuggestionStore.open(testConnectionString(), `${prefix}suggestions`);
    const outbox = await TableOutboxStore.open(testConnectionString(), `${prefix}outbox`);
    const scheduler = () =>
      new FollowUpScheduler({
        suggestions: store,
        directory: () => index,
        outbox: { enqueue: (message) => outbox.enqueue(message), kick: async () => undefined },
        coordinators: new Set(),
        reminderDays: 14,
        logger: createLogger('silent'),
      });
    const reminders = async () => (await outbox.list({ kind: 'suggestion-reminder' })).map((message) => ({ id: message.id, payload: message.payload as ReminderPayload }));
    return { store, outbox, scheduler, reminders };
  }

  const now = new Date('2026-03-10T10:00:00Z');

  it('reminds the channel, the assignee or the people the card reached, once per quiet period, and never about parked, decided or recent ones', async () => {
    const { store, scheduler, reminders } = await setUp();
    const untouched = await storeSuggestion(store, new Date(now.getTime() - 15 * DAY), { change: () => postedTo('channel:19:btb-ie@thread.tacv2', '19:btb-ie@thread.tacv2') });
    const taken = await storeSuggestion(store, new Date(now.getTime() - 30 * DAY), {
      change: (s) => ({
        ...postedTo('channel:19:btb-ie@thread.tacv2', '19:btb-ie@thread.tacv2'),
        state: 'under-vurdering',
        assignee: advisor,
        history: [...s.history, { at: new Date(now.getTime() - 20 * DAY).toISOString(), by: advisor, action: 'take', from: 'ny', to: 'under-vurdering', comment: null }],
      }),
    });
    const forwarded = await storeSuggestion(store, new Date(now.getTime() - 40 * DAY), {
      route: peopleRoute('lene.kristiansen@ntnu.example', 'Lene Kristiansen'),
      change: (s) => ({
        postings: [
          { recipient: 'channel:19:btb-ie@thread.tacv2', conversationId: '19:btb-ie@thread.tacv2', activityId: 'a0' },
          { recipient: 'lene.kristiansen@ntnu.example', conversationId: 'a:lene', activityId: 'a1' },
        ],
        delivered: true,
        state: 'videresendt',
        assignee: advisor,
        history: [
          ...s.history,
          { at: new Date(now.getTime() - 16 * DAY).toISOString(), by: advisor, action: 'forward', from: 'under-vurdering', to: 'videresendt', comment: null },
        ],
      }),
    });
    // Not reminded: parked on purpose, decided, changed recently, one minute short of the threshold, and one whose card reached nobody yet.
    await storeSuggestion(store, new Date(now.getTime() - 60 * DAY), { change: () => ({ state: 'parkert', assignee: advisor }) });
    await storeSuggestion(store, new Date(now.getTime() - 60 * DAY), { change: () => ({ state: 'avslatt' }) });
    await storeSuggestion(store, new Date(now.getTime() - 5 * DAY), { change: () => postedTo('channel:19:btb-ie@thread.tacv2', '19:btb-ie@thread.tacv2') });
    const nearly = await storeSuggestion(store, new Date(now.getTime() - 14 * DAY + 60_000), {
      change: () => postedTo('channel:19:btb-ie@thread.tacv2', '19:btb-ie@thread.tacv2'),
    });
    await storeSuggestion(store, new Date(now.getTime() - 20 * DAY), { route: peopleRoute('ingrid.rasmussen@ntnu.example', 'Ingrid Rasmussen') });

    expect((await scheduler().runOnce(now)).reminders).toBe(3);
    const found = await reminders();
    expect(found.map((r) => r.payload).sort((a, b) => a.suggestionId.localeCompare(b.suggestionId))).toEqual(
      [
        { suggestionId: untouched.id, quietSince: untouched.createdAt, foundAt: now.toISOString(), recipient: { kind: 'channel', conversationId: '19:btb-ie@thread.tacv2' } },
        { suggestionId: taken.id, quietSince: taken.history[1]?.at, foundAt: now.toISOString(), recipient: { kind: 'assignee', id: advisor.id, email: advisor.email } },
        // Forwarded: the process manager holds it now, not the advisor who took it.
        { suggestionId: forwarded.id, quietSince: forwarded.history[1]?.at, foundAt: now.toISOString(), recipient: { kind: 'person', email: 'lene.kristiansen@ntnu.example' } },
      ].sort((a, b) => a.suggestionId.localeCompare(b.suggestionId)),
    );

    // Later passes, and two instances at once, find the same quiet periods again: only the one that has come due since is new.
    await scheduler().runOnce(new Date(now.getTime() + DAY));
    await Promise.all([scheduler().runOnce(new Date(now.getTime() + 2 * DAY)), scheduler().runOnce(new Date(now.getTime() + 2 * DAY))]);
    const later = await reminders();
    expect(later).toHaveLength(4);
    expect(later.filter((r) => !found.some((f) => f.id === r.id)).map((r) => r.payload.suggestionId)).toEqual([nearly.id]);
  });

  it('reminds again after a change followed by another quiet period', async () => {
    const { store, scheduler, reminders } = await setUp();
    const suggestion = await storeSuggestion(store, new Date(now.getTime() - 15 * DAY), { change: () => postedTo('channel:19:btb-ie@thread.tacv2', '19:btb-ie@thread.tacv2') });
    await scheduler().runOnce(now);
    expect(await reminders()).toHaveLength(1);

    const stored = await store.get(suggestion.id);
    if (!stored) throw new Error('stored suggestion vanished');
    const takenAt = new Date(now.getTime() + DAY).toISOString();
    await store.update(
      {
        ...stored.suggestion,
        state: 'under-vurdering',
        assignee: advisor,
        history: [...stored.suggestion.history, { at: takenAt, by: advisor, action: 'take', from: 'ny', to: 'under-vurdering', comment: null }],
      },
      stored.etag,
    );
    await scheduler().runOnce(new Date(now.getTime() + 10 * DAY));
    expect(await reminders()).toHaveLength(1);
    await scheduler().runOnce(new Date(now.getTime() + 15 * DAY));
    const all = await reminders();
    expect(all).toHaveLength(2);
    expect(all.map((r) => r.payload)).toContainEqual(expect.objectContaining({ quietSince: takenAt, recipient: { kind: 'assignee', id: advisor.id, email: advisor.email } }));
  });

  it("enqueues one digest a week to each coordinator given by e-mail and to the directory's management coordinator", async () => {
    const { store, outbox } = await setUp();
    await storeSuggestion(store, new Date('2026-02-01T10:00:00Z'));
    const scheduler = new FollowUpScheduler({
      suggestions: store,
      directory: () => index,
      outbox: { enqueue: (message) => outbox.enqueue(message), kick: async () => undefined },
      // A user id cannot be looked up without a conversation; it gets no digest.
      coordinators: new Set(['ida.koordinator@ntnu.example', '00000000-aaaa-bbbb-cccc-000000000000']),
      reminderDays: 14,
      logger: createLogger('silent'),
    });
    // Monday 2 March 2026, 07:59 and 08:30 in Oslo (winter time, UTC+1).
    expect((await scheduler.runOnce(new Date('2026-03-02T06:59:00Z'))).digests).toBe(0);
    expect((await scheduler.runOnce(new Date('2026-03-02T07:30:00Z'))).digests).toBe(2);
    // Wednesday of the same week: the same ids, so nothing new.
    await scheduler.runOnce(new Date('2026-03-04T12:00:00Z'));
    const digests = await outbox.list({ kind: 'suggestion-digest' });
    expect(digests.map((message) => message.id).sort()).toEqual(['digest:2026-W10:gry-lene.johansen@ntnu.example', 'digest:2026-W10:ida.koordinator@ntnu.example']);
    const payload = digests[0]?.payload as DigestPayload;
    expect(payload.digest).toMatchObject({ week: '2026-W10', asOf: '2026-03-02T07:30:00.000Z', total: 1, processes: [{ process: 'BTB', total: 1 }] });
    // The next Monday brings the next week's.
    await scheduler.runOnce(new Date('2026-03-09T07:00:00Z'));
    expect((await outbox.list({ kind: 'suggestion-digest' })).map((message) => message.id)).toContain('digest:2026-W11:gry-lene.johansen@ntnu.example');
  });
});

describe('the weekly digest', () => {
  it('counts suggestions by process and state, in the directory order, with those awaiting delivery and those overdue', async () => {
    const store = await TableSuggestionStore.open(testConnectionString(), `${uniqueTablePrefix('dg')}suggestions`);
    const now = new Date('2026-03-02T07:30:00Z');
    const old = new Date(now.getTime() - 20 * DAY);
    const recent = new Date(now.getTime() - 2 * DAY);
    await storeSuggestion(store, old, { draft: { process: 'PBO' }, change: () => postedTo('channel:c', 'c') });
    await storeSuggestion(store, recent, { draft: { process: 'PBO' }, change: () => ({ state: 'avslatt', delivered: true }) });
    await storeSuggestion(store, old, { draft: { process: 'BTB' } });
    await storeSuggestion(store, recent, { draft: { process: 'BTB' }, change: () => ({ state: 'under-vurdering', delivered: true }) });
    await storeSuggestion(store, old, { draft: { process: 'BTB' }, change: () => ({ state: 'parkert', delivered: true }) });
    await storeSuggestion(store, old, { draft: { process: 'LONN' }, change: () => ({ state: 'trukket' }) });

    const digest = computeDigest(await store.list(), { now, reminderDays: 14, processOrder: ['BTB', 'PROSJ', 'PBO', 'LONN'] });
    const zero = { ny: 0, 'under-vurdering': 0, videresendt: 0, 'sendt-bott': 0, gjennomfort: 0, avslatt: 0, parkert: 0, trukket: 0 };
    expect(digest).toEqual({
      week: '2026-W10',
      asOf: now.toISOString(),
      reminderDays: 14,
      processes: [
        { process: 'BTB', counts: { ...zero, ny: 1, 'under-vurdering': 1, parkert: 1 }, total: 3 },
        { process: 'PBO', counts: { ...zero, ny: 1, avslatt: 1 }, total: 2 },
        { process: 'LONN', counts: { ...zero, trukket: 1 }, total: 1 },
      ],
      total: 6,
      // The new BTB one never reached anyone; the withdrawn one needs no delivery.
      awaitingDelivery: 1,
      // The two new ones from 20 days ago; the parked one waits on purpose.
      overdue: 2,
    });
  });
});

describe('the digest schedule: Monday from 08:00 Norwegian time, ISO weeks', () => {
  it.each([
    ['2026-03-23T06:59:00Z', null, 'Monday 07:59 in winter time (UTC+1)'],
    ['2026-03-23T07:00:00Z', '2026-W13', 'Monday 08:00 in winter time'],
    ['2026-03-29T21:59:00Z', '2026-W13', 'Sunday 23:59, the day summer time began: still last week'],
    ['2026-03-29T22:30:00Z', null, 'Monday 00:30 summer time, though 29 March in UTC'],
    ['2026-03-30T05:59:00Z', null, 'Monday 07:59 in summer time (UTC+2): a fixed +1 offset would call it 06:59'],
    ['2026-03-30T06:00:00Z', '2026-W14', 'Monday 08:00 in summer time'],
    ['2026-10-26T06:30:00Z', null, 'Monday 07:30, the day after summer time ended'],
    ['2026-10-26T07:00:00Z', '2026-W44', 'Monday 08:00 in winter time again'],
    ['2026-12-28T07:00:00Z', '2026-W53', 'a year with 53 ISO weeks'],
    ['2027-01-01T12:00:00Z', '2026-W53', 'New Year in the last ISO week of 2026'],
    ['2027-01-04T07:00:00Z', '2027-W01', 'the first Monday of ISO year 2027'],
  ])('at %s the due digest is %s (%s)', (at, week, _why) => {
    expect(digestWeekDue(new Date(at))).toBe(week);
  });

  it('names the ISO week in Norway, not in UTC', () => {
    expect(isoWeek(new Date('2026-03-29T22:30:00Z'))).toBe('2026-W14');
    expect(isoWeek(new Date('2026-03-29T21:30:00Z'))).toBe('2026-W13');
  });
});
