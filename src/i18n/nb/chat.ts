/** Bokmål texts of the chat (the product's default language). */
export const chatNb = {
  appName: 'Økonomi og lønn',
  contacts: {
    title: (role: string, process: string | null, unit: string | null): string => [role, process ? `for ${process}` : null, unit ? `ved ${unit}` : null].filter(Boolean).join(' '),
    reasonOwnUnit: (unit: string, process: string): string => `${unit} har egen prosessrådgiver for ${process}.`,
    reasonInherited: (unit: string, from: string, process: string): string =>
      `${unit} har ingen egen prosessrådgiver for ${process}, så det er rådgiveren ved ${from} som hjelper deg.`,
    reasonNoLocalAdvisor: (unit: string, process: string): string => `Verken ${unit} eller enhetene over har en prosessrådgiver for ${process}, så prosessansvarlig svarer.`,
    reasonServiceCentre: (process: string): string => `Alle prosessrådgiverne for ${process} sitter i Tjenestesenteret, uansett hvor du jobber.`,
    reasonCentral: (process: string): string => `${process} har ingen lokale prosessrådgivere. Spørsmål og forslag går rett til prosessansvarlig i Fellesadministrasjonen.`,
    reasonRole: (role: string): string => `Slik står ${role.toLowerCase()} oppført i katalogen.`,
    ownUnitNote: (unit: string): string => `Svaret gjelder enheten du er registrert på: ${unit}.`,
    subject: (subject: string, unit: string | null): string => (unit ? `${subject} ved ${unit}` : subject),
    carriedOver: (subject: string, upToFaculty: boolean): string =>
      upToFaculty ? `${subject} – fakultetet over enheten i forrige spørsmål.` : `${subject} – som i forrige spørsmål.`,
    forProcesses: (processes: string): string => `Gjelder: ${processes}`,
    more: (count: number): string => `… og ${count} til. Spør gjerne mer presist, for eksempel med enhet.`,
    chat: 'Chat',
    email: 'Send e-post',
    suggest: 'Foreslå en forbedring',
    textLine: (title: string, people: string): string => `${title}: ${people}`,
  },
  nobody: (role: string, process: string | null): string =>
    process
      ? `Katalogen har ingen ${role.toLowerCase()} for ${process} ennå. Spør forvaltningskoordinatoren, eller prøv NTNU Hjelp.`
      : `Katalogen har ingen ${role.toLowerCase()} ennå. Spør forvaltningskoordinatoren, eller prøv NTNU Hjelp.`,
  askOwnUnit: {
    title: 'Hvilken enhet jobber du ved?',
    body: 'Svaret avhenger av enheten din. Velg den her, eller skriv for eksempel «jeg jobber på IDI». Jeg husker den til neste gang.',
    placeholder: 'Velg fra listen, eller skriv koden',
    save: 'Lagre enheten min',
    missing: 'Velg en enhet først.',
    label: 'Enhet',
    waitingQuestion: (question: string): string => `Deretter svarer jeg på spørsmålet ditt: «${question}»`,
  },
  unitSearch: {
    label: 'Søk etter enhet (kode eller navn)',
    placeholder: 'For eksempel fysikk eller IFY',
    button: 'Søk',
    found: (count: number, text: string): string => `${count} ${count === 1 ? 'enhet passer' : 'enheter passer'} til «${text}».`,
    none: (text: string): string => `Ingen enhet passer til «${text}» – prøv kode eller en del av navnet.`,
    empty: 'Skriv koden eller en del av navnet i søkefeltet, og trykk Søk.',
  },
  unknownUnit: {
    title: (text: string): string => `Jeg finner ingen enhet som heter «${text}».`,
    suggestions: 'Mente du en av disse?',
    noSuggestions: 'Velg enheten fra listen, eller skriv koden (for eksempel IDI).',
    choose: 'Velg',
  },
  askProcess: {
    title: 'Hvilken prosess gjelder det?',
    body: (unit: string | null): string => (unit ? `Jeg kan finne rett person ved ${unit} når jeg vet hvilken prosess du lurer på.` : 'Velg prosessen, så finner jeg rett person.'),
  },
  ownUnitSaved: 'Enheten er lagret',
  answerFollows: 'Her er svaret på spørsmålet ditt:',
  ownUnitSet: (unit: string): string => `Notert: du jobber ved ${unit}. Du kan endre det når som helst ved å skrive «jeg jobber på …».`,
  ownUnitShown: (unit: string): string => `Du er registrert ved ${unit}.`,
  ownUnitUnknown: 'Jeg vet ikke hvilken enhet du jobber ved ennå.',
  changeOwnUnit: 'Endre enhet',
  roleDescription: {
    title: (role: string): string => `Hva gjør ${role.toLowerCase()}?`,
    holders: 'Hvem har rollen',
  },
  errorRouting: {
    title: 'Slik melder du feil',
    unit4: 'Feil i Unit4',
    dfo: 'Feil i SAP, Selvbetjeningsportalen eller DFØ-appen',
    other: 'Andre feil og spørsmål',
    write: (email: string): string => `Skriv til ${email}`,
    open: 'Åpne',
  },

  help: {
    greeting: 'Hei! Jeg er Økonomi og lønn-boten.',
    title: 'Dette kan jeg hjelpe med',
    items: [
      'Finne prosessrådgiveren for Btb, Prosjektøkonomi, PBO eller lønn ved enheten din',
      'Finne prosessansvarlig, prosesseier, forvaltningskoordinator, systemforvalter og innføringsleder',
      'Forklare hva rollene gjør',
      'Fortelle hvor du melder feil i Unit4, SAP, Selvbetjeningsportalen og DFØ-appen',
      'Ta imot forbedringsforslag og sende dem til rett prosessteam («forbedringsforslag», «mine forslag», «status FF-2026-0042»)',
      'Fortelle om kommende kurs og fagkaféer, minne deg på dem og finne opptak («hvilke kurs kommer?», «jeg er prosjektøkonom»)',
    ],
    examplesTitle: 'Prøv for eksempel',
    examples: [
      'Hvem er prosessrådgiver for Btb hos oss?',
      'Hvem er prosessansvarlig for PBO?',
      'Hvor melder jeg feil i Unit4?',
      'Hvilken enhet er jeg registrert på?',
      'Jeg har et forbedringsforslag',
    ],
  },
  welcome: {
    title: 'Velkommen til Økonomi og lønn!',
    body: 'Jeg finner rett person for spørsmål om økonomi- og lønnsprosessene ved NTNU: prosessrådgivere, prosessansvarlige og hvor du melder feil. Fortell meg hvilken enhet du jobber ved, så blir svarene riktige for deg.',
  },
  explanation: {
    title: (names: string): string => `Dette er ${names}`,
    processRoleTitle: (role: string, names: string): string => `${role} er en prosessrolle i ${names}`,
    noDescription: 'Katalogen har ingen beskrivelse av denne prosessen ennå.',
    whoHint: (process: string): string => `Vil du vite hvem du kan spørre? Skriv for eksempel «Hvem er prosessrådgiver for ${process} ved IDI?».`,
  },
  cannotAnswer: {
    title: {
      'own-money': 'Lønnen, feriepengene og utbetalingene dine kan jeg ikke se.',
      everyday: 'Det kan jeg dessverre ikke svare på.',
      weather: 'Det kan jeg dessverre ikke svare på.',
      ordering: 'Jeg kan ikke bestille eller kjøpe noe for deg.',
    },
    body: {
      'own-money': 'Lønnsslipp og utbetalinger finner du i Selvbetjeningsportalen eller DFØ-appen. Har du spørsmål om din egen lønn, ta kontakt med Tjenestesenteret:',
      everyday:
        'Parkering, kantiner og annet hverdagsliv på campus vet jeg ingenting om. Jeg svarer på spørsmål om NTNUs økonomi- og lønnsprosesser: hvem som er prosessrådgiver, prosessansvarlig og andre roller, hva prosessene dekker, og hvor du melder feil.',
      weather:
        'Jeg svarer bare på spørsmål om NTNUs økonomi- og lønnsprosesser: hvem som er prosessrådgiver, prosessansvarlig og andre roller, hva prosessene dekker, og hvor du melder feil.',
      ordering: 'Bestillinger gjør du selv i Unit4, i prosessen Behov til betaling. Spør meg gjerne hvem som er Btb-rådgiver ved enheten din, eller ta kontakt med:',
    },
  },
  notUnderstood: {
    title: 'Det forsto jeg ikke helt.',
    body: 'Jeg svarer på hvem som er prosessrådgiver, prosessansvarlig og andre roller for økonomi- og lønnsprosessene, og hvor du melder feil. Spør gjerne med prosess og enhet, for eksempel «Hvem er prosessrådgiver for PBO ved IDI?».',
  },
  tooLong: (limit: number): string => `Meldingen er for lang for meg (over ${limit} tegn). Skriv spørsmålet kort, for eksempel «Hvem er prosessrådgiver for Btb ved IDI?».`,
  thanks: 'Bare hyggelig! Spør gjerne igjen når du lurer på noe.',
  processOverview: {
    title: 'Hovedprosessene i økonomi og lønn',
    body: 'Spør for eksempel «hvem er prosessrådgiver for PBO hos oss?».',
    advisorModel: {
      local: 'Lokale prosessrådgivere ved hver enhet (fakultet, institutt, Vitenskapsmuseet, Fellesadministrasjonen).',
      'service-centre': 'Alle prosessrådgiverne sitter i Tjenestesenteret.',
      central: 'Ingen lokale rådgivere: prosessansvarlig i Fellesadministrasjonen svarer.',
    } as Record<'local' | 'service-centre' | 'central', string>,
  },
  turnError: 'Beklager, noe gikk galt hos meg, og jeg fikk ikke svart. Prøv igjen om litt.',
  cardError: 'Noe gikk galt med kortet. Prøv igjen, eller skriv spørsmålet i chatten.',
  roleDescriptions: {
    prosessradgiver:
      'Prosessrådgiveren utnevnes av hver enhet for Btb, Prosjektøkonomi og PBO (for Lønn og lønnsnær HR sitter alle i Tjenestesenteret). Rådgiveren sørger for at enheten følger prosessen, informerer og veileder målgruppene, gir kollegaveiledning, tar imot og fremmer forbedringsforslag og deltar i prosessteamet.',
    prosessansvarlig:
      'Prosessansvarlig utnevnes av operativ prosesseier, én per hovedprosess. Prosessansvarlig sørger for at prosess-, rutine- og rollebeskrivelser følges, leder det lokale prosessteamet, følger opp evaluering og kontinuerlig forbedring, lærer opp prosessrollene og representerer NTNU i BOTTs prosessteam. Forbedringsforslag som skal videre til BOTT forvaltning, går gjennom prosessansvarlig.',
    'operativ-prosesseier':
      'Operativ prosesseier har fått myndighet fra prosesseier (organisasjons- og infrastrukturdirektøren). Rollen sikrer etterlevelse og internkontroll, prioriterer forbedringstiltak og fastsetter rutiner og retningslinjer.',
    forvaltningskoordinator:
      'Forvaltningskoordinatoren er NTNUs representant i forvaltningssamarbeidet i BOTT økonomi og lønn, er sekretariat for forvaltningsutvalget, koordinerer prosessteamene og leder forvaltningsteamet, som eier veien til hvert forbedringsforslag fra innsending til avslutning.',
    systemforvalter:
      'Systemforvalter universitet synliggjør NTNUs behov for systemforvaltning og integrasjoner mot Unit4 og SAP i BOTT, kobler på integrasjonsmiljøet, følger opp feil og løfter saker videre til DFØ.',
    innforingsleder: 'Innføringslederen leder innføringen av prosjektsøknadsmodulen i Unit4 (tidligere PreAward).',
  } as Record<string, string>,
};

export type ChatTexts = typeof chatNb;
