import type { Directory } from '../directory/model';
import { ROLE } from '../directory/model';
import { tokenize } from '../language/text';
import { COMMON_WORDS } from '../language/vocabulary';
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
  [ROLE.operativeProcessOwner]: ['prosesseiere', 'eier av prosessen', 'eigar av prosessen', 'owner of the process'],
  [ROLE.managementCoordinator]: ['forvaltningskoordinatoren', 'koordinatoren', 'coordinator for finance and payroll'],
  [ROLE.systemManager]: ['systemforvalteren', 'systemforvaltning', 'systemansvarlig', 'systemansvarleg', 'system administrator'],
  [ROLE.implementationLead]: ['innføring', 'innføringen', 'leder innføringen', 'leiar innføringa', 'innføringa', 'implementation', 'rollout', 'introduction of'],
};

 /**
 * Everyday words for the standard BOTT processes that the directory's aliases
 * leave out (English and nynorsk forms especially). Used only for process
 * codes the directory has.
 */
const EXTRA_PROCESS_PHRASES: Record<string, string[]> = {
  BTB: ['supplier invoice', 'supplier invoices', 'invoices from suppliers', 'purchase order', 'purchasing', 'goods receipt', 'innkjøpsordre', 'bestilling av varer', 'rekvisisjon', 'innkjop', 'leverandørfakturaer'],
  PROSJ: ['external funding', 'externally funded projects', 'grant', 'grants', 'research project', 'project application', 'prosjektsøknader', 'søknadsmodul'],
  PBO: ['budget follow-up', 'forecast', 'prognoser', 'budsjettoppfølging', 'rekneskapsoppfølging', 'regnskapsoppfølging'],
  LONN: ['travel', 'travel expense', 'travel claim', 'payslip', 'pay slip', 'salary slip', 'wages', 'overtime', 'holiday', 'vacation', 'sick leave', 'leave of absence', 'løn og HR', 'lønnsutbetaling', 'utlegg', 'reiserekningar', 'sjukdom', 'fråvær'],
  FTI: ['customer invoice', 'customer invoices', 'outgoing invoice', 'sales order', 'sales orders', 'credit note', 'accounts receivable', 'debt collection', 'faktura til kunde', 'fakturere'],
  ANDRE: ['general ledger', 'ledger', 'journal entry', 'reposting', 'rekneskap'],
  ANL: ['fixed asset', 'depreciation', 'asset register', 'anleggsregister'],
  PER: ['year end', 'year-end', 'period end', 'reconciliation', 'accruals', 'månedsavslutning'],
  ANSK: ['tender', 'tendering', 'framework agreement', 'framework agreements', 'purchasing agreement', 'konkurranseutsetting', 'innkjøpsavtale'],
};

/** Ways of saying "my own unit" (the asker's registered unit). */
const MY_UNIT_PHRASES = [
  'hos oss', 'hjå oss', 'hos meg', 'min enhet', 'mi eining', 'mitt institutt', 'mitt fakultet', 'min avdeling', 'mi avdeling',
  'vår enhet', 'vår eining', 'vårt institutt', 'vårt fakultet', 'vår avdeling', 'my unit', 'our unit', 'my department',
  'our department', 'my faculty', 'our faculty', 'my institute', 'my division', 'our division', 'der jeg jobber', 'der eg jobbar',
  'where i work', 'mitt instituttet', 'min seksjon', 'my section',
];

/** Words in unit names that say what kind of unit it is rather than which one. */
export const GENERIC_UNIT_WORDS = new Set(
  tokenize(
    'institutt instituttet institute department faculty fakultet fakultetet for og i of the and in avdeling avdelingen avdelinga division ntnu det',
  ),
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
        ...role.aliases.map((alias): [string, PhraseStrength] => [alias, 'alias']),
        ...(EXTRA_ROLE_PHRASES[role.code] ?? []).map((text): [string, PhraseStrength] => [text, 'alias']),
      ]),
    );
  }
  for (const [code, names] of Object.entries(SYSTEMS)) {
    phrases.push(...phrasesFrom('system', code, names.map((name): [string, PhraseStrength] => [name, 'name'])));
  }
  phrases.push(...phrasesFrom('my-unit', 'me', MY_UNIT_PHRASES.map((text): [string, PhraseStrength] => [text, 'name'])));
  return phrases;
}
