import type { EventKind, ProcessRole } from '../announcements/model';
import type { DirectoryIndex } from '../directory/directoryIndex';
import type { UnitKind } from '../directory/model';
import { fold, tokenize, tokenizeWithOriginal, type SourceToken } from '../language/text';
import { writtenLanguageOf } from '../language/detectLanguage';
import { DOMAIN_WORDS } from '../language/vocabulary';
import { GENERIC_UNIT_WORDS, buildPhrases, type SystemCode } from './lexicon';
import { PhraseMatcher, selectNonOverlapping, type PhraseMatch } from './phraseMatcher';
import { UnitNameParts, type UnitPartMatch } from './unitNameParts';

/** Longest message the bot reads; Teams allows far more, but no question is that long. */
export const MAX_MESSAGE_LENGTH = 4000;

/** A web address in a message and the words written after it (a recording's title). */
export interface UrlMention {
  href: string;
  after: string | null;
}

/**
 * What one message says, read once per turn: its normalised words, every
 * entity it names and the cues that tell what it asks. Every capability
 * reads this, never the raw text.
 */
export interface MessageReading {
  /** The message as written, trimmed and at most MAX_MESSAGE_LENGTH long (dates and links are read from it). */
  text: string;
  /** The message's words, folded, separated by single spaces (punctuation dropped). */
  words: string;
  /** The words that name no unit, for telling the language: "Institutt for …" is a name, not bokmål. */
  languageWords: string[];
  /** Units named: the most specific of them (a department before its faculty); several only when the message names unrelated units. */
  units: string[];
  /** Units the message may mean when it names one unclearly ("helsevitenskap", "Ålesund"). */
  unitCandidates: string[];
  /** Words that look like a unit name the directory does not know. */
  unknownUnitText: string | null;
  /** Processes named, the surest first (code or name before an everyday word for it). */
  processes: string[];
  roles: string[];
  /** Process roles that courses target ("prosjektøkonom"), which are not the process of the same name. */
  processRoles: ProcessRole[];
  eventKinds: EventKind[];
  systems: SystemCode[];
  /** FF-2026-0042, normalised. */
  suggestionId: string | null;
  /** KU-2026-0007, normalised. */
  announcementId: string | null;
  /** Any readable id of the form XX-2026-0007, normalised (the coordinator's "legg til opptak KU-…"). */
  itemId: string | null;
  url: UrlMention | null;
  /** "hos oss", "my unit", "min prosessrådgiver", "bruker vi": the asker's own unit. */
  mentionsOwnUnit: boolean;
  asksWho: boolean;
  /** "jeg jobber på IDI", "eg jobbar ved …", "my office is in …". */
  statesOwnUnit: boolean;
  /** "hvilken enhet er jeg registrert på?". */
  asksOwnUnit: boolean;
  /** "hva er Btb?", "what does PER stand for?", "hva gjør en prosessansvarlig?". */
  asksMeaning: boolean;
  /** "hvilken prosess hører reiseregning til?", "which process covers …". */
  asksWhichProcess: boolean;
  /** "på fakultetet", "for the faculty as a whole", "at faculty level": the faculty above a unit already in the conversation. */
  asksFacultyLevel: boolean;
  /** Only a unit, nothing else ("IIK", "Institutt for fysikk"): an answer to "which unit?". */
  onlyUnit: boolean;
  /** "hvor melder jeg feil i Unit4?". */
  reportsError: boolean;
  /** Questions the bot cannot answer from the directory. */
  outOfScope: OutOfScopeTopic | null;
  asksHelp: boolean;
  greets: boolean;
  /** A message that is nothing but thanks ("takk!", "thanks a lot"). */
  thanks: boolean;
  /** "hvilke prosesser finnes?". */
  asksProcessList: boolean;
}

/** One's own pay or money, the weather, asking the bot to buy something. */
export type OutOfScopeTopic = 'own-money' | 'weather' | 'everyday' | 'ordering';

const WHO =
  /\b(hvem|kven|who|whom|whos|(which|hvilken|hvilke|kva for|kva for ein)\s+(\w+\s+){0,3}(\w*radgiver\w*|\w*radgjevar\w*|advisors?|advisers?|managers?|person|people|one)|kontakte?|kontakta|kontakt|contact|sporre|sporje|sporja|ask|henvende|henvende meg|vende meg|reach|ringe|call|email|e post|epost|mail|snakke med|snakka med|talk to|go to|turn to|handles|tek seg av|tar seg av|hjelper|hjelpe|gir rad|gjev rad)\b/;
