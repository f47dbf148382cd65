import type { Directory } from '../directory/model';
import { ROLE } from '../directory/model';
import { tokenize } from '../language/text';
import { COMMON_WORDS } from '../language/vocabulary';
import type { EventKind, ProcessRole } from '../announcements/model';
import { makePhrase, type Phrase, type PhraseStrength } from './phraseMatcher';

/** Systems whose errors go to a contact point, and the words people use for them. */
export const SYSTEMS = {
  unit4: ['unit4', 'unit 4', 'agresso'],
  sap: ['sap', 'sap hr'],
  portal: ['selvbetjeningsportalen', 'selvbetjeningsportal', 'selvbetjening', 'self-service portal', 'self service portal'],
  dfoApp: ['dfø-appen', 'dfø appen', 'dfø-app', 'dfø app', 'dfo app'],
  dfo: ['dfø'],
} as const;
export type SystemCode = keyof typeof SYSTEMS;

/**
 * Ways of naming a role that the directory's aliases leave out: inflected and
 * descriptive forms ("leder innføringen", "ansvarlig for prosessen").
 */
const EXTRA_ROLE_PHRASES: Record<string, string[]> = {
  [ROLE.processAdvisor]: ['rådgjevar', 'rådgivar', 'prosessrådgivar', 'lokal rådgiver', 'local advisor', 'advisors', 'rådgivere'],
  [ROLE.processManager]: ['prosessansvarlege', 'prosessansvarlige', 'ansvarlig for prosessen', 'ansvarleg for prosessen', 'process managers', 'process owner manager'],
  // "hvem eier prosessen?", "who owns that process?": the owner, whoever is asked about.
  [ROLE.operativeProcessOwner]: ['prosesseiere', 'eier av prosessen', 'eigar av prosessen', 'owner of the process', 'eier', 'eig', 'owns', 'operative owner'],
  // The coordinator leads the management team (forvaltningsteamet) and coordinates the management of the systems.
  [ROLE.managementCoordinator]: [
    'forvaltningskoordinatoren',
    'koordinatoren',
    'coordinator for finance and payroll',
    'forvaltningsteamet',
    'forvaltningsteam',
    'management team',
    'koordinerer forvaltningen',
    'koordinerer forvaltinga',
    'coordinates the management',
  ],
  [ROLE.systemManager]: ['systemforvalteren', 'systemforvaltning', 'systemansvarlig', 'systemansvarleg', 'system administrator'],
  [ROLE.implementationLead]: [
    'innføring',
    'innføringen',
    'leder innføringen',
    'leiar innføringa',
    'innføringa',
    'innføre',
    'innføra',
    'implementation',
    'rollout',
    'introduction of',
    'introducing',
    'rolling out',
  ],
};

/**
 * Everyday words for the standard BOTT processes that the directory's aliases
 * leave out (English and nynorsk forms especially). Used only for process
 * codes the directory has.
 */
