import type { DeletionReport } from '../../privacy/personalData';
import type { PrivacyTexts } from '../nb/privacy';

function list(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} og ${items[items.length - 1]}`;
}

export const privacyNn: PrivacyTexts = {
  confirm: {
    title: 'Vil du slette dataa dine?',
    body:
      'Eg slettar eininga du har oppgitt, prosessrollene og abonnementa dine, påminningane dine, det eg har lagra om chatten vår og om kunngjeringane og meldingane eg har sendt deg. ' +
      'Det kan ikkje angrast.',
    keep:
      'Forbetringsforslag du har sendt inn eller støtta, blir liggjande hos prosessteamet, men utan namnet og e-postadressa di, og ingen kjem til å kontakte deg om dei. Det same gjeld spørsmål du har stilt prosessrådgjevarane. ' +
      'Skriv du til meg igjen seinare, lagrar eg chatten på nytt, men ikkje resten.',
    delete: 'Ja, slett dataa mine',
    cancel: 'Avbryt',
  },
  personalChatOnly: 'Personlege data slettar eg berre når du ber om det i ein personleg chat med meg. Skriv «slett dataa mine» til meg der.',
  notRequester: 'Berre den som bad om slettinga, kan stadfeste ho. Ingenting er sletta.',
  cancelled: { title: 'Ingenting er sletta', body: 'Dataa dine er som før.' },
  deleted: (report) => {
    const parts: string[] = [];
    const count = (kind: keyof DeletionReport, one: string, many: (n: number) => string) => {
      const n = report[kind].length;
      if (n > 0) parts.push(n === 1 ? one : many(n));
    };
    if (report.profile.length > 0) parts.push('eininga du hadde oppgitt');
    count('conversationContexts', 'samanhengen frå 1 samtale', (n) => `samanhengen frå ${n} samtalar`);
    if (report.subscriptions.length > 0) parts.push('prosessrollene og abonnementa dine');
    count('reminders', '1 påminning', (n) => `${n} påminningar`);
    count('deliveryRecords', '1 oppføring om ei kunngjering eller påminning eg sende deg', (n) => `${n} oppføringar om kunngjeringar og påminningar eg sende deg`);
    count('outboxMessages', '1 melding til eller om deg i utsendingskøen', (n) => `${n} meldingar til eller om deg i utsendingskøen`);
    if (report.roleHolders.length > 0) parts.push('deg i rolleinnehavarlista (koordinatoren legg deg inn att om du framleis står i Unit4-eksporten)');
    count('channelRegistrations', 'namnet ditt i 1 kanalregistrering', (n) => `namnet ditt i ${n} kanalregistreringar`);
    if (report.personalChat.length > 0) parts.push('det eg hadde lagra om chatten vår');
    const deleted = parts.length > 0 ? `Eg har sletta ${list(parts)}.` : 'Eg hadde ingen andre personlege data om deg lagra.';
    const suggestionIds = report.suggestions;
    const suggestions =
      suggestionIds.length === 0
        ? ''
        : ` Namnet og e-postadressa di er fjerna frå ${suggestionIds.length === 1 ? 'forbetringsforslaget' : `${suggestionIds.length} forbetringsforslag`} ${list(suggestionIds)}, som prosessteamet framleis har.`;
    const ids = report.advisorQuestions;
    const questions =
      ids.length === 0
        ? ''
        : ` Namnet ditt er fjerna frå ${ids.length === 1 ? 'spørsmålet' : `${ids.length} spørsmål`} ${list(ids)} du stilte prosessrådgjevarane, som dei framleis har.`;
    return { title: 'Dataa dine er sletta', body: deleted + suggestions + questions };
  },
  failed: 'Noko gjekk gale undervegs, så det er ikkje sikkert at alt er sletta. Prøv igjen om litt: det som alt er sletta, blir verande sletta.',
  cardError: 'Noko gjekk gale med kortet. Skriv «slett dataa mine» på nytt.',
  anonymised: 'Sletta brukar',
};