const OWN_UNIT_STATEMENT = [
  /\b(jeg|eg)\s+er\s+(pa|ved|fra|hos|i)\b/,
  /\bi\s*(am|m)\s+(at|in|from|with)\b/,
  /\b(we|vi)\s*(re|are|er)\s+(at|in|from|with|pa|ved|hos|fra)\b/,
  /\b(min|mi|mitt|my|our|var|vart)\s+(enhet|eining|unit|institutt|avdeling|department|faculty|fakultet|division)\s+(er|is)\b/,
];
/** "endre enheten min": asks to change the unit, with or without naming the new one. */
const CHANGE_OWN_UNIT = /\b(sett|endre|bytt|set|change|update|oppdater|registrer)\b.*\b(enhet|enheten|eining|eininga|unit)\b/;
/** Words that say where someone works; with a unit and the writer as subject, the message states the writer's unit. */
const WORKPLACE =
  /\b(jobber|jobbar|jobba|arbeider|arbeidar|work|works|working|\w*ansatt|\w*tilsett|employed|jobb|jobben|kontor|kontoret|office|hører hjemme|horer hjemme|hoyrer heime|begynt|begynte|byrja|byrjar|starta|startet|started|joined|sitter|sit|horer til|hoyrer til|tilhorer|tilhoyrer|belong|belongs|holder til|held til|based|arbeidsplass\w*|arbeidsstad\w*|workplace)\b/;
const FIRST_PERSON = /\b(jeg|eg|i|me|vi|we|min|mi|mitt|my|our|mine)\b/;
/** A statement may leave out its subject: "jobber på IIF", "Har begynt på IIK i høst". */
const SUBJECTLESS_STATEMENT =
  /^(er|e|jobber|jobbar|arbeider|arbeidar|har begynt|har byrja|begynte|byrja|har nettopp begynt|har nettopp byrja|sitter|sit|holder til|held til|working|just joined|started|ansatt|tilsett)\b/;
const SUPPOSITION = /^(hva|kva|what|how)\s+(om|if|viss|hvis|about if)\b|\b(hvis|viss|dersom|if|suppose|supposing|tenk om)\b/;
const QUESTION_START = /^(hvem|kven|who|hva|kva|what|hvilken|hvilke|kva for|which|hvor|kvar|where|how|hvordan|korleis)\b/;
const ASKS_OWN_UNIT = [
  /\b(hvilken|hvilke|hva|kva|kvar|which|what)\b.*\b(enhet|eining|unit)\b.*\b(jeg|eg|i|min|mi|my|me|meg)\b/,
  /\b(hvilken|hvilke|hva|kva|which|what)\b.*\b(min|mi|my)\s+(enhet|eining|unit)\b/,
  /\bregistrert\b|\bregistered\b/,
  /^(min|mi|my)\s+(enhet|eining|unit)$/,
];
/** The cue patterns match folded words: "does" is written "dos" and "noe" "no" (see fold in language/text.ts). */
const MEANING =
  /\b(hva|kva|what)\s+(er|e|is|s|are|betyr|means?|dos|do|gjor|gjer|star|stands?|slags|heter|heiter)\b|\b(betyr|means?|mean|stand for|stands for|star for|forkortelse\w*|abbreviation|acronym|forklar\w*|explain|describe|beskriv\w*|definer\w*|define|definition|(hva|kva) er (det|dette|den) for (no|noko|noe|slags)|what kind of|hva gar .* ut pa|kva gar .* ut pa|what is .* about|dekker|dekkjer|omfatter|omfattar|inneholder|inneheld|ansvarsomrade\w*|oppgaver|oppgavene|responsibilities|duties)\b/;
const WHICH_PROCESS =
  /\b(hvilken|hvilke|kva|kva for ein|kva for|which|what)\s+(\w+\s+)?(prosess\w*|hovedprosess\w*|hovudprosess\w*|okonomiprosess\w*|process|processes)\b|\b(horer\s+.*\btil|hoyrer\s+.*\b(til|under)|hore til|belongs? to|part of|del av|inn under|falls under|comes under|covers?|heter den|heiter den|called|egen prosess|eigen prosess|own process)\b/;
