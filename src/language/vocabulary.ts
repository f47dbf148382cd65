import { fold } from './text';
/**
 * Language knowledge the matchers need beyond the directory's own names and
 * aliases: function words of bokmål, nynorsk and English, written folded
 * (see text.ts), and the words that mark each language.
 */

/** Words as the matchers see them: folded as message words are ("does" → "dos", "noe" → "no"). */
function foldedSet(words: readonly string[]): ReadonlySet<string> {
  return new Set(words.map(fold));
}

/** Frequent words that are never an entity on their own ("it", "per", "andre", "få" → "fa"). */
export const COMMON_WORDS = foldedSet(
  [
    // bokmål / nynorsk
    'i', 'a', 'pa', 'er', 'og', 'om', 'av', 'en', 'et', 'ei', 'ein', 'eit', 'du', 'de', 'dei', 'vi', 'me', 'han', 'hun', 'ho',
    'jeg', 'eg', 'meg', 'seg', 'min', 'mi', 'mitt', 'mine', 'sin', 'var', 'vart', 'vare', 'kan', 'vil', 'skal', 'ma', 'nar',
    'hva', 'kva', 'hvem', 'kven', 'som', 'med', 'til', 'fra', 'ved', 'hos', 'hja', 'ut', 'inn', 'opp', 'ned', 'her', 'der',
    'ja', 'nei', 'alle', 'andre', 'noen', 'nokon', 'ingen', 'hei', 'hallo', 'takk', 'ok', 'fa', 'ha', 'per', 'den', 'det',
    'denne', 'dette', 'ikke', 'ikkje', 'hvor', 'kvar', 'hvordan', 'korleis', 'hvilken', 'hvilke', 'kva', 'kor', 'oss', 'ny',
    'nye', 'for', 'ogsa', 'sa', 'bare', 'berre', 'litt', 'mer', 'meir',
    // English
    'it', 'id', 'ie', 'is', 'at', 'in', 'on', 'to', 'of', 'the', 'an', 'am', 'my', 'be', 'do', 'so', 'no', 'as', 'me', 'we',
    'our', 'us', 'who', 'whom', 'what', 'which', 'where', 'how', 'when', 'and', 'or', 'not', 'can', 'will', 'with', 'from',
    'about', 'for', 'this', 'that', 'there', 'here', 'all', 'hi', 'hello', 'thanks', 'please', 'new', 'per', 'ki', 'job',
    'i', 's', 'm', 're', 'd', 'll', 've', 't', 'does', 'did', 'are', 'was', 'were', 'have', 'has', 'need', 'want', 'get',
  ],
);

