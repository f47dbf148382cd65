import type { DirectoryIndex } from '../directory/directoryIndex';
import { fold, tokenizeWithOriginal, type SourceToken } from '../language/text';
import { buildPhrases, type SystemCode } from './lexicon';
import { PhraseMatcher, selectNonOverlapping, type PhraseMatch } from './phraseMatcher';
import { UnitNameParts, type UnitPartMatch } from './unitNameParts';
import type { UnitKind } from '../directory/model';

/** What a message asks for, before any directory rule is applied. */
export interface MessageUnderstanding {
  /** Units named: the most specific of them (a department before its faculty); several only when the message names unrelated units. */
  units: string[];
  /** Units the message may mean when it names one unclearly ("helsevitenskap"). */
  unitCandidates: string[];
  /** Words that look like a unit name the directory does not know. */
  unknownUnitText: string | null;
  processes: string[];
  roles: string[];
  systems: SystemCode[];
  /** "hos oss", "my unit", "min prosessrådgiver": the asker's own unit. */
  mentionsOwnUnit: boolean;
  asksWho: boolean;
  /** "jeg jobber på IDI", "my unit is…". */
  statesOwnUnit: boolean;
  /** "hvilken enhet er jeg registrert på?". */
  asksOwnUnit: boolean;
  /** "hva gjør en prosessrådgiver?". */
  asksRoleDescription: boolean;
  /** "hvor melder jeg feil i Unit4?". */
  reportsError: boolean;
  asksHelp: boolean;
  greets: boolean;
  thanks: boolean;
  /** "hvilke prosesser finnes?". */
  asksProcessList: boolean;
}

const WHO = /\b(hvem|kven|who|whom|whos|kontakte?|kontakt|contact|sporre|sporje|sporja|spor|ask|henvende|vende|reach|ringe|call|email|e post|epost|mail)\b/;
const OWN_UNIT_STATEMENT = [
  /\b(jeg|eg|i)\s+(jobber|jobbar|arbeider|arbeidar|arbeider|work|works|working|sitter|sit|hører til|horer til|hoyrer til|tilhorer|belong)\b/,
  /\b(jeg|eg)\s+er\s+(pa|ved|fra|hos|i)\b/,
  /\bi\s*(am|m)\s+(at|in|from|with)\b/,
  /\b(min|mi|mitt|my|our|var|vart)\s+(enhet|eining|unit|institutt|avdeling|department|faculty|fakultet|division)\s+(er|is)\b/,
  /\b(sett|endre|bytt|set|change|update|oppdater|registrer)\b.*\b(enhet|enheten|eining|eininga|unit)\b/,
];
const ASKS_OWN_UNIT = [
  /\b(hvilken|hvilke|hva|kva|kvar|which|what)\b.*\b(enhet|eining|unit)\b.*\b(jeg|eg|i|min|mi|my|me|meg)\b/,
  /\b(hvilken|hvilke|hva|kva|which|what)\b.*\b(min|mi|my)\s+(enhet|eining|unit)\b/,
  /\bregistrert\b|\bregistered\b/,
  /^(min|mi|my)\s+(enhet|eining|unit)$/,
];
const DESCRIBE = /\b(hva|kva|what|forklar|explain|describe|beskriv)\b|\b(rolle|rollen|role|oppgaver|oppgavene|oppgaver|ansvar|ansvaret|responsibilities|duties)\b/;
const ERROR = /\b(feil\w*|error\w*|bug\w*|problem\w*|avvik|krasj\w*|crash\w*|nede|down|(virker|fungerer|funker|verkar)\s+(ikke|ikkje)|not\s+working|doesn\s*t\s+work|does\s+not\s+work|broken)\b/;
const HELP = /^(hjelp|help|meny|menu|\?|hva kan du|kva kan du|what can you do|hva kan du hjelpe med|kommandoer|commands|start|info)\b/;
const GREETING = /^(hei|hallo|heisann|hoi|god (morgen|dag|kveld)|hi|hello|hey|good (morning|afternoon|evening))\b/;
const THANKS = /^(takk|tusen takk|mange takk|takk skal du ha|takker|thanks|thank you|thx|ty|flott|supert|perfekt|great|perfect)\b/;
const PROCESS_LIST = /\b(hvilke|hvilken|kva|kor mange|which|what|list|liste|vis|show|oversikt|overview|alle|all)\b.*\b(prosesser|prosessar|prosessane|prosessene|processes|hovedprosesser|hovudprosessar)\b/;

/** Turns chat text into the entities and intents it contains, for one directory version. */
export class MessageInterpreter {
  private readonly matcher: PhraseMatcher;
  private readonly unitParts: UnitNameParts;

  constructor(private readonly index: DirectoryIndex) {
    this.matcher = new PhraseMatcher(buildPhrases(index.directory));
    this.unitParts = new UnitNameParts(index.directory.units);
  }

