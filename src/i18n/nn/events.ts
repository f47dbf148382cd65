import type { EventTexts } from '../nb/events';

/** "a, b og c". */
const listOf = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} og ${items[items.length - 1]}`;

/** Nynorsk texts of events: subscriptions, upcoming events, reminders, calendar files and the archive. */
export const eventsNn: EventTexts = {
  locale: 'nn-NO',
  listOf,
  kindsInSentence: {
    kurs: 'kurs',
    oppfriskningskurs: 'oppfriskingskurs',
    fagkafe: 'fagkafé',
    sporretime: 'spørjetime',
    samarbeidsmote: 'samarbeidsmøte',
  },
  kindsPlural: {
    kurs: 'kurs',
    oppfriskningskurs: 'oppfriskingskurs',
    fagkafe: 'fagkafear',
    sporretime: 'spørjetimar',
    samarbeidsmote: 'samarbeidsmøte',
  },
  rolesPlural: {
    prosjektokonom: 'prosjektøkonomar',
    soknadsregistrerer: 'søknadsregistrerarar',
    kostnadsgodkjenner: 'kostnadsgodkjennarar',
    innkjoper: 'innkjøparar',
    fagrekvirent: 'fagrekvirentar',
    fakturaansvarlig: 'fakturaansvarlege',
    salgsordreoppretter: 'salsordreopprettarar',
  },
  /** A followed topic: "fagkafear om Behov til betaling", "alt for prosjektøkonomar". */
  topic: (kind, process, role) =>
    [kind ?? (role || process ? 'alt' : 'alle arrangement'), process ? `om ${process}` : null, role ? `for ${role}` : null].filter(Boolean).join(' '),
  roleReplies: {
    stated: (roles) =>
      `Notert: du er ${roles}. Kunngjeringar om kurs og fagkafear for rolla kjem til deg her. Skriv «mine abonnement» for å sjå eller endre det.`,
    alreadyKnown: (roles) => `Det visste eg: du er registrert som ${roles}.`,
    dropped: (roles) => `Notert: du er ikkje lenger registrert som ${roles}.`,
    notHeld: (roles) => `Du var ikkje registrert som ${roles}.`,
  },
  subscriptionReplies: {
    subscribed: (topics) => `No abonnerer du på ${topics}. Kunngjeringane kjem til deg her.`,
    alreadySubscribed: (topics) => `Du abonnerer allereie på ${topics}.`,
    tooMany: (max) => `Du kan følgje høgst ${max} emne. Avslutt nokre først, til dømes med «avslutt abonnement på kurs».`,
    ended: (what) => `Avslutta: ${what}.`,
    endedAll:
      'Alle abonnementa dine er avslutta, og rollene dine er fjerna. Kunngjeringar til alle, og til eininga di, får du framleis.',
    nothingToEnd: 'Du hadde ingen abonnement å avslutte.',
    noneMatched: (what) => `Du abonnerer ikkje på ${what}. Skriv «mine abonnement» for å sjå kva du følgjer.`,
  },
  settings: {
    title: 'Abonnement på kurs og fagkafear',
    intro: 'Kunngjeringar kjem til deg når dei gjeld alle, rollene dine, eininga di eller noko du abonnerer på.',
    unit: (unit) => (unit ? `Eininga di: ${unit}.` : 'Eg veit ikkje kva eining du jobbar ved. Skriv til dømes «eg jobbar på IDI».'),
    rolesLabel: 'Rollene mine',
    topicsLabel: 'Eg abonnerer på (fjern haken for å avslutte)',
    noTopics: 'Du abonnerer ikkje på noko enno.',
    addKindsLabel: 'Abonner på fleire: typar arrangement',
    addProcessesLabel: 'Om prosessar (valfritt)',
    save: 'Lagre',
    saved: 'Lagra.',
    hint: 'Du kan også skrive til dømes «abonner på fagkafear for Btb» eller «eg er prosjektøkonom».',
  },
  upcoming: {
    title: 'Arrangement som kjem',
    titleFor: (what) => `Komande ${what}`,
    next: (what) => `Neste ${what}`,
    events: 'arrangement',
    event: 'arrangement',
    empty: 'Ingen komande arrangement passar. Skriv «abonner på …» for å få melding når noko blir kunngjort.',
    more: (count) => `… og ${count} til.`,
    when: 'Når',
    where: 'Kvar',
    teamsMeeting: 'Teams-møte',
    audience: 'For',
    everyone: 'alle',
    remindMe: 'Minn meg på',
    addToCalendar: 'Legg i kalender',
    join: 'Bli med i møtet',
    register: 'Påmelding',
  },
  reminders: {
    choose: (title) => `Når vil du bli mint på «${title}»?`,
    choices: { 'day-before': 'Dagen før', 'hour-before': 'Ein time før' },
    scheduled: (title, when) => `Eg minner deg på «${title}» ${when}.`,
    sendingNow: (title) => `«${title}» byrjar snart, så påminninga kjem no.`,
    sentToChat: 'Eg har sendt deg eit val i chatten med meg.',
    noPersonalChat: 'Opne ein chat med Økonomi og lønn først, så kan eg sende deg påminningar der.',
    notFound: 'Fann ikkje arrangementet. Det kan vere fjerna.',
    cancelled: (title) => `«${title}» er avlyst, så det blir inga påminning.`,
    started: (title) => `«${title}» har alt byrja eller er over.`,
    delivered: {
      'day-before': (title, when) => `Påminning: «${title}» er i morgon, ${when}.`,
      'hour-before': (title, when) => `Påminning: «${title}» byrjar om ein time, ${when}.`,
    },
  },
  archive: {
    title: 'Opptak og lysbilete frå tidlegare arrangement',
    empty: 'Fann ingen tidlegare arrangement som passar. Prøv med andre ord, til dømes prosessen eller typen arrangement.',
    noMaterials: 'Ingen opptak eller lysbilete er lagde til enno.',
    materials: { recording: 'Opptak', slides: 'Lysbilete', other: 'Materiell' },
    added: (material, id, title) => `${material} er lagt til «${title}» (${id}).`,
    alreadyThere: (id) => `Den lenkja er alt lagd til ${id}.`,
    notFound: (id) => `Fann ikkje arrangementet ${id}.`,
    invalidUrl: 'Lenkja må vere ei nettadresse som byrjar med https://.',
    needsIdAndUrl: 'Skriv kva arrangement og kva lenkje, til dømes «legg til opptak KU-2026-0007 https://…».',
    refused: 'Berre forvaltingskoordinator kan leggje til opptak og lysbilete.',
  },
  calendar: {
    meeting: (url) => `Teams-møte: ${url}`,
    registration: (url) => `Påmelding: ${url}`,
    cancelledPrefix: 'AVLYST: ',
    teamsMeeting: 'Microsoft Teams-møte',
    notFound: (id) => `Fann ikkje arrangementet ${id}. Lenkja kan vere feil, eller arrangementet er ikkje kunngjort.`,
  },
  cardError: 'Noko var gale med kortet. Prøv igjen frå ei ny melding.',
};