const ERROR =
  /\b(feil\w*|error\w*|bug\w*|problem\w*|avvik|krasj\w*|kraesj\w*|kresj\w*|(laster|lastar|vil|kan)\s+(ikke|ikkje)|hvit side|kvit side|blank page|won\s*t\s+load|melder (jeg |eg )?fra|melde fra|crash\w*|wrong|fails?|failing|won\s*t\s+let|can\s*t\s+log|cannot\s+log|henger|heng|nede|down|(virker|fungerer|funker|verkar|fungerar)\s+(ikke|ikkje)|not\s+working|dosn\s*t\s+work|dos\s+not\s+work|broken)\b/;
const HELP = /^(hjelp|help|meny|menu|hva kan du|kva kan du|what can you do|hva kan du hjelpe med|kommandoer|commands|start|info)\b/;
const GREETING = /^(hei|hallo|heisann|hoi|god (morgen|dag|kveld)|hi|hello|hey|good (morning|afternoon|evening))\b/;
const THANKS_ONLY =
  /^(tusen takk|mange takk|takk skal du ha|takk for hjelpa?|takk|takker|thanks a lot|thank you very much|thank you|thanks|thx|ty|cheers|flott|supert|perfekt|great|perfect)( (takk|thanks|for (hjelpen|hjelpa|that|the help)|sa mye|so much))*$/;
const PROCESS_LIST =
  /\b(hvilke|hvilken|kva|kor mange|which|what|list|liste|vis|show|oversikt|overview|alle|all)\b.*\b(prosesser|prosessar|prosessane|prosessene|processes|hovedprosesser|hovudprosessar)\b/;

const PAY =
  /\b(lonn|lonna|lonnen|lon|lona|salary|pay|paid|payslip|refundert|utlegg\w*|reiseregning\w*|reiserekning\w*|lonnsslipp\w*|overtime|overtid\w*|wages?|feriepeng\w*|holiday pay|utbetal\w*|payout|payment|refusjon\w*|refund\w*|reimburs\w*|skatt\w*|tax)\b/;
const HOW_MUCH_OR_WHEN =
  /\b(hvor mye|kor mykje|kor mye|how much|nar|when|enna|enno|yet|check|sjekk\w*|included|kommet med|kome med|har jeg fatt|har eg fatt|have i|has my|did i|blir .* utbetalt|er .* betalt)\b/;
const OWN_PAY =
  /\b(min|mi|mitt|mine|my)\s+(\w+\s+)?(lonn\w*|lon|lona|salary|pay|payslip|overtime|overtid\w*|wages?|feriepeng\w*|utbetaling\w*|refusjon\w*)\b|\b(lonnen|lonna|lona|feriepengene|feriepengane|utbetalingen|utbetalinga|utlegget|utlegga|refusjonen|reiseregningen|reiseregninga|reiserekninga)\s+(min|mi|mitt|mine)\b/;
const WEATHER = /\b(vaer|vaeret|veret|vaermelding\w*|vermelding\w*|weather|regn|regner|regnar|snor|temperatur\w*|temperature)\b/;
/** Everyday matters of the campus the bot knows nothing of. */
const EVERYDAY = /\b(parkering\w*|parkere|parking|kantin\w*|canteen|cafeteria|lunsj|lunch|middag|dinner|sport\w*|fotball\w*|football|kamp\w*)\b/;
/** "vær så snill" (please) is not the weather. */
const PLEASE = /\b(vaer|ver) (sa|so) snill\b/g;
const ORDERING =
  /\b(kan|kunne|could|can|would|will|vil)\s+(du|you)\s+(\w+\s+){0,2}(bestille|bestill|kjope|order|buy|purchase|skaffe)\b|^(please\s+)?(bestill|kjop|order|buy|purchase)\b/;

