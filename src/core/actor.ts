/** Someone acting in the app, in chat or in a tab. `id` is the stable user key (Entra object id where Teams gives one). */
export interface Actor {
  id: string;
  name: string;
  email?: string | null;
}

/**
 * Stands in for a submitter or supporter who had their personal data deleted
 * ("slett mine data"): the suggestion stays for the process team, without
 * who sent it. Cards show it in the reader's language.
 */
export const ANONYMISED_ACTOR: Readonly<Actor> = { id: 'anonymised', name: '', email: null };

export function isAnonymised(actor: Actor): boolean {
  return actor.id === ANONYMISED_ACTOR.id;
}
