import { DateTime } from 'luxon';
import type { DirectoryIndex } from '../directory/directoryIndex';
import { OSLO_ZONE, inOslo } from '../core/osloTime';
import { EVENT_KINDS, PROCESS_ROLES, type Announcement, type Audience, type ChannelTarget, type EventKind, type ProcessRole } from './model';

export const ANNOUNCEMENT_LIMITS = { title: 120, description: 2000, place: 200, url: 1000 } as const;

/** The form's inputs, by their ids on the card. */
export const ANNOUNCEMENT_FIELDS = [
  'kind',
  'title',
  'description',
  'startDate',
  'startTime',
  'endDate',
  'endTime',
  'place',
  'meetingUrl',
  'registrationUrl',
  'everyone',
  'roles',
  'processes',
  'units',
  'channels',
  'sendMode',
  'sendDate',
  'sendTime',
] as const;
export type AnnouncementField = (typeof ANNOUNCEMENT_FIELDS)[number];

export type AnnouncementProblem =
  | 'required'
  | 'too-long'
  | 'unknown-choice'
  | 'invalid-date'
  | 'invalid-time'
  | 'nonexistent-time'
  | 'in-the-past'
  | 'end-before-start'
  | 'place-or-link'
  | 'invalid-url'
  | 'no-audience'
  | 'unknown-channel'
  | 'send-after-start';

export type AnnouncementProblems = Partial<Record<AnnouncementField, AnnouncementProblem>>;

/** The form as submitted: every value is text (or missing) until validated. */
export type RawAnnouncementForm = Partial<Record<AnnouncementField, unknown>>;
/** The form's values as text, exactly as the coordinator will see them again. */
export type AnnouncementFormValues = Record<AnnouncementField, string>;

export const SEND_MODES = ['now', 'later'] as const;

/** What the event is: everything the recipients' card shows. */
export interface EventDetails {
  kind: EventKind;
  title: string;
  description: string;
  startsAt: string;
  endsAt: string;
  place: string | null;
  meetingUrl: string | null;
  registrationUrl: string | null;
}

/** Who gets the announcement, where, and when it goes out. Fixed once sending has begun. */
export interface Distribution {
  audience: Audience;
  channels: ChannelTarget[];
  /** null: at once when confirmed. */
  sendAt: string | null;
}

export interface ValidationContext {
  now: Date;
  index: DirectoryIndex;
  /** The channels where the bot is installed: the only ones it can post in. */
  channels: readonly ChannelTarget[];
  /** false: the form has only the event's details (after sending began, recipients and send time are fixed). */
  withDistribution: boolean;
}

export type AnnouncementValidation =
  | { ok: true; details: EventDetails; distribution: Distribution | null; values: AnnouncementFormValues }
  | { ok: false; problems: AnnouncementProblems; values: AnnouncementFormValues };

/** A send time in the minute just begun is "now", not the past: the form has no seconds. */
const SEND_TIME_GRACE_MS = 60_000;

/** The values of a new, empty form. */
export const NEW_FORM_VALUES: AnnouncementFormValues = {
  ...(Object.fromEntries(ANNOUNCEMENT_FIELDS.map((field) => [field, ''])) as AnnouncementFormValues),
  everyone: 'false',
  sendMode: 'now',
};