  understand(text: string): MessageUnderstanding {
    const tokens = tokenizeWithOriginal(text);
    const folded = tokens.map((token) => token.folded).join(' ');
    const matches = selectNonOverlapping(this.matcher.match(tokens));
    const claimed = new Set<number>();
    for (const match of matches) for (let i = match.start; i < match.end; i++) claimed.add(i);

    const codes = (kind: PhraseMatch['phrase']['kind']): string[] => [
      ...new Set(matches.filter((match) => match.phrase.kind === kind).map((match) => match.phrase.code)),
    ];
    const processes = codes('process');
    const roles = codes('role');
    const systems = codes('system') as SystemCode[];
    const mentionsOwnUnit = codes('my-unit').length > 0 || ownUnitPossessive(tokens, roles.length > 0 || processes.length > 0);

    let units = this.mostSpecific(codes('unit'));
    let unitCandidates: string[] = [];
    let unknownUnitText: string | null = null;
    if (units.length === 0) {
      const parts = this.unitParts.match(tokens, claimed);
      const preferred = this.preferKindNamed(parts, folded);
      const sure = preferred.filter((part) => (part.distinctive || preferred.length === 1) && part.coverage >= 0.3);
      const topCoverage = sure[0]?.coverage ?? 0;
      const top = sure.filter((part) => part.coverage === topCoverage);
      if (top.length === 1 && top[0]) {
        units = [top[0].code];
      } else {
        unitCandidates = (top.length > 1 ? top : parts.filter((part) => part.coverage >= 0.2)).slice(0, 5).map((part) => part.code);
        unknownUnitText = unnamedUnitText(tokens, claimed);
        if (unknownUnitText && unitCandidates.length === 0) unitCandidates = this.unitParts.closest(unknownUnitText, 5);
        if (!unknownUnitText && unitCandidates.length > 0) {
          unknownUnitText = parts[0] ? parts[0].tokenIndices.map((i) => tokens[i]?.original ?? '').join(' ') : null;
        }
      }
    }

    return {
      units,
      unitCandidates,
      unknownUnitText,
      processes,
      roles,
      systems,
      mentionsOwnUnit,
      asksWho: WHO.test(folded),
      statesOwnUnit: OWN_UNIT_STATEMENT.some((pattern) => pattern.test(folded)),
      asksOwnUnit: ASKS_OWN_UNIT.some((pattern) => pattern.test(folded)),
      asksRoleDescription: DESCRIBE.test(folded) && !WHO.test(folded),
      reportsError: ERROR.test(folded),
      asksHelp: HELP.test(folded),
      greets: GREETING.test(folded),
      thanks: THANKS.test(folded),
      asksProcessList: PROCESS_LIST.test(folded),
    };
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
  private preferKindNamed(parts: UnitPartMatch[], folded: string): UnitPartMatch[] {
    const kind = UNIT_KIND_WORDS.find(([pattern]) => pattern.test(folded))?.[1];
    if (!kind) return parts.filter((part) => part.coverage >= 0.5);
    const ofKind = parts.filter((part) => this.index.unit(part.code)?.kind === kind);
    return ofKind.length > 0 ? ofKind : parts.filter((part) => part.coverage >= 0.5);
  }
}

const UNIT_KIND_WORDS: Array<[RegExp, UnitKind]> = [
  [/\b(fakultet\w*|faculty)\b/, 'faculty'],
  [/\b(institutt\w*|department|institute)\b/, 'department'],
  [/\b(avdeling\w*|division)\b/, 'division'],
];

const POSSESSIVES = new Set(['min', 'mi', 'mitt', 'mine', 'my', 'our', 'vår', 'vårt', 'våre', 'vaar', 'vaart']);

/** "hvem er min prosessrådgiver", "who is my PBO advisor": a possessive in a question about a role or process. */
function ownUnitPossessive(tokens: readonly SourceToken[], aboutDirectory: boolean): boolean {
  return aboutDirectory && tokens.some((token) => POSSESSIVES.has(token.original.toLowerCase()));
}

const UNIT_PREPOSITIONS = new Set(['ved', 'pa', 'at', 'hos', 'hja', 'fra', 'from', 'in', 'i']);
const NOT_A_UNIT = new Set(
  fold(
    'oss meg deg dere seg my our your the a an min mi mitt var vart jobb jobben job work arbeid prosess prosessen process hjelp help unit4 sap',
  ).split(' '),
);

/** The words after "ved"/"på"/"at" that no phrase explained: a unit name the directory lacks. */
function unnamedUnitText(tokens: readonly SourceToken[], claimed: ReadonlySet<number>): string | null {
  for (let i = tokens.length - 2; i >= 0; i--) {
    const token = tokens[i] as SourceToken;
    if (!UNIT_PREPOSITIONS.has(token.folded) || token.original === 'I' || claimed.has(i)) continue;
    const words: string[] = [];
    for (let j = i + 1; j < tokens.length && !claimed.has(j); j++) words.push((tokens[j] as SourceToken).original);
    const meaningful = words.filter((word) => !NOT_A_UNIT.has(fold(word)));
    if (meaningful.length > 0 && meaningful.join('').length >= 3) return words.join(' ');
  }
  return null;
}
