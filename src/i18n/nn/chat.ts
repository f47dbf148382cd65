import type { ChatTexts } from '../nb/chat';

/** Nynorsk texts of the chat. */
export const chatNn: ChatTexts = {
  appName: 'Økonomi og lønn',
  contacts: {
    title: (role, process, unit) => [role, process ? `for ${process}` : null, unit ? `ved ${unit}` : null].filter(Boolean).join(' '),
    reasonOwnUnit: (unit, process) => `${unit} har eigen prosessrådgjevar for ${process}.`,
    reasonInherited: (unit, from, process) => `${unit} har ingen eigen prosessrådgjevar for ${process}, så det er rådgjevaren ved ${from} som hjelper deg.`,
    reasonNoLocalAdvisor: (unit, process) => `Verken ${unit} eller einingane over har ein prosessrådgjevar for ${process}, så prosessansvarleg svarar.`,
    reasonServiceCentre: (process) => `Alle prosessrådgjevarane for ${process} sit i Tjenestesenteret, same kvar du jobbar.`,
    reasonCentral: (process) => `${process} har ingen lokale prosessrådgjevarar. Spørsmål og forslag går rett til prosessansvarleg i Fellesadministrasjonen.`,
    reasonRole: (role) => `Slik står ${role.toLowerCase()} oppført i katalogen.`,
    subject: (subject, unit) => (unit ? `${subject} ved ${unit}` : subject),
    carriedOver: (subject, upToFaculty) => (upToFaculty ? `${subject} – fakultetet over eininga i førre spørsmål.` : `${subject} – som i førre spørsmål.`),
    ownUnitNote: (unit) => `Svaret gjeld eininga du er registrert på: ${unit}.`,
    forProcesses: (processes) => `Gjeld: ${processes}`,
    more: (count) => `… og ${count} til. Spør gjerne meir presist, til dømes med eining.`,
    chat: 'Chat',
    email: 'Send e-post',
    suggest: 'Føreslå ei forbetring',
    textLine: (title, people) => `${title}: ${people}`,
  },
  nobody: (role, process) =>
    process
      ? `Katalogen har ingen ${role.toLowerCase()} for ${process} enno. Spør forvaltingskoordinatoren, eller prøv NTNU Hjelp.`
      : `Katalogen har ingen ${role.toLowerCase()} enno. Spør forvaltingskoordinatoren, eller prøv NTNU Hjelp.`,
  askOwnUnit: {
    title: 'Kva eining jobbar du ved?',
    body: 'Svaret avheng av eininga di. Vel ho her, eller skriv til dømes «eg jobbar på IDI». Eg hugsar ho til neste gong.',
    placeholder: 'Vel frå lista, eller skriv koden',
    save: 'Lagre eininga mi',
    missing: 'Vel ei eining først.',
    label: 'Eining',
    waitingQuestion: (question) => `Deretter svarar eg på spørsmålet ditt: «${question}»`,
  },
  unitSearch: {
    label: 'Søk etter eining (kode eller namn)',
    placeholder: 'Til dømes fysikk eller IFY',
    button: 'Søk',
    found: (count, text) => `${count} ${count === 1 ? 'eining passar' : 'einingar passar'} til «${text}».`,
    none: (text) => `Inga eining passar til «${text}» – prøv kode eller ein del av namnet.`,
    empty: 'Skriv koden eller ein del av namnet i søkjefeltet, og trykk Søk.',
  },
  unknownUnit: {
    title: (text) => `Eg finn inga eining som heiter «${text}».`,
    suggestions: 'Meinte du ei av desse?',
    noSuggestions: 'Vel eininga frå lista, eller skriv koden (til dømes IDI).',
    choose: 'Vel',
  },
  askProcess: {
    title: 'Kva prosess gjeld det?',
    body: (unit) => (unit ? `Eg kan finne rett person ved ${unit} når eg veit kva prosess du lurer på.` : 'Vel prosessen, så finn eg rett person.'),
  },
  ownUnitSaved: 'Eininga er lagra',
  answerFollows: 'Her er svaret på spørsmålet ditt:',
  ownUnitSet: (unit) => `Notert: du jobbar ved ${unit}. Du kan endre det når som helst ved å skrive «eg jobbar på …».`,
  ownUnitShown: (unit) => `Du er registrert ved ${unit}.`,
  ownUnitUnknown: 'Eg veit ikkje kva eining du jobbar ved enno.',
  changeOwnUnit: 'Endre eining',
  roleDescription: {
    title: (role) => `Kva gjer ${role.toLowerCase()}?`,
    holders: 'Kven har rolla',
  },
  errorRouting: {
    title: 'Slik melder du frå om feil',
    unit4: 'Feil i Unit4',
    dfo: 'Feil i SAP, Selvbetjeningsportalen eller DFØ-appen',
    other: 'Andre feil og spørsmål',
    write: (email) => `Skriv til ${email}`,
    open: 'Opne',
  },

  help: {
    greeting: 'Hei! Eg er Økonomi og lønn-boten.',
    title: 'Dette kan eg hjelpe med',
    items: [
      'Finne prosessrådgjevaren for Btb, Prosjektøkonomi, PBO eller lønn ved eininga di',
      'Finne prosessansvarleg, prosesseigar, forvaltingskoordinator, systemforvaltar og innføringsleiar',
      'Forklare kva rollene gjer',
      'Fortelje kvar du melder frå om feil i Unit4, SAP, Selvbetjeningsportalen og DFØ-appen',
      'Ta imot forbetringsforslag og sende dei til rett prosessteam («forbetringsforslag», «mine forslag», «status FF-2026-0042»)',
      'Fortelje om kurs og fagkafear som kjem, minne deg på dei og finne opptak («kva kurs kjem?», «eg er prosjektøkonom»)',
    ],
    examplesTitle: 'Prøv til dømes',
    examples: [
      'Kven er prosessrådgjevar for Btb hos oss?',
      'Kven er prosessansvarleg for PBO?',
      'Kvar melder eg feil i Unit4?',
      'Kva eining er eg registrert på?',
      'Eg har eit forbetringsforslag',
    ],
  },
  welcome: {
    title: 'Velkomen til Økonomi og lønn!',
    body: 'Eg finn rett person for spørsmål om økonomi- og lønnsprosessane ved NTNU: prosessrådgjevarar, prosessansvarlege og kvar du melder frå om feil. Fortel meg kva eining du jobbar ved, så blir svara rette for deg.',
  },
  explanation: {
    title: (names) => `Dette er ${names}`,
    processRoleTitle: (role, names) => `${role} er ei prosessrolle i ${names}`,
    noDescription: 'Katalogen har inga skildring av denne prosessen enno.',
    whoHint: (process) => `Vil du vite kven du kan spørje? Skriv til dømes «Kven er prosessrådgjevar for ${process} ved IDI?».`,
  },
  cannotAnswer: {
    title: {
      'own-money': 'Løna, feriepengane og utbetalingane dine kan eg ikkje sjå.',
      everyday: 'Det kan eg dessverre ikkje svare på.',
      weather: 'Det kan eg dessverre ikkje svare på.',
      ordering: 'Eg kan ikkje bestille eller kjøpe noko for deg.',
    },
    body: {
      'own-money': 'Lønsslipp og utbetalingar finn du i Selvbetjeningsportalen eller DFØ-appen. Har du spørsmål om di eiga løn, ta kontakt med Tjenestesenteret:',
      everyday:
        'Parkering, kantiner og anna kvardagsliv på campus veit eg ingenting om. Eg svarar på spørsmål om økonomi- og lønsprosessane ved NTNU: kven som er prosessrådgjevar, prosessansvarleg og andre roller, kva prosessane dekkjer, og kvar du melder frå om feil.',
      weather:
        'Eg svarar berre på spørsmål om økonomi- og lønsprosessane ved NTNU: kven som er prosessrådgjevar, prosessansvarleg og andre roller, kva prosessane dekkjer, og kvar du melder frå om feil.',
      ordering: 'Bestillingar gjer du sjølv i Unit4, i prosessen Behov til betaling. Spør meg gjerne kven som er Btb-rådgjevar ved eininga di, eller ta kontakt med:',
    },
  },
  notUnderstood: {
    title: 'Det forstod eg ikkje heilt.',
    body: 'Eg svarar på kven som er prosessrådgjevar, prosessansvarleg og andre roller for økonomi- og lønnsprosessane, og kvar du melder frå om feil. Spør gjerne med prosess og eining, til dømes «Kven er prosessrådgjevar for PBO ved IDI?».',
  },
  tooLong: (limit) => `Meldinga er for lang for meg (over ${limit} teikn). Skriv spørsmålet kort, til dømes «Kven er prosessrådgjevar for Btb ved IDI?».`,
  thanks: 'Berre hyggeleg! Spør gjerne igjen når du lurer på noko.',
  processOverview: {
    title: 'Hovudprosessane i økonomi og lønn',
    body: 'Spør til dømes «kven er prosessrådgjevar for PBO hos oss?».',
    advisorModel: {
      local: 'Lokale prosessrådgjevarar ved kvar eining (fakultet, institutt, Vitenskapsmuseet, Fellesadministrasjonen).',
      'service-centre': 'Alle prosessrådgjevarane sit i Tjenestesenteret.',
      central: 'Ingen lokale rådgjevarar: prosessansvarleg i Fellesadministrasjonen svarar.',
    },
  },
  turnError: 'Orsak, noko gjekk gale hos meg, og eg fekk ikkje svart. Prøv igjen om litt.',
  cardError: 'Noko gjekk gale med kortet. Prøv igjen, eller skriv spørsmålet i chatten.',
  roleDescriptions: {
    prosessradgiver:
      'Prosessrådgjevaren blir utnemnd av kvar eining for Btb, Prosjektøkonomi og PBO (for Lønn og lønnsnær HR sit alle i Tjenestesenteret). Rådgjevaren syter for at eininga følgjer prosessen, informerer og rettleier målgruppene, gir kollegarettleiing, tek imot og fremjar forbetringsforslag og er med i prosessteamet.',
    prosessansvarlig:
      'Prosessansvarleg blir utnemnd av operativ prosesseigar, éin per hovudprosess. Prosessansvarleg syter for at prosess-, rutine- og rolleskildringar blir følgde, leier det lokale prosessteamet, følgjer opp evaluering og kontinuerleg forbetring, lærer opp prosessrollene og representerer NTNU i prosessteamet i BOTT. Forbetringsforslag som skal vidare til BOTT forvaltning, går gjennom prosessansvarleg.',
    'operativ-prosesseier':
      'Operativ prosesseigar har fått mynde frå prosesseigaren (organisasjons- og infrastrukturdirektøren). Rolla sikrar etterleving og internkontroll, prioriterer forbetringstiltak og fastset rutinar og retningslinjer.',
    forvaltningskoordinator:
      'Forvaltingskoordinatoren er representanten til NTNU i forvaltingssamarbeidet i BOTT økonomi og lønn, er sekretariat for forvaltingsutvalet, koordinerer prosessteama og leier forvaltingsteamet, som eig vegen til kvart forbetringsforslag frå innsending til avslutning.',
    systemforvalter:
      'Systemforvaltar universitet synleggjer behova NTNU har for systemforvalting og integrasjonar mot Unit4 og SAP i BOTT, koplar på integrasjonsmiljøet, følgjer opp feil og løftar saker vidare til DFØ.',
    innforingsleder: 'Innføringsleiaren leier innføringa av prosjektsøknadsmodulen i Unit4 (tidlegare PreAward).',
  },
};
