import { beforeAll, describe, expect, it } from 'vitest';
import type { AnnouncementPreview } from '../../src/announcements/announcementService';
import type { Announcement } from '../../src/announcements/model';
import type { DirectoryIndex } from '../../src/directory/directoryIndex';
import { announcementPreviewCard } from '../../src/teams/announcements/announcementCards';
import { seededDirectoryIndex } from '../support/seededDirectory';

/** The coordinator's preview in chat says whom the audience concerns and whom the bot can reach (issue 14). */

const announcement: Announcement = {
  id: 'KU-2026-0014',
  kind: 'kurs',
  title: 'Kurs for innkjøpere',
  description: 'Bestilling i Unit4.',
  startsAt: '2026-12-09T09:00:00.000Z',
  endsAt: '2026-12-09T10:30:00.000Z',
  allDay: false,
  place: 'Gløshaugen',
  meetingUrl: null,
  registrationUrl: null,
  audience: { everyone: false, roles: ['innkjoper'], processes: [], units: [] },
  channels: [],
  sendAt: null,
  state: 'draft',
  createdBy: { id: 'u-ida', name: 'Ida Koordinator', email: 'ida@ntnu.example' },
  createdAt: '2026-12-01T09:00:00.000Z',
  updatedAt: '2026-12-01T09:00:00.000Z',
  broadcastIds: [],
  materials: [],
};

function preview(reach: AnnouncementPreview['reach']): AnnouncementPreview {
  return { announcement, values: {} as AnnouncementPreview['values'], basedOn: announcement.updatedAt, audienceCount: 2, reach, delivered: null };
}

/** The facts of the card's summary, as title → value. */
function facts(card: unknown): Record<string, string> {
  const found: Record<string, string> = {};
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (record.type === 'FactSet') for (const fact of record.facts as { title: string; value: string }[]) found[fact.title] = fact.value;
      Object.values(record).forEach(visit);
    }
  };
  visit(card);
  return found;
}

describe('the announcement preview card', () => {
  let index: DirectoryIndex;
  beforeAll(async () => {
    index = await seededDirectoryIndex();
  });

  it('shows the people of the audience, those reachable now, and those without a chat while installation is off', () => {
    const card = announcementPreviewCard(
      index,
      'nb',
      preview({ people: 5, reachable: 2, needsInstallation: 3, unreachable: 3, installationEnabled: false }),
      (id) => `https://x.example/${id}.ics`,
    );
    expect(facts(card.content)).toMatchObject({
      'Personer i målgruppen': '5 personer',
      'Personlig chat': '2 personer',
      'Uten chat med meg': '3 personer trenger at appen installeres, men automatisk installasjon er slått av, så de nås ikke',
    });
  });

  it('says the app will be installed for them when installation is on, and leaves the line out when everyone has a chat', () => {
    const on = announcementPreviewCard(index, 'en', preview({ people: 5, reachable: 2, needsInstallation: 3, unreachable: 0, installationEnabled: true }), (id) => id);
    expect(facts(on.content)['Without a chat with me']).toBe('3 people: I install the app for them when the announcement is sent');
    const all = announcementPreviewCard(index, 'nn', preview({ people: 2, reachable: 2, needsInstallation: 0, unreachable: 0, installationEnabled: false }), (id) => id);
    expect(Object.keys(facts(all.content))).not.toContain('Utan chat med meg');
    expect(facts(all.content)['Personar i målgruppa']).toBe('2 personar');
  });
});