const EXTRA_PROCESS_PHRASES: Record<string, string[]> = {
  BTB: [
    'supplier invoice',
    'supplier invoices',
    'invoices from suppliers',
    'purchase order',
    'purchasing',
    'goods receipt',
    'innkjøpsordre',
    'bestilling av varer',
    'rekvisisjon',
    'innkjop',
    'leverandørfakturaer',
    // Approving an invoice is the buyer's side (a supplier's invoice), not billing customers (FTI).
    'godkjenne faktura',
    'godkjenne fakturaer',
    'godkjenner faktura',
    'godkjenner fakturaer',
    'godkjenning av faktura',
    'godkjenning av fakturaer',
    'fakturagodkjenning',
    'attestere faktura',
    'attestere fakturaer',
    'approve invoice',
    'approve invoices',
    'approves invoices',
    'approving invoices',
    'invoice approval',
  ],
  PROSJ: ['external funding', 'externally funded projects', 'grant', 'grants', 'research project', 'project application', 'prosjektsøknader', 'søknadsmodul'],
  PBO: ['budget follow-up', 'forecast', 'prognoser', 'budsjettoppfølging', 'rekneskapsoppfølging', 'regnskapsoppfølging'],
  LONN: [
    'timeliste',
    'timelister',
    'timeregistrering',
    'timesheet',
    'timesheets',
    'travel',
    'travel expense',
    'travel claim',
    'payslip',
    'pay slip',
    'salary slip',
    'wages',
    'overtime',
    'holiday',
    'vacation',
    'sick leave',
    'leave of absence',
    'løn og HR',
    'lønnsutbetaling',
    'utlegg',
    'reiserekningar',
    'sjukdom',
    'fråvær',
  ],
  FTI: [
    'customer invoice',
    'customer invoices',
    'outgoing invoice',
    'sales order',
    'sales orders',
    'credit note',
    'accounts receivable',
    'debt collection',
    'faktura til kunde',
    'faktura til en kunde',
    'faktura til ein kunde',
    'sende faktura',
    'sende fakturaer',
    'fakturere',
    'send an invoice',
    'invoice a customer',
    'bill a customer',
  ],
  ANDRE: ['general ledger', 'ledger', 'journal entry', 'reposting', 'rekneskap'],
  ANL: ['fixed asset', 'depreciation', 'asset register', 'anleggsregister'],
  PER: ['year end', 'year-end', 'period end', 'reconciliation', 'accruals', 'månedsavslutning'],
  ANSK: ['tender', 'tendering', 'framework agreement', 'framework agreements', 'purchasing agreement', 'konkurranseutsetting', 'innkjøpsavtale'],
};

/**
 * Ways of naming the process roles that courses target, in bokmål, nynorsk
 * and English. Inflected forms ("prosjektøkonomer", "innkjøparar") and typos
 * are matched as in directory questions; nynorsk forms are listed because a
 * nynorsk ending can look like an inflection of another word ("innkjøpar" is
 * not "innkjøp" + "ar").
 */
export const PROCESS_ROLE_PHRASES: Record<ProcessRole, string[]> = {
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
 * (see KIND_INCLUDES in announcements/eventCommands.ts); short words are listed with their inflections because
 * words of four letters or fewer must be typed exactly.
 */
export const EVENT_KIND_PHRASES: Record<EventKind, string[]> = {
  kurs: ['kurs', 'kurset', 'kursa', 'kursene', 'kursane', 'kurser', 'course'],
  oppfriskningskurs: ['oppfriskningskurs', 'oppfriskingskurs', 'oppfriskning', 'oppfrisking', 'refresher course', 'refresher'],
  fagkafe: ['fagkafé', 'fagkaffe', 'kafé', 'kafeen', 'kafeer', 'kafear', 'café', 'cafés', 'cafe', 'cafes'],
  sporretime: ['spørretime', 'spørjetime', 'spørjetimar', 'q&a', 'q & a', 'q and a', 'qa', 'questions and answers', 'question time'],
  samarbeidsmote: ['samarbeidsmøte', 'samarbeidsmøta', 'collaboration meeting', 'cooperation meeting'],
};

/** The process a process role works in, for a question that names the role but no process ("rådgiver for prosjektøkonomer"). */
export const PROCESS_OF_ROLE: Record<ProcessRole, string> = {
  prosjektokonom: 'PROSJ',
  soknadsregistrerer: 'PROSJ',
  kostnadsgodkjenner: 'BTB',
  innkjoper: 'BTB',
  fagrekvirent: 'BTB',
  fakturaansvarlig: 'FTI',
  salgsordreoppretter: 'FTI',
};

/** Ways of saying "my own unit" (the asker's registered unit). */
const MY_UNIT_PHRASES = [
  'hos oss',
  'hjå oss',
  'hos meg',
  'min enhet',
  'mi eining',
  'mitt institutt',
  'mitt fakultet',
  'min avdeling',
  'mi avdeling',
  'vår enhet',
  'vår eining',
  'vårt institutt',
  'vårt fakultet',
  'vår avdeling',
  'my unit',
  'our unit',
  'my department',
  'our department',
  'my faculty',
  'our faculty',
  'my institute',
  'my division',
  'our division',
  'der jeg jobber',
  'der eg jobbar',
  'where i work',
  'mitt instituttet',
  'min seksjon',
  'my section',
];

/** Words in unit names that say what kind of unit it is rather than which one. */
export const GENERIC_UNIT_WORDS = new Set(
  tokenize('institutt instituttet institute department faculty fakultet fakultetet for og i of the and in avdeling avdelingen avdelinga division ntnu det'),
);

function phrasesFrom(kind: Phrase['kind'], code: string, texts: Array<[string, PhraseStrength]>): Phrase[] {
  const seen = new Set<string>();
  const phrases: Phrase[] = [];
  for (const [text, strength] of texts) {
    // Parenthetical remarks in aliases ("(older English name)") are notes, not names.
    const tokens = tokenize(text.replace(/\([^)]*\)/g, ' '));
    if (tokens.length === 0) continue;
    const key = tokens.join(' ');
    if (seen.has(key)) continue;
    seen.add(key);
    // A bare function word is never a name on its own, however a row spells it.
    if (tokens.length === 1 && COMMON_WORDS.has(key) && strength !== 'code') continue;
    phrases.push(makePhrase(kind, code, tokens, strength));
  }
  return phrases;
}

