import type { AssignmentKey } from '../../directory/import/diffDirectories';
import type { ImportProblemCode, ProblemParamsByCode } from '../../directory/import/validateDirectory';

/** Texts of the directory import (problem reasons and the import command's output), Norwegian bokmål. */

export type ProblemTexts = { [C in ImportProblemCode]: (params: ProblemParamsByCode[C]) => string };

const sameCodeApartFromCase = (suggestion: string | null): string => (suggestion === null ? '' : ` (mente du «${suggestion}»? Koder skiller mellom store og små bokstaver)`);

const problems: ProblemTexts = {
  'missing-source': () => 'finnes ikke',
  'unsupported-source': () => 'er verken en mappe med CSV-filer eller en Excel-arbeidsbok (.xlsx)',
  'unreadable-workbook': ({ detail }) => `kan ikke leses som Excel-arbeidsbok (${detail})`,
  'invalid-encoding': () => 'filen er ikke lagret som UTF-8, så æ, ø og å blir feil; lagre den på nytt som «CSV UTF-8»',
  'unclosed-quote': () => 'et anførselstegn (") som åpnes i denne raden, lukkes aldri, så resten av filen kan ikke leses',
  'missing-file': () => 'mangler; katalogen må ha denne filen (eller dette arket i arbeidsboka)',
  'missing-column': ({ column }) => `overskriftsraden mangler kolonnen «${column}»`,
  'duplicate-column': ({ column }) => `kolonnen «${column}» står mer enn én gang i overskriftsraden`,
  'wrong-field-count': ({ expected, actual }) => `raden har ${actual} felt, men overskriftsraden har ${expected}`,
  'missing-value': ({ column }) => `«${column}» må fylles ut`,
  'too-long': ({ column, length, max }) => `teksten i «${column}» har ${length} tegn; høyst ${max} er tillatt`,
  'invalid-email': ({ column, value }) => `«${value}» i «${column}» er ikke en gyldig e-postadresse`,
  'invalid-url': ({ column, value }) => `«${value}» i «${column}» er ikke en gyldig nettadresse (den må begynne med https:// eller http://)`,
  'invalid-kind': ({ value, allowed }) => `ukjent enhetstype «${value}»; gyldige typer er ${allowed.join(', ')}`,
  'invalid-advisor-model': ({ value, allowed }) => `ukjent rådgivermodell «${value}»; gyldige verdier er ${allowed.join(', ')}`,
  'unknown-parent-unit': ({ value, suggestion }) => `den overordnede enheten «${value}» finnes ikke blant enhetene${sameCodeApartFromCase(suggestion)}`,
  'unknown-unit': ({ value, suggestion }) => `enheten «${value}» finnes ikke blant enhetene${sameCodeApartFromCase(suggestion)}`,
  'unknown-process': ({ value, suggestion }) => `prosessen «${value}» finnes ikke blant prosessene${sameCodeApartFromCase(suggestion)}`,
  'unknown-role': ({ value, suggestion }) => `rollen «${value}» finnes ikke blant rollene${sameCodeApartFromCase(suggestion)}`,
  'duplicate-code': ({ code, firstCode, firstLine }) =>
    code === firstCode
      ? `koden «${code}» er allerede brukt på linje ${firstLine}`
      : `koden «${code}» skiller seg bare i store og små bokstaver fra «${firstCode}» på linje ${firstLine}`,
  'duplicate-row': ({ firstLine }) => `samme rolle, prosess, enhet og e-postadresse som på linje ${firstLine}`,
  'conflicting-person': ({ email, column, value, firstValue, firstLine }) =>
    column === 'name'
      ? `${email} har navnet «${value}» her, men «${firstValue}» på linje ${firstLine}`
      : `${email} har telefonnummeret «${value}» her, men «${firstValue}» på linje ${firstLine}`,
  'unit-cycle': ({ cycle }) => `enhetene er overordnet hverandre i ring: ${cycle.join(' → ')}`,
  'missing-email-or-url': () => 'kontaktpunktet må ha en e-postadresse eller en nettadresse',
  'missing-required-role': ({ code }) => `rollen «${code}» mangler; appen er avhengig av den`,
  'unknown-process-role': ({ value, allowed }) => `ukjent prosessrolle «${value}»; gyldige roller er ${allowed.join(', ')}`,
};

