/**
 * Language knowledge the matchers need beyond the directory's own names and
 * aliases: function words of bokmål, nynorsk and English, written folded
 * (see text.ts), and the words that mark each language.
 */

/** Frequent words that are never an entity on their own ("it", "per", "andre", "få" → "fa"). */
export const COMMON_WORDS = new Set(
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
  nb: new Set([
    'hvem', 'hva', 'jeg', 'ikke', 'hvordan', 'hvor', 'hvilken', 'hvilke', 'enhet', 'enheten', 'sporre', 'sporsmal', 'radgiver',
    'prosessradgiver', 'prosessradgiveren', 'jobber', 'hos', 'fra', 'min', 'mitt', 'mine', 'kontakte', 'trenger', 'hjelp',
    'melder', 'feil', 'gjor', 'er', 'pa', 'ved', 'og', 'for', 'om', 'med', 'det', 'den', 'en', 'et', 'til', 'av', 'kan',
    'ansvarlig', 'prosessansvarlig', 'avdeling', 'institutt', 'fakultet', 'registrert', 'leder', 'hei', 'takk',
  ]),
  nn: new Set([
    'kven', 'kva', 'eg', 'ikkje', 'korleis', 'kvar', 'kor', 'eining', 'eininga', 'sporje', 'radgjevar', 'prosessradgjevar',
    'radgivar', 'prosessradgivar', 'jobbar', 'hja', 'fra', 'mi', 'mitt', 'treng', 'hjelp', 'meldar', 'melder', 'feil', 'gjer', 'ein', 'eit',
    'ansvarleg', 'prosessansvarleg', 'leiar', 'berre', 'meir', 'dei', 'ho', 'er', 'pa', 'ved', 'og', 'for', 'om',
  ]),
  en: new Set([
    'who', 'whom', 'whos', 'what', 'which', 'where', 'how', 'is', 'the', 'my', 'our', 'at', 'about', 'do', 'does', 'i', 'contact',
    'advisor', 'adviser', 'manager', 'owner', 'coordinator', 'report', 'error', 'unit', 'department', 'faculty', 'work',
    'help', 'can', 'you', 'for', 'of', 'and', 'in', 'a', 'an', 'to', 'with', 'please', 'hello', 'hi', 'thanks', 'process',
    'registered', 'am', 'are', 'should', 'need', 'whose', 'division', 'finance', 'payroll',
  ]),
};

/**
 * Ordinary words of the domain that must not be read as typos of a name
 * ("prosesser" is the plural of "prosess", not a misspelt "prosesseier").
 */
export const DOMAIN_WORDS = new Set([
  'prosess', 'prosessen', 'prosesser', 'prosessene', 'prosessar', 'prosessane', 'process', 'processes',
  'enhet', 'enheten', 'enheter', 'eining', 'eininga', 'unit', 'units', 'rolle', 'rollen', 'roller', 'role', 'roles',
  'sporsmal', 'question', 'questions', 'kontakt', 'kontakte', 'contact',
]);
