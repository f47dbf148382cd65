import { randomUUID } from 'node:crypto';
import type { AnnouncementStore } from '../../src/announcements/announcementStore';
import type { Announcement, Audience, EventKind } from '../../src/announcements/model';

const NOBODY: Audience = { everyone: false, roles: [], processes: [], units: [] };

/** An announcement as the compose side stores it once sent. */
export function announcement(overrides: Partial<Announcement> = {}): Announcement {
  return {
    id: 'KU-2026-0007',
    kind: 'fagkafe',
    title: 'Fagkafé om varemottak',
    description: 'Vi går gjennom varemottak i Unit4.',
    startsAt: '2026-03-29T08:00:00.000Z',
    endsAt: '2026-03-29T09:30:00.000Z',
    allDay: false,
    place: 'Rom R9, Realfagbygget',
    meetingUrl: null,
    registrationUrl: null,
    audience: { ...NOBODY, roles: ['innkjoper'] },
    channels: [],
    sendAt: null,
    state: 'sent',
    createdBy: { id: 'coordinator', name: 'Gry-Lene Johansen', email: 'gry-lene.johansen@ntnu.example' },
    createdAt: '2026-02-01T09:00:00.000Z',
    updatedAt: '2026-02-01T09:00:00.000Z',
    broadcastIds: [],
    materials: [],
    ...overrides,
  };
}

/** Stores an event through the announcement store as composing and sending would leave it. */
export async function storeEvent(
  store: AnnouncementStore,
  event: { kind?: EventKind; title?: string; startsAt: string; endsAt?: string; audience?: Partial<Audience>; state?: Announcement['state'] },
): Promise<Announcement> {
  const endsAt = event.endsAt ?? new Date(Date.parse(event.startsAt) + 60 * 60 * 1000).toISOString();
  const { stored } = await store.createDraft({
    details: {
      kind: event.kind ?? 'kurs',
      title: event.title ?? 'Kurs i prosjektsøknadsmodulen',
      description: 'Gjennomgang for nye brukere.',
      startsAt: event.startsAt,
      endsAt,
      place: null,
      meetingUrl: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0',
      registrationUrl: null,
    },
    distribution: { audience: { ...NOBODY, ...event.audience }, channels: [], sendAt: null },
    createdBy: { id: 'coordinator', name: 'Gry-Lene Johansen', email: 'gry-lene.johansen@ntnu.example' },
    now: new Date(),
    formId: randomUUID(),
  });
  return (await store.update({ ...stored.announcement, state: event.state ?? 'sent' }, stored.etag)).announcement;
}

/** Moves or cancels a stored event as the compose side's update would. */
export async function changeEvent(store: AnnouncementStore, id: string, change: Partial<Announcement>): Promise<Announcement> {
  const stored = await store.get(id);
  if (!stored) throw new Error(`no announcement ${id}`);
  return (await store.update({ ...stored.announcement, ...change, updatedAt: new Date().toISOString() }, stored.etag)).announcement;
}
