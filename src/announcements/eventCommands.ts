import { tokenize } from '../language/text';
import { COMMON_WORDS } from '../language/vocabulary';
import type { MessageReading } from '../understanding/readMessage';
import type { EventKind, Material, ProcessRole } from './model';
import { isEmptyFilter, type EventFilter } from './subscriptions';

/** A course in general includes the refresher courses. */
const KIND_INCLUDES: Partial<Record<EventKind, EventKind[]>> = { kurs: ['kurs', 'oppfriskningskurs'] };

/** What a chat message asks of the events capability, if anything. */
export type EventCommand =
  | { kind: 'state-roles'; roles: ProcessRole[] }
  | { kind: 'drop-roles'; roles: ProcessRole[] }
  | { kind: 'subscribe'; filter: EventFilter }
  | { kind: 'unsubscribe'; filter: EventFilter | null }
  | { kind: 'settings' }
  | { kind: 'upcoming'; filter: EventFilter; next: boolean }
  | { kind: 'past'; filter: EventFilter; words: string[] }
  | { kind: 'add-material'; id: string | null; material: Material['kind']; url: string | null; title: string | null };

/** Kinds, processes and roles a message names, and its words for searching titles. */
export interface EventMention {
  filter: EventFilter;
  /** The folded words of the message without function words and search verbs ("opptak", "fra"). */
  words: string[];
}

const SUBSCRIBE = /\b(abonner\w*|subscribe\w*)\b/;
/** Weaker words that ask for news only when the message is about events ("follow up" is a directory matter). */
const FOLLOW = /\b(folg|follow|varsle meg|varsl meg|gi meg beskjed|notify me|keep me posted)\b/;
const UNSUBSCRIBE = /\b(avslutt\w*|stopp|stop|slutt\w*|avmeld\w*|meld (meg )?av|unsubscribe\w*|cancel|fjern|slett|ikke lenger|ikkje lenger|no longer)\b/;
const ABOUT_SUBSCRIPTIONS = /\b(abonn\w*|subscri\w*|unsubscri\w*|varsl\w*|notification\w*)\b/;
const SETTINGS = [
  /\b(mine|mitt|mi|my)\s+(abonnement\w*|subscriptions?|varsl\w*|notifications?|roller|rolle|roles?)\b/,
  /\b(hva|kva|what|which|hvilke|kva for)\b.*\b(abonnerer|abonnerar|abonnert|subscribed|subscribe|subscriptions?)\b/,
  /\b(innstillinger|innstillingar|settings|preferences)\b.*\b(varsl\w*|abonn\w*|kunngj\w*|notifications?|subscriptions?|arrangement\w*|events?)\b/,
  /\b(varsl\w*|abonn\w*|notification|subscription|event)\s*(innstillinger|innstillingar|settings|preferences)\b/,
  /^(abonnement\w*|subscriptions?)$/,
];
const I_AM = [
  /\b(jeg|eg)\s+(er|e)\b/,
  /\bi\s+(am|m)\b/,
  /\b(jobber|jobbar|arbeider|arbeidar|work|works|working)\s+(som|as)\b/,
  /\b(min|mi|mine|my)\s+(rolle|rolla|roller|rollene|rollane|role|roles)\s+(er|is|are)\b/,
  /\b(jeg|eg|i)\s+(har|have)\s+(rollen|rolla|rollene|rollane|the role)\b/,
];
const NEGATION = /\b(ikke|ikkje|not|no longer|lenger)\b/;
const QUESTION = /^(hvem|hva|hvilken|hvilke|hvor|hvordan|nar|kven|kva|kvar|korleis|who|what|which|where|how|when|er jeg|er eg|am i)\b/;
const ADD = /\b(legg til|legge til|legg inn|add|attach)\b/;
const RECORDING = /\b(opptak\w*|recording\w*|video\w*)\b/;
const SLIDES = /\b(lysbild\w*|lysark\w*|foiler|slides?|presentasjon\w*|presentation\w*)\b/;
/** Other material is only ever added, never asked for: "materiell" is too common a word to mean a search. */
const OTHER_MATERIAL = /\b(materiell\w*|materials?|dokument\w*|documents?|lenke|link)\b/;
const ASKS_WHO = /^(hvem|kven|who)\b/;
/** Not "var" (was): it is also "vår" (our) once folded. */
const PAST = /\b(har vaert|har vore|tidligere|tidlegare|forrige|sist|siste|i fjor|past|previous|last|earlier|held|arkiv\w*|archive\w*)\b/;
const NEXT = /\b(neste|nesta|forstkommende|forstkomande|next|soonest)\b/;
const GENERIC_EVENT = /\b(arrangement\w*|events?|hendelse\w*|hending\w*|kalender\w*|calendar)\b/;
/** Words of a search that say what is wanted rather than which event: "opptak fra …". */
const SEARCH_STOP_WORDS = new Set(
  tokenize(
    'opptak opptaket opptaka opptakene recording recordings video lysbilder lysbildene lysark slides presentasjon materiell materials finn find vis show fra om sist siste forrige last previous the of from',
  ),
);

