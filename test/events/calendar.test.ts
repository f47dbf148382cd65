import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { announcementCalendar } from '../../src/announcements/calendar';
import { eventTexts } from '../../src/i18n';
import { announcement } from './fixtures';

const texts = eventTexts('nb').calendar;

/** The event of an .ics file as a calendar program reads it. */
function readEvent(ics: string): ICAL.Event {
  const calendar = ICAL.Component.fromString(ics);
  const vevent = calendar.getFirstSubcomponent('vevent');
  if (!vevent) throw new Error('no VEVENT');
  return new ICAL.Event(vevent);
}

describe('the .ics file of an event', () => {
  it('is valid iCalendar: CRLF lines of at most 75 octets, the required properties, escaped text', () => {
    const ics = announcementCalendar(
      announcement({
        title: 'Fagkafé; innkjøp, varemottak og fakturaer',
        description: `Første linje\nAndre linje med æøå ${'og mer tekst '.repeat(12)}\\ slutt`,
        meetingUrl: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0?context=a,b;c',
        registrationUrl: 'https://nettskjema.example/a/123',
      }),
      texts,
    );
    expect(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:')).toBe(true);
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const lines = ics.split('\r\n').slice(0, -1);
    for (const line of lines) expect(Buffer.byteLength(line, 'utf8'), line).toBeLessThanOrEqual(75);
    // Folding happened, and never inside a UTF-8 character.
    expect(lines.some((line) => line.startsWith(' '))).toBe(true);
    expect(ics).not.toContain('\uFFFD');
    expect(ics).toContain('SUMMARY:Fagkafé\\; innkjøp\\, varemottak og fakturaer');
    for (const property of ['UID:KU-2026-0007@', 'DTSTAMP:20260201T090000Z', 'DTSTART:', 'DTEND:', 'DESCRIPTION:', 'LOCATION:', 'URL', 'STATUS:CONFIRMED', 'METHOD:PUBLISH']) {
      expect(ics).toContain(property);
    }

    const event = readEvent(ics);
    expect(event.uid).toBe('KU-2026-0007@okonomi-og-lonn.ntnu.no');
    expect(event.summary).toBe('Fagkafé; innkjøp, varemottak og fakturaer');
    expect(event.description).toContain('Første linje\nAndre linje med æøå');
    expect(event.description).toContain('\\ slutt');
    expect(event.description).toContain('Påmelding: https://nettskjema.example/a/123');
    expect(event.location).toBe('Rom R9, Realfagbygget');
    // The link survives as it was meant, its commas and semicolons percent-encoded rather than backslashed.
    expect(event.component.getFirstPropertyValue('url')).toBe('https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0?context=a%2Cb%3Bc');
  });

  it('is right in Oslo time on both sides of the summer-time changes', () => {
    const cases = [
      // The last Sunday of March: summer time from 02:00. 10:00 in Oslo is 08:00 UTC.
      { startsAt: '2026-03-29T08:00:00.000Z', endsAt: '2026-03-29T09:00:00.000Z', dtstart: 'DTSTART:20260329T080000Z', osloHour: 10 },
      // The day before, still winter time: 10:00 in Oslo is 09:00 UTC.
      { startsAt: '2026-03-28T09:00:00.000Z', endsAt: '2026-03-28T10:00:00.000Z', dtstart: 'DTSTART:20260328T090000Z', osloHour: 10 },
      // The last Sunday of October: back to winter time at 03:00. 10:00 in Oslo is 09:00 UTC.
      { startsAt: '2026-10-25T09:00:00.000Z', endsAt: '2026-10-25T10:00:00.000Z', dtstart: 'DTSTART:20261025T090000Z', osloHour: 10 },
    ];
    for (const { startsAt, endsAt, dtstart, osloHour } of cases) {
      const ics = announcementCalendar(announcement({ startsAt, endsAt }), texts);
      expect(ics).toContain(dtstart);
      const start = readEvent(ics).startDate.toJSDate();
      expect(start.toISOString()).toBe(startsAt);
      const oslo = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Oslo', hour: 'numeric', hourCycle: 'h23' }).format(start);
      expect(Number(oslo)).toBe(osloHour);
    }
  });

  it('gives an archived event its Norwegian date as an all-day event', () => {
    // Stored as Oslo midnight, which is the evening before in UTC.
    const ics = announcementCalendar(announcement({ allDay: true, startsAt: '2023-09-04T22:00:00.000Z', endsAt: '2023-09-05T22:00:00.000Z', state: 'archived' }), texts);
    expect(ics).toContain('DTSTART;VALUE=DATE:20230905');
    expect(ics).toContain('DTEND;VALUE=DATE:20230906');
  });

  it('marks a cancelled event cancelled, and says so in the title for calendars that ignore the status', () => {
    const ics = announcementCalendar(announcement({ state: 'cancelled', updatedAt: '2026-02-03T09:00:00.000Z' }), texts);
    expect(ics).toContain('STATUS:CANCELLED');
    expect(ics).toContain('SUMMARY:AVLYST: Fagkafé om varemottak');
    // Calendars take the higher sequence as the newer version of the same event.
    expect(readEvent(ics).sequence).toBe(2 * 24 * 60 * 60);
  });

  it('names a Teams meeting as the place when there is no room', () => {
    const ics = announcementCalendar(announcement({ place: null, meetingUrl: 'https://teams.microsoft.com/l/meetup-join/x' }), texts);
    const event = readEvent(ics);
    expect(event.location).toBe('Microsoft Teams-møte');
    expect(event.description).toContain('Teams-møte: https://teams.microsoft.com/l/meetup-join/x');
  });
});
