/** Bokmål texts of the follow-up of improvement suggestions: reminders, the weekly digest and the export. */
export const followUpNb = {
  locale: 'nb-NO',
  reminder: {
    waited: (id: string, days: number, since: string): string =>
      `Påminnelse: ${id} har ventet i ${days === 1 ? '1 dag' : `${days} dager`} uten at noe har skjedd (siste endring ${since}).`,
    toAssignee: 'Du er saksbehandler. Sett en ny status, eller parker forslaget hvis det skal vente.',
    toRoute: 'Se på forslaget og sett en ny status, eller parker det hvis det skal vente.',
  },
  digest: {
    title: (week: number, year: number): string => `Ukesoversikt over forbedringsforslag, uke ${week} ${year}`,
    asOf: (when: string): string => `Status ${when}.`,
    total: 'Forslag i alt',
    awaitingDelivery: 'Venter på levering',
    overdue: (days: number): string => `Uten aktivitet i ${days} dager eller mer`,
    processTotal: 'I alt',
    empty: 'Ingen forbedringsforslag er registrert ennå.',
    hint: 'Skriv «eksporter forslag» for å laste ned alle forslagene som CSV eller Excel.',
  },
  export: {
    refused: 'Bare forvaltningskoordinator kan eksportere forbedringsforslag.',
    title: 'Eksport av forbedringsforslag',
    count: (count: number): string => (count === 1 ? '1 forslag passer utvalget.' : `${count} forslag passer utvalget.`),
    filters: {
      processes: 'Prosesser',
      states: 'Status',
      period: 'Innsendt',
      all: 'Alle',
      allTime: 'Når som helst',
      from: (date: string): string => `Fra og med ${date}`,
      to: (date: string): string => `Til og med ${date}`,
      between: (from: string, to: string): string => `${from} – ${to}`,
    },
    csv: 'Last ned CSV',
    xlsx: 'Last ned Excel (XLSX)',
    validity: (time: string): string =>
      `Lenkene virker til kl. ${time}. Ikke del dem: de gir tilgang til forslagene i utvalget. Skriv «eksporter forslag» igjen for nye lenker.`,
    columns: {
      id: 'Nummer',
      created: 'Innsendt',
      process: 'Prosess',
      unit: 'Enhet',
      title: 'Tittel',
      description: 'Endring',
      potential: 'Forbedringspotensial',
      system: 'System',
      state: 'Status',
      assignee: 'Saksbehandler',
      submitter: 'Innsendt av',
      mayContact: 'Kan kontaktes',
      route: 'Sendt til',
      lastChange: 'Sist endret',
      history: 'Historikk',
    },
    yes: 'Ja',
    no: 'Nei',
    sheetName: 'Forbedringsforslag',
    fileName: 'forbedringsforslag',
    download: {
      invalid: 'Fant ikke eksporten. Lenken er ufullstendig eller ugyldig; skriv «eksporter forslag» til boten for en ny.',
      expired: 'Nedlastingslenken er utløpt. Skriv «eksporter forslag» til boten for en ny.',
      refused: 'Bare forvaltningskoordinator kan laste ned eksporten av forbedringsforslag.',
    },
  },
};

export type FollowUpTexts = typeof followUpNb;
