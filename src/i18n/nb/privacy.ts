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
      'Jeg sletter enheten du har oppgitt, prosessrollene og abonnementene dine, påminnelsene dine, det jeg har lagret om chatten vår og om kunngjøringene og meldingene jeg har sendt deg. ' +
      'Det kan ikke angres.',
    keep:
      'Forbedringsforslag du har sendt inn eller støttet, blir liggende hos prosessteamet, men uten navnet og e-postadressen din, og ingen vil kontakte deg om dem. Det samme gjelder spørsmål du har stilt prosessrådgiverne. ' +
      'Skriver du til meg igjen senere, lagrer jeg chatten på nytt, men ikke resten.',
    delete: 'Ja, slett dataene mine',
    cancel: 'Avbryt',
  },
  personalChatOnly: 'Personlige data sletter jeg bare når du ber om det i en personlig chat med meg. Skriv «slett mine data» til meg der.',
  notRequester: 'Bare den som ba om slettingen, kan bekrefte den. Ingenting er slettet.',
  cancelled: { title: 'Ingenting er slettet', body: 'Dataene dine er som før.' },
  deleted: (report) => {
    const parts: string[] = [];
    const count = (kind: keyof DeletionReport, one: string, many: (n: number) => string) => {
      const n = report[kind].length;
      if (n > 0) parts.push(n === 1 ? one : many(n));
    };
    if (report.profile.length > 0) parts.push('enheten du hadde oppgitt');
    count('conversationContexts', 'sammenhengen fra 1 samtale', (n) => `sammenhengen fra ${n} samtaler`);
    if (report.subscriptions.length > 0) parts.push('prosessrollene og abonnementene dine');
    count('reminders', '1 påminnelse', (n) => `${n} påminnelser`);
    count('deliveryRecords', '1 oppføring om en kunngjøring eller påminnelse jeg sendte deg', (n) => `${n} oppføringer om kunngjøringer og påminnelser jeg sendte deg`);
    count('outboxMessages', '1 melding til eller om deg i utsendingskøen', (n) => `${n} meldinger til eller om deg i utsendingskøen`);
    if (report.roleHolders.length > 0) parts.push('deg i rolleinnehaverlista (koordinatoren legger deg inn igjen hvis du fortsatt står i Unit4-eksporten)');
    count('channelRegistrations', 'navnet ditt i 1 kanalregistrering', (n) => `navnet ditt i ${n} kanalregistreringer`);
    if (report.personalChat.length > 0) parts.push('det jeg hadde lagret om chatten vår');
    const deleted = parts.length > 0 ? `Jeg har slettet ${list(parts)}.` : 'Jeg hadde ingen andre personlige data om deg lagret.';
    const suggestionIds = report.suggestions;
    const suggestions =
      suggestionIds.length === 0
        ? ''
        : ` Navnet og e-postadressen din er fjernet fra ${suggestionIds.length === 1 ? 'forbedringsforslaget' : `${suggestionIds.length} forbedringsforslag`} ${list(suggestionIds)}, som prosessteamet fortsatt har.`;
    const ids = report.advisorQuestions;
    const questions =
      ids.length === 0
        ? ''
        : ` Navnet ditt er fjernet fra ${ids.length === 1 ? 'spørsmålet' : `${ids.length} spørsmål`} ${list(ids)} du stilte prosessrådgiverne, som de fortsatt har.`;
    return { title: 'Dataene dine er slettet', body: deleted + suggestions + questions };
  },
  failed: 'Noe gikk galt underveis, så ikke alt er sikkert slettet. Prøv igjen om litt: det som alt er slettet, forblir slettet.',
  cardError: 'Noe gikk galt med kortet. Skriv «slett mine data» på nytt.',
  anonymised: 'Slettet bruker',
};
