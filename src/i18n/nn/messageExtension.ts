import type { MessageExtensionTexts } from '../nb/messageExtension';

/** Nynorsk texts of the message extension (search and action commands in the compose box and on messages). */
export const messageExtensionNn: MessageExtensionTexts = {
  advisors: {
    help: (processes) => `Skriv ein prosess og ei eining, til dømes «btb IE», «prosjektøkonomi fysikk» eller «PBO mi eining». Prosessane er: ${processes}.`,
    askUnit: 'Skriv også eininga, til dømes «btb IDI». Vil du bruke «mi eining», må du først fortelje boten kvar du jobbar («eg jobbar på IDI» i chatten med Økonomi og lønn).',
    unknownUnit: (text, suggestions) =>
      suggestions
        ? `Finn inga eining som heiter «${text}». Meinte du ${suggestions}?`
        : `Finn inga eining som heiter «${text}». Skriv koden eller namnet på eininga, til dømes IDI eller fysikk.`,
    askProcess: (unit, processes) => `${unit ? `Kva prosess ved ${unit}? ` : 'Kva prosess gjeld det? '}Skriv ein av desse: ${processes}.`,
    nobody: (role, process) => (process ? `Ingen er registrerte som ${role.toLowerCase()} for ${process}.` : `Ingen er registrerte som ${role.toLowerCase()}.`),
    ownUnit: (unit) =>
      unit ? `Eininga di er ${unit}. Skriv ein prosess, til dømes «btb mi eining».` : 'Boten veit ikkje kva eining du høyrer til. Skriv eininga i søket, til dømes «btb IDI».',
    errorRouting: (routes) => `Slik melder du frå om feil: ${routes}`,
    tooLong: (limit) => `Søket er for langt (maks ${limit} teikn).`,
    card: { chat: 'Chat i Teams', sendEmail: 'Send e-post', email: 'E-post', phone: 'Telefon' },
  },
  events: {
    none: 'Ingen komande kurs eller fagkafear passar søket.',
    noneAtAll: 'Ingen kurs, fagkafear eller spørjetimar er kunngjorde enno.',
  },
  suggestion: {
    dialogTitle: 'Meld som forbetringsforslag',
    fromMessage: (author) => (author ? `Frå ei melding av ${author}:` : 'Frå ei melding:'),
    sentToChat: 'Stadfestinga er også sendt til deg i chatten med Økonomi og lønn.',
  },
  question: {
    dialogTitle: 'Spør prosessrådgjevaren',
    sentToChat: 'Stadfestinga er også sendt til deg i chatten med Økonomi og lønn, og svaret kjem dit.',
  },
  errors: {
    unknownCommand: 'Denne kommandoen kjenner ikkje appen. Oppdater Teams eller installer appen på nytt.',
    badRequest: 'Førespurnaden kunne ikkje lesast. Prøv igjen.',
    slow: 'Det tok for lang tid å svare. Prøv igjen om litt.',
    failed: 'Noko gjekk gale. Prøv igjen om litt.',
  },
};
