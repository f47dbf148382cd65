/** Bokmål texts of the message extension (search and action commands in the compose box and on messages). */
export const messageExtensionNb = {
  advisors: {
    /** Shown before anything is typed, and when the search cannot tell what is asked. */
    help: (processes: string): string => `Skriv en prosess og en enhet, for eksempel «btb IE», «prosjektøkonomi fysikk» eller «PBO min enhet». Prosessene er: ${processes}.`,
    askUnit: 'Skriv også enheten, for eksempel «btb IDI». Vil du bruke «min enhet», må du først fortelle boten hvor du jobber («jeg jobber på IDI» i chatten med Økonomi og lønn).',
    unknownUnit: (text: string, suggestions: string): string =>
      suggestions
        ? `Finner ingen enhet som heter «${text}». Mente du ${suggestions}?`
        : `Finner ingen enhet som heter «${text}». Skriv enhetens kode eller navn, for eksempel IDI eller fysikk.`,
    askProcess: (unit: string | null, processes: string): string => `${unit ? `Hvilken prosess ved ${unit}? ` : 'Hvilken prosess gjelder det? '}Skriv en av disse: ${processes}.`,
    nobody: (role: string, process: string | null): string =>
      process ? `Ingen er registrert som ${role.toLowerCase()} for ${process}.` : `Ingen er registrert som ${role.toLowerCase()}.`,
    ownUnit: (unit: string | null): string =>
      unit
        ? `Enheten din er ${unit}. Skriv en prosess, for eksempel «btb min enhet».`
        : 'Boten vet ikke hvilken enhet du hører til. Skriv enheten i søket, for eksempel «btb IDI».',
    errorRouting: (routes: string): string => `Slik melder du feil: ${routes}`,
    tooLong: (limit: number): string => `Søket er for langt (maks ${limit} tegn).`,
    card: { chat: 'Chat i Teams', sendEmail: 'Send e-post', email: 'E-post', phone: 'Telefon' },
  },
  events: {
    none: 'Ingen kommende kurs eller fagkaféer passer søket.',
    noneAtAll: 'Ingen kurs, fagkaféer eller spørretimer er kunngjort ennå.',
  },
  suggestion: {
    dialogTitle: 'Meld som forbedringsforslag',
    /** The prefilled description names where it came from. */
    fromMessage: (author: string | null): string => (author ? `Fra en melding av ${author}:` : 'Fra en melding:'),
    sentToChat: 'Bekreftelsen er også sendt til deg i chatten med Økonomi og lønn.',
  },
  question: {
    dialogTitle: 'Spør prosessrådgiveren',
    sentToChat: 'Bekreftelsen er også sendt til deg i chatten med Økonomi og lønn, og svaret kommer dit.',
  },
  errors: {
    unknownCommand: 'Denne kommandoen kjenner ikke appen. Oppdater Teams eller installer appen på nytt.',
    badRequest: 'Forespørselen kunne ikke leses. Prøv igjen.',
    slow: 'Det tok for lang tid å svare. Prøv igjen om litt.',
    failed: 'Noe gikk galt. Prøv igjen om litt.',
  },
};

export type MessageExtensionTexts = typeof messageExtensionNb;
