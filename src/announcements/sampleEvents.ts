import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { findRepositoryRoot } from '../directory/seedDirectory';
import { OSLO_ZONE } from '../core/osloTime';
import type { AnnouncementStore } from './announcementStore';
import { EVENT_KINDS, PROCESS_ROLES, type Announcement } from './model';

/** Who the samples are by: nobody, so they are never mistaken for a coordinator's. */
export const SAMPLE_AUTHOR: Announcement['createdBy'] = { id: 'sample-data', name: 'Eksempeldata', email: null };

const clock = z.string().regex(/^\d\d:\d\d$/);
const sampleFile = z.object({
  events: z.array(
    z.object({
      kind: z.enum(EVENT_KINDS),
      title: z.string().min(1).max(120),
      description: z.string().min(1).max(2000),
      inDays: z.number().int().min(1).max(60),
      start: clock,
      end: clock,
      place: z.string().nullable(),
      meetingUrl: z.string().url().nullable(),
      audience: z.object({ everyone: z.boolean(), roles: z.array(z.enum(PROCESS_ROLES)), processes: z.array(z.string()), units: z.array(z.string()) }),
    }),
  ),
});

export function sampleEventsFile(): string {
  return path.join(findRepositoryRoot(), 'data', 'sample-events.json');
}

/**
 * In local mode only: makes sure a few upcoming sample events (a course, a fagkafé, a Q&A session) are announced, so
 * "hvilke kurs kommer?" has something to show on a fresh clone. Dated from today; titled "Eksempel:" and by
 * SAMPLE_AUTHOR. Nothing is sent to anyone: they are stored as announced, without a broadcast. Once the samples of an
 * earlier start have ended, a new set is made.
 */
export async function ensureSampleEvents(store: Pick<AnnouncementStore, 'list' | 'createDraft' | 'update'>, now: Date, file = sampleEventsFile()): Promise<number> {
  const existing = await store.list();
  const upcomingSample = existing.some((event) => event.createdBy.id === SAMPLE_AUTHOR.id && event.state === 'sent' && Date.parse(event.endsAt) > now.getTime());
  if (upcomingSample) return 0;
  const { events } = sampleFile.parse(JSON.parse(readFileSync(file, 'utf8')));
  const today = DateTime.fromJSDate(now, { zone: OSLO_ZONE }).startOf('day');
  let created = 0;
  for (const [index, sample] of events.entries()) {
    const day = today.plus({ days: sample.inDays });
    const at = (time: string) => DateTime.fromISO(`${day.toISODate()}T${time}`, { zone: OSLO_ZONE }).toUTC().toISO() as string;
    const { stored, created: isNew } = await store.createDraft({
      details: {
        kind: sample.kind,
        title: sample.title,
        description: sample.description,
        startsAt: at(sample.start),
        endsAt: at(sample.end),
        place: sample.place,
        meetingUrl: sample.meetingUrl,
        registrationUrl: null,
      },
      distribution: { audience: sample.audience, channels: [], sendAt: null },
      createdBy: SAMPLE_AUTHOR,
      now,
      // One set per day of seeding: a restart the same day finds it instead of making another.
      formId: `sample-event:${today.toISODate()}:${index}`,
    });
    if (!isNew || stored.announcement.state !== 'draft') continue;
    await store.update({ ...stored.announcement, state: 'sent' }, stored.etag);
    created += 1;
  }
  return created;
}
