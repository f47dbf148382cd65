import { fold } from '../language/text';
import type { ReplyLanguage } from '../language/detectLanguage';

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
/**
 * Words of the Norwegian patterns that only nynorsk uses; the rest ("slett mine
 * data") is shared and gets bokmål. Tested unfolded, as folding makes "dataa" "data".
 */
const NYNORSK_WORDS = /\b(dataa|opplysningar|opplysningane)\b/;
const ENGLISH = [/^(please )?(delete|erase|remove) (all )?(of )?my (personal )?(data|information|details)( please)?$/, /^(please )?forget me( please)?$/];

export interface DeleteMyDataCommand {
  language: ReplyLanguage;
}

export function parseDeleteMyData(text: string): DeleteMyDataCommand | null {
  const folded = fold(text)
    .replace(/[.!?,;:]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (NORWEGIAN.some((pattern) => pattern.test(folded))) return { language: NYNORSK_WORDS.test(text.toLowerCase()) ? 'nn' : 'nb' };
  if (ENGLISH.some((pattern) => pattern.test(folded))) return { language: 'en' };
  return null;
}
