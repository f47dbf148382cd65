import type { DirectoryImportTexts, ProblemTexts } from '../nb/directoryImport';

/** Texts of the directory import (problem reasons and the import command's output), Norwegian nynorsk. */

const sameCodeApartFromCase = (suggestion: string | null): string => (suggestion === null ? '' : ` (meinte du «${suggestion}»? Kodar skil mellom store og små bokstavar)`);

const problems: ProblemTexts = {
  'missing-source': () => 'finst ikkje',
  'unsupported-source': () => 'er verken ei mappe med CSV-filer eller ei Excel-arbeidsbok (.xlsx)',
  'unreadable-workbook': ({ detail }) => `kan ikkje lesast som Excel-arbeidsbok (${detail})`,
  'invalid-encoding': () => 'fila er ikkje lagra som UTF-8, så æ, ø og å blir feil; lagre ho på nytt som «CSV UTF-8»',
  'unclosed-quote': () => 'eit hermeteikn (") som blir opna i denne rada, blir aldri lukka, så resten av fila kan ikkje lesast',
  'missing-file': () => 'manglar; katalogen må ha denne fila (eller dette arket i arbeidsboka)',
  'missing-column': ({ column }) => `overskriftsrada manglar kolonnen «${column}»`,
  'duplicate-column': ({ column }) => `kolonnen «${column}» står meir enn éin gong i overskriftsrada`,
  'wrong-field-count': ({ expected, actual }) => `rada har ${actual} felt, men overskriftsrada har ${expected}`,
  'missing-value': ({ column }) => `«${column}» må fyllast ut`,
  'invalid-email': ({ column, value }) => `«${value}» i «${column}» er ikkje ei gyldig e-postadresse`,
  'invalid-url': ({ column, value }) => `«${value}» i «${column}» er ikkje ei gyldig nettadresse (ho må byrje med https:// eller http://)`,
  'invalid-kind': ({ value, allowed }) => `ukjend einingstype «${value}»; gyldige typar er ${allowed.join(', ')}`,
  'invalid-advisor-model': ({ value, allowed }) => `ukjend rådgjevarmodell «${value}»; gyldige verdiar er ${allowed.join(', ')}`,
  'unknown-parent-unit': ({ value, suggestion }) => `den overordna eininga «${value}» finst ikkje blant einingane${sameCodeApartFromCase(suggestion)}`,
  'unknown-unit': ({ value, suggestion }) => `eininga «${value}» finst ikkje blant einingane${sameCodeApartFromCase(suggestion)}`,
  'unknown-process': ({ value, suggestion }) => `prosessen «${value}» finst ikkje blant prosessane${sameCodeApartFromCase(suggestion)}`,
  'unknown-role': ({ value, suggestion }) => `rolla «${value}» finst ikkje blant rollene${sameCodeApartFromCase(suggestion)}`,
  'duplicate-code': ({ code, firstCode, firstLine }) =>
    code === firstCode ? `koden «${code}» er alt brukt på linje ${firstLine}` : `koden «${code}» skil seg berre i store og små bokstavar frå «${firstCode}» på linje ${firstLine}`,
  'duplicate-row': ({ firstLine }) => `same rolle, prosess, eining og e-postadresse som på linje ${firstLine}`,
  'conflicting-person': ({ email, column, value, firstValue, firstLine }) =>
    column === 'name'
      ? `${email} har namnet «${value}» her, men «${firstValue}» på linje ${firstLine}`
      : `${email} har telefonnummeret «${value}» her, men «${firstValue}» på linje ${firstLine}`,
  'unit-cycle': ({ cycle }) => `einingane er overordna kvarandre i ring: ${cycle.join(' → ')}`,
  'missing-email-or-url': () => 'kontaktpunktet må ha ei e-postadresse eller ei nettadresse',
  'too-long': ({ column, length, max }) => `teksten i «${column}» har ${length} teikn; høgst ${max} er tillate`,
  'missing-required-role': ({ code }) => `rolla «${code}» manglar; appen er avhengig av ho`,
  'unknown-process-role': ({ value, allowed }) => `ukjend prosessrolle «${value}»; gyldige roller er ${allowed.join(', ')}`,
};