const SUGGESTION_ID = /\bFF-(\d{4})-(\d{1,6})\b/i;
const ANNOUNCEMENT_ID = /\bKU-(\d{4})-(\d{1,6})\b/i;
const ANY_ID = /\b([A-Z]{2,3})-(\d{4})-(\d{1,6})\b/i;
const URL = /\bhttps?:\/\/[^\s<>"]+/i;

/** Reads chat messages for one directory version: one matcher for every entity every capability needs. */
export class MessageReader {
  private readonly matcher: PhraseMatcher;
  private readonly unitParts: UnitNameParts;

  constructor(private readonly index: DirectoryIndex) {
    this.matcher = new PhraseMatcher(buildPhrases(index.directory));
    this.unitParts = new UnitNameParts(index.directory.units);
  }

  read(text: string): MessageReading {
    const tokens = tokenizeWithOriginal(text);
    const words = tokens.map((token) => token.folded).join(' ');
    const cueText = words.replace(PLEASE, ' ');
    const written = writtenLanguageOf(
      tokens.map((token) => token.folded),
      text,
    );
    const allMatches = selectNonOverlapping(this.matcher.match(tokens, written === 'nb' || written === 'nn' || written === 'norwegian'));
    const claimed = new Set<number>();
    for (const match of allMatches) for (let i = match.start; i < match.end; i++) claimed.add(i);
    const matches = inQuestionSentence(allMatches, tokens);

    const codes = (kind: PhraseMatch['phrase']['kind']): string[] => [...new Set(matches.filter((match) => match.phrase.kind === kind).map((match) => match.phrase.code))];
    const processes = surestFirst(matches.filter((match) => match.phrase.kind === 'process'));
    const roles = codes('role');
    const systems = codes('system') as SystemCode[];
    const aboutDirectory = roles.length > 0 || processes.length > 0;
    const asksWho = WHO.test(cueText);

    const unitReading = this.readUnits(tokens, words, claimed, matches);
    const mentionsUnit = unitReading.units.length > 0 || unitReading.unitCandidates.length > 0 || unitReading.unknownUnitText !== null;
    const supposes = SUPPOSITION.test(cueText);
    const firstPerson = FIRST_PERSON.test(cueText) || SUBJECTLESS_STATEMENT.test(cueText);
    const asksAboutOthers = QUESTION_START.test(cueText) && !FIRST_PERSON.test(cueText);
    const statesOwnUnit =
      !supposes &&
      (CHANGE_OWN_UNIT.test(cueText) ||
        placesSelfAtUnit(tokens, allMatches) ||
        (mentionsUnit && (OWN_UNIT_STATEMENT.some((pattern) => pattern.test(cueText)) || (firstPerson && !asksAboutOthers && WORKPLACE.test(cueText)))));
    const mentionsOwnUnit = codes('my-unit').length > 0 || ownUnitPronoun(tokens, aboutDirectory || asksWho);
    const url = URL.exec(text);

    const inUnitName = new Set<number>();
    for (const match of allMatches) if (match.phrase.kind === 'unit') for (let i = match.start; i < match.end; i++) inUnitName.add(i);

    return {
      text,
      words,
      languageWords: tokens.filter((_, i) => !inUnitName.has(i)).map((token) => token.folded),
      ...unitReading,
      processes,
      roles,
      processRoles: codes('process-role') as ProcessRole[],
      eventKinds: codes('event-kind') as EventKind[],
      systems,
      suggestionId: readableId(SUGGESTION_ID, text, 'FF'),
      announcementId: readableId(ANNOUNCEMENT_ID, text, 'KU'),
      itemId: readableId(ANY_ID, text, null),
      url: url ? { href: url[0], after: text.slice((url.index ?? 0) + url[0].length).trim() || null } : null,
      mentionsOwnUnit,
      asksWho,
      statesOwnUnit,
      asksOwnUnit: ASKS_OWN_UNIT.some((pattern) => pattern.test(cueText)),
      asksMeaning: MEANING.test(cueText),
      asksWhichProcess: WHICH_PROCESS.test(cueText),
      asksFacultyLevel: unitReading.units.length === 0 && tokens.some((token) => /^(fakultet|faculty)/.test(token.folded)),
      onlyUnit: unitReading.units.length > 0 && tokens.every((_, i) => claimed.has(i) && matches.some((m) => m.phrase.kind === 'unit' && i >= m.start && i < m.end)),
      reportsError: ERROR.test(cueText),
      outOfScope: outOfScopeTopic(cueText, roles.length > 0, asksWho),
      asksHelp: HELP.test(cueText),
      greets: GREETING.test(cueText),
      thanks: THANKS_ONLY.test(cueText),
      asksProcessList: PROCESS_LIST.test(cueText),
    };
  }

  private readUnits(
    tokens: readonly SourceToken[],
    words: string,
    claimed: ReadonlySet<number>,
    matches: readonly PhraseMatch[],
  ): Pick<MessageReading, 'units' | 'unitCandidates' | 'unknownUnitText'> {
    const named = [...new Set(matches.filter((match) => match.phrase.kind === 'unit').map((match) => match.phrase.code))];
    const units = this.mostSpecific(named);
    if (units.length > 0) return { units, unitCandidates: [], unknownUnitText: null };

    // A unit written as units are named ("Det juridiske fakultet") outranks a fuzzy part of another name elsewhere in the message.
    const namedSpan = namedUnitSpan(tokens, claimed);
    const inSpan = (part: UnitPartMatch) => !namedSpan || part.tokenIndices.every((i) => i >= namedSpan.start && i < namedSpan.end);
    const parts = this.unitParts.match(tokens, claimed).filter(inSpan);
    const { parts: preferred, kindNamed } = this.preferKindNamed(parts, words);
    // Only a word of one unit's name alone ("fysikk", "Gjøvik" with "helse") names that unit, or the one unit of the kind
    // the message names ("the Faculty of Economics"); a shared word or a place alone asks.
    const onlyOfKind = kindNamed && preferred.length === 1;
    const sure = preferred.filter((part) => (part.distinctive || part.completeAndUnique || onlyOfKind) && part.coverage >= 0.3);
    const topCoverage = sure[0]?.coverage ?? 0;
    const top = sure.filter((part) => part.coverage === topCoverage);
    if (top.length === 1 && top[0]) return { units: [top[0].code], unitCandidates: [], unknownUnitText: null };

    let unitCandidates = (top.length > 1 ? top : parts.filter((part) => part.coverage >= 0.2)).slice(0, 5).map((part) => part.code);
    let unknownUnitText = namedSpan?.text ?? unnamedUnitText(tokens, claimed);
    if (unknownUnitText && unitCandidates.length === 0) unitCandidates = this.unitParts.closest(unknownUnitText, 5);
    if (!unknownUnitText && unitCandidates.length > 0) {
      unknownUnitText = parts[0] ? parts[0].tokenIndices.map((i) => tokens[i]?.original ?? '').join(' ') : null;
    }
    return { units: [], unitCandidates, unknownUnitText };
  }

  /** A department rather than its faculty: "Btb ved IDI på IE" asks about IDI. */
  private mostSpecific(codes: string[]): string[] {
    return codes.filter((code) => !codes.some((other) => other !== code && this.index.isAncestor(code, other)));
  }

  /**
   * "the Faculty of Economics" means a faculty, not the Department of
   * Economics: when the message says which kind of unit, partial matches of
   * that kind win.
   */
  private preferKindNamed(parts: UnitPartMatch[], words: string): { parts: UnitPartMatch[]; kindNamed: boolean } {
    const kind = UNIT_KIND_WORDS.find(([pattern]) => pattern.test(words))?.[1];
    if (!kind) return { parts, kindNamed: false };
    const ofKind = parts.filter((part) => this.index.unit(part.code)?.kind === kind);
    return ofKind.length > 0 ? { parts: ofKind, kindNamed: true } : { parts, kindNamed: false };
  }
}

const UNIT_KIND_WORDS: Array<[RegExp, UnitKind]> = [
  [/\b(fakultet\w*|faculty)\b/, 'faculty'],
  [/\b(institutt\w*|department|institute)\b/, 'department'],
  [/\b(avdeling\w*|division)\b/, 'division'],
];

const STRENGTH_RANK = { code: 2, name: 1, alias: 0 } as const;

/**
 * "IIK: prosjektøkonomi-rådgiver" names one process; a long message may name
 * others in passing ("a supplier has not been paid yet … who handles Fti"):
 * the process named by its code or name comes first, then the most often named.
 */
function surestFirst(matches: readonly PhraseMatch[]): string[] {
  const score = new Map<string, { strength: number; count: number; last: number }>();
  for (const match of matches) {
    const previous = score.get(match.phrase.code) ?? { strength: 0, count: 0, last: 0 };
    score.set(match.phrase.code, {
      strength: Math.max(previous.strength, STRENGTH_RANK[match.phrase.strength]),
      count: previous.count + 1,
      last: match.start,
    });
  }
  return [...score.entries()].sort(([, a], [, b]) => b.strength - a.strength || b.count - a.count || b.last - a.last).map(([code]) => code);
}

const POSSESSIVES = new Set(['min', 'mi', 'mitt', 'mine', 'my', 'our', 'vår', 'vårt', 'våre', 'vaar', 'vaart', 'vi', 'oss', 'we', 'us']);

/** "hvem er min prosessrådgiver", "who is my PBO advisor", "hvilken rådgiver bruker vi?": the asker's own unit. */
function ownUnitPronoun(tokens: readonly SourceToken[], aboutDirectory: boolean): boolean {
  return aboutDirectory && tokens.some((token) => POSSESSIVES.has(token.original.toLowerCase()));
}

function outOfScopeTopic(words: string, namesRole: boolean, asksWho: boolean): OutOfScopeTopic | null {
  if (WEATHER.test(words)) return 'weather';
  if (EVERYDAY.test(words)) return 'everyday';
  // "whom do I ask about my pay?" asks for a person; "hva er lønnen min?" asks for the pay itself.
  if (!namesRole && !asksWho && PAY.test(words) && FIRST_PERSON.test(words) && (HOW_MUCH_OR_WHEN.test(words) || OWN_PAY.test(words))) return 'own-money';
  if (!namesRole && ORDERING.test(words)) return 'ordering';
  return null;
}

function readableId(pattern: RegExp, text: string, prefix: string | null): string | null {
  const match = pattern.exec(text);
  if (!match) return null;
  const [, first = '', second = '', third = ''] = match;
  // "ff-2026-42" is FF-2026-0042, as the ids are written.
  return prefix ? `${prefix}-${first}-${second.padStart(4, '0')}` : `${first.toUpperCase()}-${second}-${third.padStart(4, '0')}`;
}

const SELF = new Set(['jeg', 'eg', 'vi', 'me', 'we']);
const COPULA = new Set(['er', 'e', 'am', 'm', 'are', 're']);
const AT = new Set(['pa', 'ved', 'hos', 'at', 'with', 'hja']);

/**
 * "jeg er ny som konsulent på IIF", "I'm a coordinator at INB": the writer,
 * then "er"/"am", then a unit after "på"/"ved"/"at", with no question word
 * between ("jeg er usikker på hvem som er rådgiver ved IDI" asks about IDI).
 */
function placesSelfAtUnit(tokens: readonly SourceToken[], matches: readonly PhraseMatch[]): boolean {
  for (const match of matches) {
    // "at the Department of …": the article may stand between.
    const before = tokens[match.start - 1]?.folded === 'the' ? match.start - 2 : match.start - 1;
    if (match.phrase.kind !== 'unit' || !AT.has(tokens[before]?.folded ?? '')) continue;
    const sentence = tokens[match.start]?.sentence;
    for (let i = before - 1; i >= 0 && tokens[i]?.sentence === sentence; i--) {
      const token = tokens[i] as SourceToken;
      if (QUESTION_WORD.test(token.folded)) break;
      const self = SELF.has(token.folded) || token.original === 'I';
      if (self && COPULA.has(tokens[i + 1]?.folded ?? '')) return true;
    }
  }
  return false;
}

/**
 * A long message tells its background before it asks ("I coordinate
 * a project … which advisor handles Fti for IDI?"): when the
 * sentence that asks names a role, a process or a unit, those of that kind
 * named elsewhere are background.
 */
function inQuestionSentence(matches: readonly PhraseMatch[], tokens: readonly SourceToken[]): readonly PhraseMatch[] {
  const sentences = new Set(tokens.map((token) => token.sentence));
  if (sentences.size < 2) return matches;
  let question = -1;
  for (const token of tokens) if (QUESTION_WORD.test(token.folded)) question = token.sentence;
  if (question < 0) return matches;
  const sentenceOf = (match: PhraseMatch) => tokens[match.start]?.sentence;
  const focused = new Set(matches.filter((match) => sentenceOf(match) === question).map((match) => match.phrase.kind));
  return matches.filter((match) => !FOCUSED_KINDS.has(match.phrase.kind) || !focused.has(match.phrase.kind) || sentenceOf(match) === question);
}

const QUESTION_WORD = /^(hvem|kven|who|whom|whos|hvilken|hvilke|which|kva|hva|what)$/;
const FOCUSED_KINDS: ReadonlySet<string> = new Set(['role', 'process', 'unit']);

const UNIT_PREPOSITIONS = new Set(['ved', 'pa', 'at', 'hos', 'hja', 'fra', 'from', 'in', 'i']);
const NOT_A_UNIT = new Set([
  ...tokenize('oss meg deg dere seg my our your the a an min mi mitt var vart jobb jobben job work arbeid hjelp help unit4 sap'),
  // "i morgon", "i stedet", "on a faculty level": words of time, manner and level after a preposition.
  ...tokenize(
    'staden stedet sted stad instead dag dagen morgen kveld host vinter sommer helga helgen uke veke maned manad ar fjor tide level niva nivaet whole heile hele entire general generelt',
  ),
  ...DOMAIN_WORDS,
  ...GENERIC_UNIT_WORDS,
]);

const UNIT_KIND_TOKEN = /^(institutt|instituttet|fakultet|fakultetet|department|faculty|avdeling|avdelinga|avdelingen|division)$/;
const NAME_LINK = new Set(['for', 'of']);

/**
 * A unit written as units are named, that the directory does not have:
 * "Institutt for romfart", "the Department of Volcanology", "Det
 * odontologiske fakultet". "på fakultetet" alone names no unit.
 */
function namedUnitSpan(tokens: readonly SourceToken[], claimed: ReadonlySet<number>): { text: string; start: number; end: number } | null {
  for (let k = 0; k < tokens.length; k++) {
    const kind = tokens[k] as SourceToken;
    if (claimed.has(k) || !UNIT_KIND_TOKEN.test(kind.folded)) continue;
    const link = tokens[k + 1];
    const named = tokens[k + 2];
    if (link && named && NAME_LINK.has(link.folded) && !claimed.has(k + 2) && !NOT_A_UNIT.has(named.folded) && named.folded.length >= 3) {
      const words: string[] = [];
      for (let j = k; j < tokens.length && j < k + 6 && !claimed.has(j) && tokens[j]?.sentence === kind.sentence; j++) words.push((tokens[j] as SourceToken).original);
      return { text: words.join(' '), start: k, end: k + words.length };
    }
    const adjective = tokens[k - 1];
    // "Det teologiske fakultet": Norwegian names a faculty by an adjective before it.
    if (adjective && !claimed.has(k - 1) && /ske$/.test(adjective.folded)) return { text: `${adjective.original} ${kind.original}`, start: k - 1, end: k + 1 };
  }
  return null;
}

/** The words after "ved"/"på"/"at" that no phrase explained: a unit name the directory lacks. */
function unnamedUnitText(tokens: readonly SourceToken[], claimed: ReadonlySet<number>): string | null {
  for (let i = tokens.length - 2; i >= 0; i--) {
    const token = tokens[i] as SourceToken;
    if (!UNIT_PREPOSITIONS.has(token.folded) || token.original === 'I' || claimed.has(i)) continue;
    const next = tokens[i + 1] as SourceToken;
    // "log in, just says …", "i morgen": after "in"/"i" only a name written as one (capitalised) is a unit.
    if ((token.folded === 'in' || token.folded === 'i') && next.original[0] === next.original[0]?.toLowerCase()) continue;
    const words: string[] = [];
    for (let j = i + 1; j < tokens.length && !claimed.has(j) && tokens[j]?.sentence === token.sentence; j++) words.push((tokens[j] as SourceToken).original);
    // "på fakultetsnivå", "ved instituttet": a kind of unit, not a name.
    const meaningful = words.filter((word) => !NOT_A_UNIT.has(fold(word)) && !/^(fakultet|institutt|avdeling|department|faculty)/.test(fold(word)));
    if (meaningful.length > 0 && meaningful.join('').length >= 3) return words.join(' ');
  }
  return null;
}
