import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { inOslo } from '../core/osloTime';
import type { Announcement } from './model';

/** The words the calendar file adds around the announcement's own text. */
export interface CalendarTexts {
  meeting: (url: string) => string;
  registration: (url: string) => string;
  /** Before the title of a cancelled event, for calendars that do not show STATUS:CANCELLED. */
  cancelledPrefix: string;
  teamsMeeting: string;
}

/** UIDs must be unique worldwide and stable across updates; the announcement id is, within this app. */
const UID_DOMAIN = 'okonomi-og-lonn.ntnu.no';

/**
 * The announcement as an iCalendar file (RFC 5545) with one event.
 *
 * ical-generator does the structure, text escaping and folding at 75 octets.
 * Times are written in UTC (DTSTART:…Z): every calendar shows them in the
 * reader's own zone, so summer time needs no VTIMEZONE. (Its TZID mode writes
 * DTSTAMP without the Z that RFC 5545 requires, so it is not used.) Two gaps
 * of the library are closed here: URI values are text-escaped by it, so
 * commas and semicolons in links are percent-encoded first; and the last line
 * is given the CRLF every content line ends with.
 */
export function announcementCalendar(announcement: Announcement, texts: CalendarTexts): string {
  const calendar = ical({
    prodId: { company: 'NTNU', product: 'Okonomi og lonn', language: 'NB' },
    method: ICalCalendarMethod.PUBLISH,
  });
  const cancelled = announcement.state === 'cancelled';
  const link = announcement.meetingUrl ?? announcement.registrationUrl;
  const description = [
    announcement.description,
    announcement.meetingUrl ? texts.meeting(announcement.meetingUrl) : null,
    announcement.registrationUrl ? texts.registration(announcement.registrationUrl) : null,
  ].filter((part): part is string => Boolean(part));
  calendar.createEvent({
    id: `${announcement.id}@${UID_DOMAIN}`,
    // Calendars replace an event they have when the sequence grows; every saved change moves updatedAt on.
    sequence: sequenceOf(announcement),
    stamp: new Date(announcement.updatedAt),
    ...(announcement.allDay ? allDayRange(announcement) : { start: new Date(announcement.startsAt), end: new Date(announcement.endsAt) }),
    summary: `${cancelled ? texts.cancelledPrefix : ''}${announcement.title}`,
    description: description.join('\n\n'),
    location: announcement.place ?? (announcement.meetingUrl ? texts.teamsMeeting : null),
    url: link ? uriValue(link) : null,
    status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  });
  const text = calendar.toString();
  return text.endsWith('\r\n') ? text : `${text}\r\n`;
}

/** Whole seconds from creation to the last change: grows with every change, as SEQUENCE must. */
function sequenceOf(announcement: Announcement): number {
  return Math.max(0, Math.floor((Date.parse(announcement.updatedAt) - Date.parse(announcement.createdAt)) / 1000));
}

/**
 * An all-day event is a range of Norwegian dates. The library writes a DATE
 * from the UTC date of the instant it is given, so it gets midnight UTC of each
 * Oslo date (the stored instants are Oslo midnights, the evening before in UTC).
 */
function allDayRange(announcement: Announcement): { start: Date; end: Date; allDay: true } {
  const utcMidnight = (iso: string) => {
    const date = inOslo(iso);
    return new Date(Date.UTC(date.year, date.month - 1, date.day));
  };
  const start = utcMidnight(announcement.startsAt);
  const end = utcMidnight(announcement.endsAt);
  // DTEND of a DATE is exclusive: an event that ends on its start date lasts that one day.
  return { start, end: end > start ? end : new Date(start.getTime() + 24 * 60 * 60 * 1000), allDay: true };
}

/** Percent-encodes the two characters the library would escape with a backslash inside a URI. */
function uriValue(url: string): string {
  return url.replace(/,/g, '%2C').replace(/;/g, '%3B');
}