/** The submitted values as text, trimmed. */
export function announcementValues(raw: RawAnnouncementForm): AnnouncementFormValues {
  return Object.fromEntries(ANNOUNCEMENT_FIELDS.map((field) => [field, text(raw[field])])) as AnnouncementFormValues;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

/** A multi-select's value: Adaptive Cards send the chosen values comma-separated. */
function choices(value: string): string[] {
  return [
    ...new Set(
      value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    ),
  ];
}

/**
 * Checks a submitted announcement form. Every field is checked at once so the
 * card can mark all problems together, and the values come back as typed.
 */
export function validateAnnouncement(raw: RawAnnouncementForm, context: ValidationContext): AnnouncementValidation {
  const values = announcementValues(raw);
  const problems: AnnouncementProblems = {};

  if (!values.kind) problems.kind = 'required';
  else if (!(EVENT_KINDS as readonly string[]).includes(values.kind)) problems.kind = 'unknown-choice';
  for (const field of ['title', 'description'] as const) {
    if (!values[field]) problems[field] = 'required';
    else if (values[field].length > ANNOUNCEMENT_LIMITS[field]) problems[field] = 'too-long';
  }

  const start = instantOf(values.startDate, values.startTime, 'startDate', 'startTime', problems);
  // A course within one day is the common case: the end date may be left out.
  const end = instantOf(values.endDate || values.startDate, values.endTime, values.endDate ? 'endDate' : 'startDate', 'endTime', problems);
  if (start && start.getTime() <= context.now.getTime()) problems.startDate = 'in-the-past';
  if (start && end && end.getTime() <= start.getTime()) problems.endTime = 'end-before-start';

  if (values.place.length > ANNOUNCEMENT_LIMITS.place) problems.place = 'too-long';
  for (const field of ['meetingUrl', 'registrationUrl'] as const) {
    if (values[field].length > ANNOUNCEMENT_LIMITS.url) problems[field] = 'too-long';
    else if (values[field] && !isWebAddress(values[field])) problems[field] = 'invalid-url';
  }
  if (!values.place && !values.meetingUrl) {
    problems.place = 'place-or-link';
    problems.meetingUrl = 'place-or-link';
  }

  const distribution = context.withDistribution ? checkDistribution(values, context, start, problems) : null;

  if (Object.keys(problems).length > 0 || !start || !end) return { ok: false, problems, values };
  return {
    ok: true,
    values,
    distribution,
    details: {
      kind: values.kind as EventKind,
      title: values.title,
      description: values.description,
      startsAt: start.toISOString(),
      endsAt: end.toISOString(),
      place: values.place || null,
      meetingUrl: values.meetingUrl || null,
      registrationUrl: values.registrationUrl || null,
    },
  };
}

function checkDistribution(values: AnnouncementFormValues, context: ValidationContext, start: Date | null, problems: AnnouncementProblems): Distribution {
  const everyone = values.everyone === 'true';
  const roles = choices(values.roles);
  const processes = choices(values.processes);
  const units = choices(values.units);
  if (roles.some((role) => !(PROCESS_ROLES as readonly string[]).includes(role))) problems.roles = 'unknown-choice';
  if (processes.some((code) => !context.index.process(code))) problems.processes = 'unknown-choice';
  if (units.some((code) => !context.index.unit(code))) problems.units = 'unknown-choice';

  const known = new Map(context.channels.map((channel) => [channel.conversationId, channel]));
  const chosen = choices(values.channels);
  const channels = chosen.flatMap((id) => known.get(id) ?? []);
  if (channels.length < chosen.length) problems.channels = 'unknown-channel';
  if (!everyone && roles.length + processes.length + units.length + chosen.length === 0) {
    problems.everyone = 'no-audience';
    problems.channels = 'no-audience';
  }

  let sendAt: Date | null = null;
  const sendMode = values.sendMode || 'now';
  if (!(SEND_MODES as readonly string[]).includes(sendMode)) problems.sendMode = 'unknown-choice';
  if (sendMode === 'later') {
    sendAt = instantOf(values.sendDate, values.sendTime, 'sendDate', 'sendTime', problems);
    if (sendAt && sendAt.getTime() < context.now.getTime() - SEND_TIME_GRACE_MS) problems.sendDate = 'in-the-past';
    else if (sendAt && start && sendAt.getTime() >= start.getTime()) problems.sendDate = 'send-after-start';
  }
  return {
    // Everyone includes every narrower choice, so those are not kept beside it.
    audience: everyone ? { everyone, roles: [], processes: [], units: [] } : { everyone, roles: roles as ProcessRole[], processes, units },
    channels,
    sendAt: sendAt?.toISOString() ?? null,
  };
}

/** The instant of a date and time field pair, or null with the problem marked on the field it concerns. */
function instantOf(date: string, time: string, dateField: AnnouncementField, timeField: AnnouncementField, problems: AnnouncementProblems): Date | null {
  // Each field on its own first, so a bad date does not hide a bad time.
  if (!date) problems[dateField] ??= 'required';
  else if (!isDate(date)) problems[dateField] ??= 'invalid-date';
  if (!time) problems[timeField] ??= 'required';
  else if (!clockOf(time)) problems[timeField] ??= 'invalid-time';
  if (problems[dateField] || problems[timeField]) return null;
  const result = osloInstant(date, time);
  if (result.kind === 'ok') return result.instant;
  problems[timeField] = 'nonexistent-time';
  return null;
}

function isDate(date: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) && DateTime.fromISO(date, { zone: 'utc' }).isValid;
}