/** Every name the chat recognises, for one directory version: one matcher serves every capability. */
export function buildPhrases(directory: Directory): Phrase[] {
  const phrases: Phrase[] = [];
  for (const unit of directory.units) {
    phrases.push(
      ...phrasesFrom('unit', unit.code, [
        [unit.code, 'code'],
        [unit.nameNb, 'name'],
        [unit.nameEn, 'name'],
        ...unit.aliases.map((alias): [string, PhraseStrength] => [alias, 'alias']),
      ]),
    );
  }
  for (const process of directory.processes) {
    phrases.push(
      ...phrasesFrom('process', process.code, [
        [process.code, 'code'],
        [process.nameNb, 'name'],
        [process.nameEn, 'name'],
        ...process.aliases.map((alias): [string, PhraseStrength] => [alias, 'alias']),
        ...(EXTRA_PROCESS_PHRASES[process.code] ?? []).map((text): [string, PhraseStrength] => [text, 'alias']),
      ]),
    );
  }
  for (const role of directory.roles) {
    phrases.push(
      ...phrasesFrom('role', role.code, [
        [role.nameNb, 'name'],
        [role.nameEn, 'name'],
        ...(role.nameNn ? [[role.nameNn, 'name'] satisfies [string, PhraseStrength]] : []),
        ...role.aliases.map((alias): [string, PhraseStrength] => [alias, 'alias']),
        ...(EXTRA_ROLE_PHRASES[role.code] ?? []).map((text): [string, PhraseStrength] => [text, 'alias']),
      ]),
    );
  }
  for (const [code, names] of Object.entries(SYSTEMS)) {
    phrases.push(
      ...phrasesFrom(
        'system',
        code,
        names.map((name): [string, PhraseStrength] => [name, 'name']),
      ),
    );
  }
  phrases.push(
    ...phrasesFrom(
      'my-unit',
      'me',
      MY_UNIT_PHRASES.map((text): [string, PhraseStrength] => [text, 'name']),
    ),
  );
  for (const [code, names] of Object.entries(PROCESS_ROLE_PHRASES)) {
    phrases.push(
      ...phrasesFrom(
        'process-role',
        code,
        names.map((name): [string, PhraseStrength] => [name, 'name']),
      ),
    );
  }
  for (const [code, names] of Object.entries(EVENT_KIND_PHRASES)) {
    phrases.push(
      ...phrasesFrom(
        'event-kind',
        code,
        names.map((name): [string, PhraseStrength] => [name, 'name']),
      ),
    );
  }
  return phrases;
}
