import type { EventKind, Material, ProcessRole } from '../../announcements/model';
import type { ReminderChoice } from '../../announcements/reminders';

/** "a, b og c". */
const listOf = (items: readonly string[]): string => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} og ${items[items.length - 1]}`);

/** Bokmål texts of events: subscriptions, upcoming events, reminders, calendar files and the archive. */
export const eventsNb = {
  locale: 'nb-NO',
  listOf,
  /** A kind named in a sentence: "Neste fagkafé". */
  kindsInSentence: {
    kurs: 'kurs',
    oppfriskningskurs: 'oppfriskningskurs',
    fagkafe: 'fagkafé',
    sporretime: 'spørretime',
    samarbeidsmote: 'samarbeidsmøte',
  } satisfies Record<EventKind, string>,
  kindsPlural: {
    kurs: 'kurs',
    oppfriskningskurs: 'oppfriskningskurs',
    fagkafe: 'fagkaféer',
    sporretime: 'spørretimer',
    samarbeidsmote: 'samarbeidsmøter',
  } satisfies Record<EventKind, string>,
  rolesPlural: {
    prosjektokonom: 'prosjektøkonomer',
    soknadsregistrerer: 'søknadsregistrerere',
    kostnadsgodkjenner: 'kostnadsgodkjennere',
    innkjoper: 'innkjøpere',
    fagrekvirent: 'fagrekvirenter',
    fakturaansvarlig: 'fakturaansvarlige',
    salgsordreoppretter: 'salgsordreopprettere',
  } satisfies Record<ProcessRole, string>,
  /** A followed topic: "fagkaféer om Behov til betaling", "alt for prosjektøkonomer". */
  topic: (kind: string | null, process: string | null, role: string | null): string =>
    [kind ?? (role || process ? 'alt' : 'alle arrangementer'), process ? `om ${process}` : null, role ? `for ${role}` : null].filter(Boolean).join(' '),
  roleReplies: {
    stated: (roles: string): string =>
      `Notert: du er ${roles}. Kunngjøringer om kurs og fagkaféer for rollen kommer til deg her. Skriv «mine abonnementer» for å se eller endre det.`,
    alreadyKnown: (roles: string): string => `Det visste jeg: du er registrert som ${roles}.`,
    dropped: (roles: string): string => `Notert: du er ikke lenger registrert som ${roles}.`,
    notHeld: (roles: string): string => `Du var ikke registrert som ${roles}.`,
  },
  subscriptionReplies: {
    subscribed: (topics: string): string => `Du abonnerer nå på ${topics}. Kunngjøringene kommer til deg her.`,
    alreadySubscribed: (topics: string): string => `Du abonnerer allerede på ${topics}.`,
    tooMany: (max: number): string => `Du kan følge høyst ${max} emner. Avslutt noen først, for eksempel med «avslutt abonnement på kurs».`,
    ended: (what: string): string => `Avsluttet: ${what}.`,
    endedAll: 'Alle abonnementene dine er avsluttet, og rollene dine er fjernet. Kunngjøringer til alle, og til enheten din, får du fortsatt.',
    nothingToEnd: 'Du hadde ingen abonnementer å avslutte.',
    noneMatched: (what: string): string => `Du abonnerer ikke på ${what}. Skriv «mine abonnementer» for å se hva du følger.`,
  },
  settings: {
    title: 'Abonnementer på kurs og fagkaféer',
    intro: 'Kunngjøringer kommer til deg når de gjelder alle, rollene dine, enheten din eller noe du abonnerer på.',
    unit: (unit: string | null): string => (unit ? `Enheten din: ${unit}.` : 'Jeg vet ikke hvilken enhet du jobber ved. Skriv for eksempel «jeg jobber på IDI».'),
    rolesLabel: 'Rollene mine',
    topicsLabel: 'Jeg abonnerer på (fjern haken for å avslutte)',
    noTopics: 'Du abonnerer ikke på noe ennå.',
    addKindsLabel: 'Abonner på flere: typer arrangement',
    addProcessesLabel: 'Om prosesser (valgfritt)',
    save: 'Lagre',
    saved: 'Lagret.',
    hint: 'Du kan også skrive for eksempel «abonner på fagkaféer for Btb» eller «jeg er prosjektøkonom».',
  },
  upcoming: {
    title: 'Kommende arrangementer',
    titleFor: (what: string): string => `Kommende ${what}`,
    next: (what: string): string => `Neste ${what}`,
    /** What "Kommende …"/"Neste …" names when no kind is asked for. */
    events: 'arrangementer',
    event: 'arrangement',
    empty: 'Ingen kommende arrangementer passer. Skriv «abonner på …» for å få beskjed når noe blir kunngjort.',
    more: (count: number): string => `… og ${count} til.`,
    when: 'Når',
    where: 'Hvor',
    teamsMeeting: 'Teams-møte',
    audience: 'For',
    everyone: 'alle',
    remindMe: 'Minn meg på',
    addToCalendar: 'Legg i kalender',
    join: 'Bli med i møtet',
    register: 'Påmelding',
  },
  reminders: {
    choose: (title: string): string => `Når vil du bli minnet på «${title}»?`,
    choices: { 'day-before': 'Dagen før', 'hour-before': 'En time før' } satisfies Record<ReminderChoice, string>,
    scheduled: (title: string, when: string): string => `Jeg minner deg på «${title}» ${when}.`,
    sendingNow: (title: string): string => `«${title}» begynner snart, så påminnelsen kommer nå.`,
    sentToChat: 'Jeg har sendt deg et valg i chatten med meg.',
    noPersonalChat: 'Åpne en chat med Økonomi og lønn først, så kan jeg sende deg påminnelser der.',
    notFound: 'Fant ikke arrangementet. Det kan være fjernet.',
    cancelled: (title: string): string => `«${title}» er avlyst, så det blir ingen påminnelse.`,
    started: (title: string): string => `«${title}» har allerede begynt eller er over.`,
    delivered: {
      'day-before': (title: string, when: string): string => `Påminnelse: «${title}» er i morgen, ${when}.`,
      'hour-before': (title: string, when: string): string => `Påminnelse: «${title}» begynner om en time, ${when}.`,
    } satisfies Record<ReminderChoice, (title: string, when: string) => string>,
  },
  archive: {
    title: 'Opptak og lysbilder fra tidligere arrangementer',
    empty: 'Fant ingen tidligere arrangementer som passer. Prøv med andre ord, for eksempel prosessen eller typen arrangement.',
    noMaterials: 'Ingen opptak eller lysbilder er lagt til ennå.',
    materials: { recording: 'Opptak', slides: 'Lysbilder', other: 'Materiell' } satisfies Record<Material['kind'], string>,
    added: (material: string, id: string, title: string): string => `${material} er lagt til «${title}» (${id}).`,
    alreadyThere: (id: string): string => `Den lenken er allerede lagt til ${id}.`,
    notFound: (id: string): string => `Fant ikke arrangementet ${id}.`,
    invalidUrl: 'Lenken må være en nettadresse som begynner med https://.',
    needsIdAndUrl: 'Skriv hvilket arrangement og hvilken lenke, for eksempel «legg til opptak KU-2026-0007 https://…».',
    refused: 'Bare forvaltningskoordinator kan legge til opptak og lysbilder.',
  },
  calendar: {
    meeting: (url: string): string => `Teams-møte: ${url}`,
    registration: (url: string): string => `Påmelding: ${url}`,
    cancelledPrefix: 'AVLYST: ',
    teamsMeeting: 'Microsoft Teams-møte',
    notFound: (id: string): string => `Fant ikke arrangementet ${id}. Lenken kan være feil, eller arrangementet er ikke kunngjort.`,
  },
  cardError: 'Noe var galt med kortet. Prøv igjen fra en ny melding.',
};

export type EventTexts = typeof eventsNb;