/** Words that mark a message as written in a language (folded). */
export const LANGUAGE_MARKERS: Record<'nb' | 'nn' | 'en', ReadonlySet<string>> = {
  nb: foldedSet([
    'hvem', 'hva', 'jeg', 'ikke', 'hvordan', 'hvor', 'hvilken', 'hvilke', 'enhet', 'enheten', 'sporre', 'sporsmal', 'radgiver',
    'prosessradgiver', 'prosessradgiveren', 'jobber', 'hos', 'fra', 'min', 'mitt', 'mine', 'kontakte', 'trenger', 'hjelp',
    'melder', 'feil', 'gjor', 'er', 'pa', 'ved', 'og', 'for', 'om', 'med', 'det', 'den', 'en', 'et', 'til', 'av', 'kan',
    'ansvarlig', 'prosessansvarlig', 'avdeling', 'institutt', 'fakultet', 'registrert', 'leder', 'hei', 'takk',
    // Everyday bokmål the other two do not write this way.
    'i', 'blir', 'hvis', 'noe', 'noen', 'ogsa', 'bare', 'mye', 'skal', 'vil', 'nar', 'neste', 'meg', 'deg', 'oss', 'hvorfor',
    'gjelder', 'gjaldt', 'lurer', 'ansatt', 'begynt', 'sitter', 'hjelper', 'finnes', 'morgen', 'forrige', 'samme', 'enn', 'hvilket',
    'bestille', 'lonnen', 'eller', 'selv', 'etter', 'rolle', 'rollen', 'gjore', 'gir', 'far', 'fatt', 'handler', 'hoyre',
    'avdelingen', 'instituttet', 'fakultetet', 'radgiveren', 'prosessradgiveren', 'vaert', 'ute', 'egentlig', 'hore', 'horer',
    // The commands' words (shared with nynorsk: a Norwegian command is answered in bokmål unless it shows nynorsk).
    'endre', 'kunngjøring', 'kunngjøringen', 'avlys', 'nytt', 'forslag', 'forbedringsforslag', 'opptak', 'legg', 'abonner',
    'abonnement', 'abonnementer', 'kurs', 'kurset', 'fagkafé', 'kanalen', 'kanaler', 'registrer', 'vis', 'eksporter', 'slett', 'levert',
    'innkjøp', 'lønn', 'budsjett',
  ]),
  nn: foldedSet([
    'kven', 'kva', 'eg', 'ikkje', 'korleis', 'kvar', 'kor', 'eining', 'eininga', 'sporje', 'radgjevar', 'prosessradgjevar',
    'radgivar', 'prosessradgivar', 'jobbar', 'hja', 'fra', 'mi', 'mitt', 'treng', 'hjelp', 'meldar', 'melder', 'feil', 'gjer', 'ein', 'eit',
    'ansvarleg', 'prosessansvarleg', 'leiar', 'berre', 'meir', 'dei', 'ho', 'er', 'pa', 'ved', 'og', 'for', 'om',
    // Everyday nynorsk the other two do not write this way.
    'i', 'blir', 'noko', 'nokon', 'heile', 'hoyrer', 'gjeld', 'sja', 'vere', 'vore', 'dykk', 'dykkar', 'tilsett', 'byrja', 'veret',
    'kunngjering', 'forbetringsforslag', 'fagkafé', 'kurs', 'opptak', 'legg', 'abonner', 'registrer', 'vis', 'innkjøp', 'løn', 'budsjett',
    'opplysningar', 'opplysningane', 'slett', 'mine', 'nytilsett', 'staden', 'viss', 'namnet', 'helga', 'mykje', 'kjem', 'fekk', 'seier', 'tek', 'skulle', 'korfor', 'kvifor', 'gong', 'rolla', 'radgjevaren', 'prosessradgjevaren',
    'hjelpa', 'sjolv', 'berre', 'aldri', 'ikkje', 'sit', 'held', 'arbeidsstaden', 'gjev', 'opnar', 'eigen', 'skal', 'vil', 'me',
  ]),
  en: foldedSet([
    'who', 'whom', 'whos', 'what', 'which', 'where', 'how', 'is', 'the', 'my', 'our', 'at', 'about', 'do', 'does', 'i', 'contact',
    'advisor', 'adviser', 'manager', 'owner', 'coordinator', 'report', 'error', 'unit', 'department', 'faculty', 'work',
    'help', 'can', 'you', 'for', 'of', 'and', 'in', 'a', 'an', 'to', 'with', 'please', 'hello', 'hi', 'thanks', 'process',
    'registered', 'am', 'are', 'should', 'need', 'whose', 'division', 'finance', 'payroll',
    // Everyday English.
    'if', 'would', 'could', 'whats', 'there', 'then', 'instead', 'cheers', 'just', 'joined', 'employed', 'we', 'us', 'invoice',
    'mean', 'means', 'covers', 'part', 'or', 'that', 'this', 'it', 'have', 'has', 'get', 'weather', 'order', 'next', 'when', 'will',
    'handles', 'role', 'whole', 'same', 'also', 'want', 'me', 'be', 'from', 'on', 'forget', 'delete', 'erase', 'remove',
    'export', 'suggestions', 'suggestion', 'announcement', 'change', 'cancel', 'new', 'show', 'subscribe', 'channel', 'register',
    'undelivered', 'recording', 'recordings', 'course', 'courses', 'session', 'purchase', 'budget', 'budgeting', 'salary',
  ]),
};

/**
 * Ordinary words of the domain that must not be read as typos of a name
 * ("prosesser" is the plural of "prosess", not a misspelt "prosesseier").
 */
export const DOMAIN_WORDS = foldedSet([
  'prosess', 'prosessen', 'prosesser', 'prosessene', 'prosessar', 'prosessane', 'process', 'processes',
  'enhet', 'enheten', 'enheter', 'eining', 'eininga', 'unit', 'units', 'rolle', 'rollen', 'roller', 'role', 'roles',
  'sporsmal', 'question', 'questions', 'kontakt', 'kontakte', 'contact',
]);
