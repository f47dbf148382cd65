import type { DirectoryIndex } from '../directory/directoryIndex';
import { fold, tokenize, tokenizeWithOriginal } from '../language/text';
import { COMMON_WORDS } from '../language/vocabulary';
import { buildPhrases } from '../understanding/lexicon';
import { PhraseMatcher, makePhrase, selectNonOverlapping, type EntityKind, type Phrase } from '../understanding/phraseMatcher';
import type { EventKind, Material, ProcessRole } from './model';
import { isEmptyFilter, type EventFilter } from './subscriptions';

/**
 * Ways of naming the process roles that courses target, in bokmål, nynorsk
 * and English. Inflected forms ("prosjektøkonomer", "innkjøparar") and typos
 * are matched as in directory questions; nynorsk forms are listed because a
 * nynorsk ending can look like an inflection of another word ("innkjøpar" is
 * not "innkjøp" + "ar").
 */
const PROCESS_ROLE_PHRASES: Record<ProcessRole, string[]> = {
  prosjektokonom: ['prosjektøkonom', 'prosjektøkonomar', 'project accountant', 'project economist', 'project finance officer', 'project controller'],
  soknadsregistrerer: ['søknadsregistrerer', 'søknadsregistrerar', 'application registrar', 'grant application registrar', 'applications registrar'],
  kostnadsgodkjenner: ['kostnadsgodkjenner', 'kostnadsgodkjennar', 'cost approver', 'expense approver'],
  innkjoper: ['innkjøper', 'innkjøpar', 'innkjøparar', 'innkjøparane', 'buyer', 'purchaser'],
  fagrekvirent: ['fagrekvirent', 'fagrekvirentar', 'requisitioner', 'requisitioning officer'],
  fakturaansvarlig: ['fakturaansvarlig', 'fakturaansvarleg', 'fakturaansvarlige', 'fakturaansvarlege', 'invoice owner', 'invoice manager', 'invoicing officer'],
  salgsordreoppretter: ['salgsordreoppretter', 'salgsordreopprettar', 'salsordreopprettar', 'sales order creator', 'sales-order creator'],
};

/**
 * Ways of naming the kinds of event. "kurs" alone names refresher courses too
 * (see KIND_INCLUDES); short words are listed with their inflections because
 * words of four letters or fewer must be typed exactly.
 */
const EVENT_KIND_PHRASES: Record<EventKind, string[]> = {
  kurs: ['kurs', 'kurset', 'kursa', 'kursene', 'kursane', 'kurser', 'course'],
  oppfriskningskurs: ['oppfriskningskurs', 'oppfriskingskurs', 'oppfriskning', 'oppfrisking', 'refresher course', 'refresher'],
  fagkafe: ['fagkafé', 'fagkaffe', 'kafé', 'kafeen', 'kafeer', 'kafear', 'café', 'cafés', 'cafe', 'cafes'],
  sporretime: ['spørretime', 'spørjetime', 'spørjetimar', 'q&a', 'q & a', 'q and a', 'qa', 'questions and answers', 'question time'],
  samarbeidsmote: ['samarbeidsmøte', 'samarbeidsmøta', 'collaboration meeting', 'cooperation meeting'],
};

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

/** The readable announcement id, as the coordinator types it in "legg til opptak KU-2026-0007 …". */
const EVENT_ID = /\b([A-Z]{2,3})-(\d{4})-(\d{1,6})\b/i;
const URL = /\bhttps?:\/\/[^\s<>"]+/i;

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
  tokenize('opptak opptaket opptaka opptakene recording recordings video lysbilder lysbildene lysark slides presentasjon materiell materials finn find vis show fra om sist siste forrige last previous the of from'),
);

/**
 * The words of one directory version for events: process names (as in
 * directory questions), process roles and kinds of event. Built once per
 * directory version.
 */
export class EventVocabulary {
  private static readonly cache = new WeakMap<DirectoryIndex, EventVocabulary>();
  private readonly matcher: PhraseMatcher;

  private constructor(index: DirectoryIndex) {
    const processes = buildPhrases(index.directory).filter((phrase) => phrase.kind === 'process');
    this.matcher = new PhraseMatcher([...processes, ...phrasesFor('process-role', PROCESS_ROLE_PHRASES), ...phrasesFor('event-kind', EVENT_KIND_PHRASES)]);
  }

  static for(index: DirectoryIndex): EventVocabulary {
    let vocabulary = EventVocabulary.cache.get(index);
    if (!vocabulary) {
      vocabulary = new EventVocabulary(index);
      EventVocabulary.cache.set(index, vocabulary);
    }
    return vocabulary;
  }

  read(text: string): EventMention {
    const tokens = tokenizeWithOriginal(text);
    const matches = selectNonOverlapping(this.matcher.match(tokens));
    const codes = (kind: EntityKind) => [...new Set(matches.filter((match) => match.phrase.kind === kind).map((match) => match.phrase.code))];
    const kinds = (codes('event-kind') as EventKind[]).flatMap((kind) => KIND_INCLUDES[kind] ?? [kind]);
    return {
      filter: { kinds: [...new Set(kinds)], processes: codes('process'), roles: codes('process-role') as ProcessRole[] },
      words: tokens.map((token) => token.folded).filter((word) => !COMMON_WORDS.has(word) && !SEARCH_STOP_WORDS.has(word)),
    };
  }
}

function phrasesFor(kind: EntityKind, names: Record<string, string[]>): Phrase[] {
  const phrases = new Map<string, Phrase>();
  for (const [code, texts] of Object.entries(names)) {
    for (const text of texts) {
      const tokens = tokenize(text);
      if (tokens.length > 0) phrases.set(`${code} ${tokens.join(' ')}`, makePhrase(kind, code, tokens, 'name'));
    }
  }
  return [...phrases.values()];
}

/**
 * Recognises the events commands and questions of the chat: process roles
 * ("jeg er prosjektøkonom"), subscriptions ("abonner på fagkaféer for Btb",
 * "mine abonnementer", "avslutt abonnement"), upcoming events ("neste fagkafé
 * for Btb"), recordings ("opptak fra fagkaféen om EU-søknader") and, for
 * coordinators, adding them ("legg til opptak KU-2026-0007 https://…").
 */
export function parseEventCommand(text: string, vocabulary: EventVocabulary): EventCommand | null {
  const folded = fold(text).replace(/[^a-z0-9&]+/g, ' ').trim();
  const mention = vocabulary.read(text);
  const { filter } = mention;

  const searched = RECORDING.test(folded) ? 'recording' : SLIDES.test(folded) ? 'slides' : null;
  const material = searched ?? (OTHER_MATERIAL.test(folded) ? 'other' : null);
  if (material && ADD.test(folded) && (searched || URL.test(text))) {
    const id = EVENT_ID.exec(text);
    const url = URL.exec(text)?.[0] ?? null;
    const title = url ? text.slice(text.indexOf(url) + url.length).trim() || null : null;
    // "ku-2026-7" is KU-2026-0007, as the ids are written.
    const normalised = id ? `${(id[1] ?? '').toUpperCase()}-${id[2]}-${(id[3] ?? '').padStart(4, '0')}` : null;
    return { kind: 'add-material', id: normalised, material, url, title };
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
