import type { MessageReading } from '../understanding/readMessage';

/**
 * "slett mine data" and its variants in bokmål, nynorsk and English, as a whole
 * message (a question that merely mentions deleting is not this command).
 * Matched on folded text, so case, æøå spellings and trailing punctuation do not matter.
 */
const NORWEGIAN = [
  /^(vennligst |kan du |kan du vennligst )?slett(e)? (alle )?(mine )?(person)?(data|opplysninger|opplysningar|informasjon|informasjonen)( mine| om meg)?$/,
  /^(vennligst |kan du )?slett(e)? (alle )?(person)?(dataene|dataa|opplysningene|opplysningane|informasjonen) (mine|om meg)$/,
  /^slett(e)? meg$/,
  /^glem meg$/,
];
const ENGLISH = [/^(please )?(delete|erase|remove) (all )?(of )?my (personal )?(data|information|details)( please)?$/, /^(please )?forget me( please)?$/];

export interface DeleteMyDataCommand {
  kind: 'delete-my-data';
}

export function parseDeleteMyData(reading: MessageReading): DeleteMyDataCommand | null {
  const folded = reading.words;
  return NORWEGIAN.some((pattern) => pattern.test(folded)) || ENGLISH.some((pattern) => pattern.test(folded)) ? { kind: 'delete-my-data' } : null;
}