/** The kinds, processes and roles a message names (a course in general includes the refresher courses), and its search words. */
export function eventMention(reading: MessageReading): EventMention {
  const kinds = reading.eventKinds.flatMap((kind) => KIND_INCLUDES[kind] ?? [kind]);
  return {
    filter: { kinds: [...new Set(kinds)], processes: reading.processes, roles: reading.processRoles },
    words: reading.words.split(' ').filter((word) => word !== '' && !COMMON_WORDS.has(word) && !SEARCH_STOP_WORDS.has(word)),
  };
}

/**
 * Recognises the events commands and questions of the chat: process roles
 * ("jeg er prosjektøkonom"), subscriptions ("abonner på fagkaféer for Btb",
 * "mine abonnementer", "avslutt abonnement"), upcoming events ("neste fagkafé
 * for Btb"), recordings ("opptak fra fagkaféen om EU-søknader") and, for
 * coordinators, adding them ("legg til opptak KU-2026-0007 https://…").
 */
export function parseEventCommand(reading: MessageReading): EventCommand | null {
  const { text, words: folded } = reading;
  const mention = eventMention(reading);
  const { filter } = mention;

  const searched = RECORDING.test(folded) ? 'recording' : SLIDES.test(folded) ? 'slides' : null;
  const material = searched ?? (OTHER_MATERIAL.test(folded) ? 'other' : null);
  if (material && ADD.test(folded) && (searched || reading.url)) {
    return { kind: 'add-material', id: reading.itemId, material, url: reading.url?.href ?? null, title: reading.url?.after ?? null };
  }
  if (UNSUBSCRIBE.test(folded) && ABOUT_SUBSCRIPTIONS.test(folded)) return { kind: 'unsubscribe', filter: isEmptyFilter(filter) ? null : filter };
  const aboutEvents = filter.kinds.length > 0 || GENERIC_EVENT.test(folded);
  // Before the settings: "mine roller er …" states roles rather than asking for them.
  if (filter.roles.length > 0 && !aboutEvents && I_AM.some((pattern) => pattern.test(folded)) && !QUESTION.test(folded) && !text.includes('?')) {
    return NEGATION.test(folded) ? { kind: 'drop-roles', roles: filter.roles } : { kind: 'state-roles', roles: filter.roles };
  }
  if (SETTINGS.some((pattern) => pattern.test(folded))) return { kind: 'settings' };
  if (SUBSCRIBE.test(folded) || (FOLLOW.test(folded) && aboutEvents)) return isEmptyFilter(filter) ? { kind: 'settings' } : { kind: 'subscribe', filter };
  // "hvem holder kurset?" asks the directory about a person, not for a list of events.
  if (ASKS_WHO.test(folded)) return null;
  if (searched || (aboutEvents && PAST.test(folded))) return { kind: 'past', filter, words: mention.words };
  if (aboutEvents) return { kind: 'upcoming', filter, next: NEXT.test(folded) };
  return null;
}
