import type { PrivacyTexts } from '../nb/privacy';

function list(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} og ${items[items.length - 1]}`;
}

export const privacyNn: PrivacyTexts = {
  confirm: {
    title: 'Vil du slette dataa dine?',
    body:
      'Eg slettar eininga du har oppgitt, prosessrollene og abonnementa dine, påminningane dine og det eg har lagra om chatten vår. ' +
      'Det kan ikkje angrast.',
    keep:
      'Forbetringsforslag du har sendt inn eller støtta, blir liggjande hos prosessteamet, men utan namnet og e-postadressa di, og ingen kjem til å kontakte deg om dei. ' +
      'Skriv du til meg igjen seinare, lagrar eg chatten på nytt, men ikkje resten.',
    delete: 'Ja, slett dataa mine',
    cancel: 'Avbryt',
  },
  personalChatOnly: 'Personlege data slettar eg berre når du ber om det i ein personleg chat med meg. Skriv «slett dataa mine» til meg der.',
  notRequester: 'Berre den som bad om slettinga, kan stadfeste ho. Ingenting er sletta.',
  cancelled: { title: 'Ingenting er sletta', body: 'Dataa dine er som før.' },
  deleted: (report) => {
    const parts: string[] = [];
    if (report.profile) parts.push('eininga du hadde oppgitt');
    if (report.subscriptions) parts.push('prosessrollene og abonnementa dine');
    if (report.reminders > 0) parts.push(report.reminders === 1 ? '1 påminning' : `${report.reminders} påminningar`);
    if (report.personalChat) parts.push('det eg hadde lagra om chatten vår');
    const deleted = parts.length > 0 ? `Eg har sletta ${list(parts)}.` : 'Eg hadde ingen andre personlege data om deg lagra.';
    const count = report.anonymisedSuggestions.length;
    const suggestions =
      count === 0
        ? ''
        : ` Namnet og e-postadressa di er fjerna frå ${count === 1 ? 'forbetringsforslaget' : `${count} forbetringsforslag`} ${list(report.anonymisedSuggestions)}, som prosessteamet framleis har.`;
    return { title: 'Dataa dine er sletta', body: deleted + suggestions };
  },
  failed: 'Noko gjekk gale undervegs, så det er ikkje sikkert at alt er sletta. Prøv igjen om litt: det som alt er sletta, blir verande sletta.',
  cardError: 'Noko gjekk gale med kortet. Skriv «slett dataa mine» på nytt.',
  anonymised: 'Sletta brukar',
};