export const directoryImportNn: DirectoryImportTexts = {
  problems,
  usage: [
    'Bruk: npm run directory:import -- <mappe eller arbeidsbok.xlsx> [--dry-run]',
    '',
    'Les katalogen (units, processes, roles, people og contact-points) frå ei mappe med',
    'CSV-filer eller frå ei Excel-arbeidsbok med eitt ark per fil, kontrollerer alt, og',
    'erstattar den lagra katalogen når det ikkje er nokon problem.',
    '  --dry-run  kontrollerer og viser endringane utan å lagre noko',
    '',
    'npm run directory:import -- --role-holders <rolleinnehavarar.csv eller .xlsx> [--dry-run]',
    'les i staden lista over kven som har prosessroller (e-post, namn, rolle, eining og prosess),',
    'kontrollerer ho mot den lagra katalogen og erstattar den lagra lista.',
    '  --role-holders  fila er rolleinnehavarlista, ikkje katalogen',
  ].join('\n'),
  unknownOption: (option) => `Ukjend val: ${option}`,
  tooManyArguments: 'Oppgi berre éi mappe eller arbeidsbok.',
  problemCount: (count) => `${count === 1 ? 'Fann 1 problem' : `Fann ${count} problem`}. Ingenting er endra.`,
  imported: (source, version) => `Katalogen er importert frå ${source} (versjon ${version}).`,
  dryRun: (source) => `Prøvekøyring: katalogen i ${source} er gyldig, men ingenting er lagra.`,
  firstImport: (people, units, processes, roles, contactPoints) =>
    `Det fanst ingen katalog frå før. Ny katalog: ${people} personar, ${units} einingar, ${processes} prosessar, ${roles} roller og ${contactPoints} kontaktpunkt.`,
  noChanges: 'Ingen endringar samanlikna med den lagra katalogen.',
  people: ({ added, removed, changed }) => `Personar: ${added} lagde til, ${removed} fjerna, ${changed} endra`,
  units: ({ added, removed, changed }) => `Einingar: ${added} lagde til, ${removed} fjerna, ${changed} endra`,
  processes: ({ added, removed, changed }) => `Prosessar: ${added} lagde til, ${removed} fjerna, ${changed} endra`,
  roles: ({ added, removed, changed }) => `Roller: ${added} lagde til, ${removed} fjerna, ${changed} endra`,
  contactPoints: ({ added, removed, changed }) => `Kontaktpunkt: ${added} lagde til, ${removed} fjerna, ${changed} endra`,
  nameChanged: (before, after) => `namn «${before}» → «${after}»`,
  phoneChanged: (before, after) => `telefon ${before ?? '(ingen)'} → ${after ?? '(ingen)'}`,
  assignmentAdded: ({ role, process, unit }) => `ny rolle: ${role}${process === null ? '' : ` for ${process}`} ved ${unit}`,
  assignmentRemoved: ({ role, process, unit }) => `fjerna rolle: ${role}${process === null ? '' : ` for ${process}`} ved ${unit}`,
  roleHolders: {
    imported: (source, version) => `Rolleinnehavarlista er importert frå ${source} (versjon ${version}).`,
    dryRun: (source) => `Prøvekøyring: rolleinnehavarlista i ${source} er gyldig, men ingenting er lagra.`,
    firstImport: (people, rows) => `Det fanst inga rolleinnehavarliste frå før. Ny liste: ${people} personar med ${rows} roller.`,
    noChanges: 'Ingen endringar samanlikna med den lagra rolleinnehavarlista.',
    noDirectory: 'Det finst ingen katalog enno. Importer katalogen først: einingane og prosessane i lista vert kontrollerte mot han.',
  },
  conflict: 'Ein annan import vart fullførd i mellomtida, så ingenting er endra. Køyr kommandoen på nytt.',
  failed: (message) => `Importen feila, og ingenting er endra: ${message}`,
};
