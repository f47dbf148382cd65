import type { DeletionReport } from '../../privacy/personalData';

export interface PrivacyTexts {
  confirm: { title: string; body: string; keep: string; delete: string; cancel: string };
  personalChatOnly: string;
  notRequester: string;
  cancelled: { title: string; body: string };
  deleted: (report: DeletionReport) => { title: string; body: string };
  failed: string;
  cardError: string;
  /** Shown where a suggestion's submitter or a supporter deleted their data. */
  anonymised: string;
}

function list(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} og ${items[items.length - 1]}`;
}

export const privacyNb: PrivacyTexts = {
  confirm: {
    title: 'Vil du slette dataene dine?',
    body:
      'Jeg sletter enheten du har oppgitt, prosessrollene og abonnementene dine, påminnelsene dine og det jeg har lagret om chatten vår. ' +
      'Det kan ikke angres.',
    keep:
      'Forbedringsforslag du har sendt inn eller støttet, blir liggende hos prosessteamet, men uten navnet og e-postadressen din, og ingen vil kontakte deg om dem. ' +
      'Skriver du til meg igjen senere, lagrer jeg chatten på nytt, men ikke resten.',
    delete: 'Ja, slett dataene mine',
    cancel: 'Avbryt',
  },
  personalChatOnly: 'Personlige data sletter jeg bare når du ber om det i en personlig chat med meg. Skriv «slett mine data» til meg der.',
  notRequester: 'Bare den som ba om slettingen, kan bekrefte den. Ingenting er slettet.',
  cancelled: { title: 'Ingenting er slettet', body: 'Dataene dine er som før.' },
  deleted: (report) => {
    const parts: string[] = [];
    if (report.profile) parts.push('enheten du hadde oppgitt');
    if (report.subscriptions) parts.push('prosessrollene og abonnementene dine');
    if (report.reminders > 0) parts.push(report.reminders === 1 ? '1 påminnelse' : `${report.reminders} påminnelser`);
    if (report.personalChat) parts.push('det jeg hadde lagret om chatten vår');
    const deleted = parts.length > 0 ? `Jeg har slettet ${list(parts)}.` : 'Jeg hadde ingen andre personlige data om deg lagret.';
    const count = report.anonymisedSuggestions.length;
    const suggestions =
      count === 0
        ? ''
        : ` Navnet og e-postadressen din er fjernet fra ${count === 1 ? 'forbedringsforslaget' : `${count} forbedringsforslag`} ${list(report.anonymisedSuggestions)}, som prosessteamet fortsatt har.`;
    return { title: 'Dataene dine er slettet', body: deleted + suggestions };
  },
  failed: 'Noe gikk galt underveis, så ikke alt er sikkert slettet. Prøv igjen om litt: det som alt er slettet, forblir slettet.',
  cardError: 'Noe gikk galt med kortet. Skriv «slett mine data» på nytt.',
  anonymised: 'Slettet bruker',
};