/** "HH:mm" (Teams sends no seconds; ":00" is allowed) as hour and minute. */
function clockOf(time: string): { hour: string; minute: string } | null {
  const clock = /^(\d{1,2}):(\d{2})(?::00)?$/.exec(time);
  if (!clock || Number(clock[1]) > 23 || Number(clock[2]) > 59) return null;
  return { hour: (clock[1] ?? '').padStart(2, '0'), minute: clock[2] ?? '' };
}

export type OsloInstant = { kind: 'ok'; instant: Date } | { kind: 'invalid-date' | 'invalid-time' | 'nonexistent' };

/**
 * The instant a Norwegian wall-clock date (yyyy-MM-dd) and time (HH:mm) name.
 * When summer time starts the clock jumps from 02:00 to 03:00, so 02:30 that
 * night does not exist: refused rather than silently moved. When it ends,
 * 02:00–02:59 happens twice: the first occurrence (still summer time) is
 * meant, as iCalendar reads such times (RFC 5545, 3.3.5).
 */
export function osloInstant(date: string, time: string): OsloInstant {
  if (!isDate(date)) return { kind: 'invalid-date' };
  const clock = clockOf(time);
  if (!clock) return { kind: 'invalid-time' };
  const wallClock = `${date}T${clock.hour}:${clock.minute}`;
  // The wall-clock reading taken as if it were UTC; the real instant is that minus Oslo's offset at the time.
  const asUtc = DateTime.fromISO(wallClock, { zone: 'utc' });
  const nearbyOffsets = new Set([-12, 12].map((hours) => asUtc.plus({ hours }).setZone(OSLO_ZONE).offset));
  const matches = [...nearbyOffsets]
    .map((offset) => asUtc.minus({ minutes: offset }).setZone(OSLO_ZONE))
    .filter((candidate) => candidate.toFormat("yyyy-MM-dd'T'HH:mm") === wallClock)
    .map((candidate) => candidate.toMillis())
    .sort((a, b) => a - b);
  const first = matches[0];
  return first === undefined ? { kind: 'nonexistent' } : { kind: 'ok', instant: new Date(first) };
}

/** A web address someone can open: http(s) with a host. */
function isWebAddress(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.length > 0 && !/\s/.test(value);
  } catch {
    return false;
  }
}

/** A stored announcement as the form shows it again, in Norwegian wall-clock time. */
export function announcementFormValues(announcement: Announcement): AnnouncementFormValues {
  const start = inOslo(announcement.startsAt);
  const end = inOslo(announcement.endsAt);
  const send = announcement.sendAt ? inOslo(announcement.sendAt) : null;
  return {
    kind: announcement.kind,
    title: announcement.title,
    description: announcement.description,
    startDate: start.toISODate() ?? '',
    startTime: start.toFormat('HH:mm'),
    endDate: end.toISODate() ?? '',
    endTime: end.toFormat('HH:mm'),
    place: announcement.place ?? '',
    meetingUrl: announcement.meetingUrl ?? '',
    registrationUrl: announcement.registrationUrl ?? '',
    everyone: String(announcement.audience.everyone),
    roles: announcement.audience.roles.join(','),
    processes: announcement.audience.processes.join(','),
    units: announcement.audience.units.join(','),
    channels: announcement.channels.map((channel) => channel.conversationId).join(','),
    sendMode: send ? 'later' : 'now',
    sendDate: send?.toISODate() ?? '',
    sendTime: send?.toFormat('HH:mm') ?? '',
  };
}
