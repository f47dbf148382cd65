import { tokenize } from '../language/text';
import { tokenMatchQuality } from '../understanding/tokenMatch';
import type { EventMention } from './eventCommands';
import type { Announcement, AnnouncementState } from './model';
import { isEmptyFilter, type EventFilter } from './subscriptions';

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

/**
 * Upcoming events for a search box: the kinds, processes and roles the text
 * names filter as in chat ("fagkafé Btb"); text that names none of them must
 * match words of the title, description or place instead ("unit4 kunde",
 * typos and inflections allowed). Empty text lists every upcoming event.
 */
export function searchUpcomingEvents(events: readonly Announcement[], mention: EventMention, now: Date): Announcement[] {
  const upcoming = upcomingEvents(events, mention.filter, now);
  if (!isEmptyFilter(mention.filter) || mention.words.length === 0) return upcoming;
  return upcoming.filter((event) => {
    const eventWords = tokenize([event.title, event.description, event.place ?? '', event.id].join(' '));
    return mention.words.every((word) => eventWords.some((eventWord) => eventWord.startsWith(word) || tokenMatchQuality(word, eventWord) > 0));
  });
}