interface Counts {
  added: number;
  removed: number;
  changed: number;
}

export const directoryImportNb = {
  problems,
  usage: [
    'Bruk: npm run directory:import -- <mappe eller arbeidsbok.xlsx> [--dry-run]',
    '',
    'Leser katalogen (units, processes, roles, people og contact-points) fra en mappe med',
    'CSV-filer eller fra en Excel-arbeidsbok med ett ark per fil, kontrollerer alt, og',
    'erstatter den lagrede katalogen når det ikke er noen problemer.',
    '  --dry-run  kontrollerer og viser endringene uten å lagre noe',
    '',
    'npm run directory:import -- --role-holders <rolleinnehavere.csv eller .xlsx> [--dry-run]',
    'leser i stedet lista over hvem som har prosessroller (e-post, navn, rolle, enhet og prosess),',
    'kontrollerer den mot den lagrede katalogen og erstatter den lagrede lista.',
    '  --role-holders  filen er rolleinnehaverlista, ikke katalogen',
  ].join('\n'),
  unknownOption: (option: string) => `Ukjent valg: ${option}`,
  tooManyArguments: 'Oppgi bare én mappe eller arbeidsbok.',
  problemCount: (count: number) => `${count === 1 ? 'Fant 1 problem' : `Fant ${count} problemer`}. Ingenting er endret.`,
  imported: (source: string, version: string) => `Katalogen er importert fra ${source} (versjon ${version}).`,
  dryRun: (source: string) => `Prøvekjøring: katalogen i ${source} er gyldig, men ingenting er lagret.`,
  firstImport: (people: number, units: number, processes: number, roles: number, contactPoints: number) =>
    `Det fantes ingen katalog fra før. Ny katalog: ${people} personer, ${units} enheter, ${processes} prosesser, ${roles} roller og ${contactPoints} kontaktpunkter.`,
  noChanges: 'Ingen endringer sammenlignet med den lagrede katalogen.',
  people: ({ added, removed, changed }: Counts) => `Personer: ${added} lagt til, ${removed} fjernet, ${changed} endret`,
  units: ({ added, removed, changed }: Counts) => `Enheter: ${added} lagt til, ${removed} fjernet, ${changed} endret`,
  processes: ({ added, removed, changed }: Counts) => `Prosesser: ${added} lagt til, ${removed} fjernet, ${changed} endret`,
  roles: ({ added, removed, changed }: Counts) => `Roller: ${added} lagt til, ${removed} fjernet, ${changed} endret`,
  contactPoints: ({ added, removed, changed }: Counts) => `Kontaktpunkter: ${added} lagt til, ${removed} fjernet, ${changed} endret`,
  nameChanged: (before: string, after: string) => `navn «${before}» → «${after}»`,
  phoneChanged: (before: string | null, after: string | null) => `telefon ${before ?? '(ingen)'} → ${after ?? '(ingen)'}`,
  assignmentAdded: ({ role, process, unit }: AssignmentKey) => `ny rolle: ${role}${process === null ? '' : ` for ${process}`} ved ${unit}`,
  assignmentRemoved: ({ role, process, unit }: AssignmentKey) => `fjernet rolle: ${role}${process === null ? '' : ` for ${process}`} ved ${unit}`,
  roleHolders: {
    imported: (source: string, version: string) => `Rolleinnehaverlista er importert fra ${source} (versjon ${version}).`,
    dryRun: (source: string) => `Prøvekjøring: rolleinnehaverlista i ${source} er gyldig, men ingenting er lagret.`,
    firstImport: (people: number, rows: number) => `Det fantes ingen rolleinnehaverliste fra før. Ny liste: ${people} personer med ${rows} roller.`,
    noChanges: 'Ingen endringer sammenlignet med den lagrede rolleinnehaverlista.',
    noDirectory: 'Det finnes ingen katalog ennå. Importer katalogen først: enhetene og prosessene i lista kontrolleres mot den.',
  },
  conflict: 'En annen import ble fullført i mellomtiden, så ingenting er endret. Kjør kommandoen på nytt.',
  failed: (message: string) => `Importen feilet, og ingenting er endret: ${message}`,
};

export type DirectoryImportTexts = typeof directoryImportNb;
