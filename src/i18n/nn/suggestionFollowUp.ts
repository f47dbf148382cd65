import type { FollowUpTexts } from '../nb/suggestionFollowUp';

/** Nynorsk texts of the follow-up of improvement suggestions: reminders, the weekly digest and the export. */
export const followUpNn: FollowUpTexts = {
  locale: 'nn-NO',
  reminder: {
    waited: (id, days, since) =>
      `Påminning: ${id} har venta i ${days === 1 ? '1 dag' : `${days} dagar`} utan at noko har skjedd (siste endring ${since}).`,
    toAssignee: 'Du er saksbehandlar. Set ein ny status, eller parker forslaget dersom det skal vente.',
    toRoute: 'Sjå på forslaget og set ein ny status, eller parker det dersom det skal vente.',
  },
  digest: {
    title: (week, year) => `Vekeoversikt over forbetringsforslag, veke ${week} ${year}`,
    asOf: (when) => `Status ${when}.`,
    total: 'Forslag i alt',
    awaitingDelivery: 'Ventar på levering',
    overdue: (days) => `Utan aktivitet i ${days} dagar eller meir`,
    processTotal: 'I alt',
    empty: 'Ingen forbetringsforslag er registrerte enno.',
    hint: 'Skriv «eksporter forslag» for å laste ned alle forslaga som CSV eller Excel.',
  },
  export: {
    refused: 'Berre forvaltingskoordinator kan eksportere forbetringsforslag.',
    title: 'Eksport av forbetringsforslag',
    count: (count) => (count === 1 ? '1 forslag passar utvalet.' : `${count} forslag passar utvalet.`),
    filters: {
      processes: 'Prosessar',
      states: 'Status',
      period: 'Sendt inn',
      all: 'Alle',
      allTime: 'Når som helst',
      from: (date) => `Frå og med ${date}`,
      to: (date) => `Til og med ${date}`,
      between: (from, to) => `${from} – ${to}`,
    },
    csv: 'Last ned CSV',
    xlsx: 'Last ned Excel (XLSX)',
    validity: (time) =>
      `Lenkjene verkar til kl. ${time}. Ikkje del dei: dei gir tilgang til forslaga i utvalet. Skriv «eksporter forslag» igjen for nye lenkjer.`,
    columns: {
      id: 'Nummer',
      created: 'Sendt inn',
      process: 'Prosess',
      unit: 'Eining',
      title: 'Tittel',
      description: 'Endring',
      potential: 'Forbetringspotensial',
      system: 'System',
      state: 'Status',
      assignee: 'Saksbehandlar',
      submitter: 'Sendt inn av',
      mayContact: 'Kan kontaktast',
      route: 'Sendt til',
      lastChange: 'Sist endra',
      history: 'Historikk',
    },
    yes: 'Ja',
    no: 'Nei',
    sheetName: 'Forbetringsforslag',
    fileName: 'forbetringsforslag',
    download: {
      invalid: 'Fann ikkje eksporten. Lenkja er ufullstendig eller ugyldig; skriv «eksporter forslag» til boten for å få ei ny.',
      expired: 'Nedlastingslenkja har gått ut. Skriv «eksporter forslag» til boten for å få ei ny.',
      refused: 'Berre forvaltingskoordinator kan laste ned eksporten av forbetringsforslag.',
    },
  },
};
