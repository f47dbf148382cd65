import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AnnouncementConflictError, TableAnnouncementStore, type NewDraft } from '../../src/announcements/announcementStore';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';

const draft = (overrides: Partial<NewDraft> = {}): NewDraft => ({
  details: {
    kind: 'kurs',
    title: 'Kurs i prosjektsøknadsmodulen',
    description: 'For søknadsregistrerere.',
    startsAt: '2026-12-09T09:00:00.000Z',
    endsAt: '2026-12-09T11:00:00.000Z',
    place: 'Rom R9',
    meetingUrl: null,
    registrationUrl: null,
  },
  distribution: { audience: { everyone: false, roles: ['soknadsregistrerer'], processes: [], units: [] }, channels: [], sendAt: null },
  createdBy: { id: 'aad-gry', name: 'Gry-Lene Johansen', email: 'gry-lene.johansen@ntnu.example' },
  now: new Date('2026-11-27T10:00:00Z'),
  formId: randomUUID(),
  ...overrides,
});

const openStore = () => TableAnnouncementStore.open(testConnectionString(), `${uniqueTablePrefix('ann')}announcements`);

describe('the announcement store', () => {
  it('numbers drafts per year, atomically, even when many are made at once', async () => {
    const store = await openStore();
    const created = await Promise.all(Array.from({ length: 8 }, () => store.createDraft(draft())));
    const ids = created.map((result) => result.stored.announcement.id).sort();
    expect(ids).toEqual(Array.from({ length: 8 }, (_, n) => `KU-2026-${String(n + 1).padStart(4, '0')}`));
    expect(created.every((result) => result.created && result.stored.announcement.state === 'draft')).toBe(true);
    // The year is Norway's: 23:30 UTC on New Year's Eve is already the new year in Oslo.
    const newYear = await store.createDraft(draft({ now: new Date('2026-12-31T23:30:00Z') }));
    expect(newYear.stored.announcement.id).toBe('KU-2027-0001');
  });

  it('finds the draft of a form submitted twice instead of making another', async () => {
    const store = await openStore();
    const form = draft();
    const [first, second] = await Promise.all([store.createDraft(form), store.createDraft(form)]);
    expect(first?.stored.announcement.id).toBe(second?.stored.announcement.id);
    expect([first?.created, second?.created].filter(Boolean)).toHaveLength(1);
    expect((await store.findByForm(form.formId))?.announcement.id).toBe(first?.stored.announcement.id);
    expect(await store.findByForm('never-submitted')).toBeNull();
    expect(await store.list()).toHaveLength(1);
  });

  it('refuses an update based on an older version and lists by state', async () => {
    const store = await openStore();
    const { stored } = await store.createDraft(draft());
    const scheduled = await store.update({ ...stored.announcement, state: 'scheduled', sendAt: '2026-12-01T07:00:00.000Z' }, stored.etag);
    const error = await store.update({ ...stored.announcement, title: 'Stale' }, stored.etag).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AnnouncementConflictError);
    expect((error as AnnouncementConflictError).current.announcement.state).toBe('scheduled');
    await store.createDraft(draft());
    expect((await store.list({ state: 'scheduled' })).map((a) => a.id)).toEqual([scheduled.announcement.id]);
    expect(await store.list({ state: 'draft' })).toHaveLength(1);
  });

  it('answers null for unknown ids, and for text that is no announcement id at all', async () => {
    const store = await openStore();
    expect(await store.get('KU-2026-9999')).toBeNull();
    expect(await store.get("KU/'; DROP")).toBeNull();
  });
});
