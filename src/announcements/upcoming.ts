import type { Announcement, AnnouncementState } from './model';
import type { EventFilter } from './subscriptions';

/** Announced events: a draft or one scheduled to be announced later is not public yet, a cancelled one is off. */
const ANNOUNCED: ReadonlySet<AnnouncementState> = new Set(['sending', 'sent']);
/** A list in chat stays readable; "hvilke kurs kommer?" rarely has more. */
export const MAX_UPCOMING = 10;

/**
 * The announced events that have not ended, soonest first, filtered by what
 * the question names: a kind, a process (the event must be about it) or a role
 * (the event must be for it, or for everyone).
 */
export function upcomingEvents(events: readonly Announcement[], filter: EventFilter, now: Date): Announcement[] {
  return events
    .filter((event) => ANNOUNCED.has(event.state) && Date.parse(event.endsAt) > now.getTime())
    .filter((event) => filter.kinds.length === 0 || filter.kinds.includes(event.kind))
    .filter((event) => filter.processes.length === 0 || filter.processes.some((process) => event.audience.processes.includes(process)))
    .filter((event) => filter.roles.length === 0 || event.audience.everyone || filter.roles.some((role) => event.audience.roles.includes(role)))
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.id.localeCompare(b.id));
}
