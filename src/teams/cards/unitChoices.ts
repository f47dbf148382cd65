import type { Unit } from '../../directory/model';
import { localName, type ReplyLanguage } from '../../i18n';

/**
 * The `Data.Query` dataset of the cards' unit inputs: Teams asks the bot
 * (`application/search`) for units matching what the user types, by code,
 * name or alias in either language. The cards keep the static list too, for
 * clients without dynamic typeahead.
 */
export const UNIT_DATASET = 'units';

/** A unit as a choice: "IDI – Institutt for datateknologi og informatikk". */
export function unitChoice(unit: Unit, language: ReplyLanguage): { code: string; title: string } {
  return { code: unit.code, title: `${unit.code} – ${localName(unit, language)}` };
}

/** Every unit as a choice, by code. */
export function unitChoices(units: readonly Unit[], language: ReplyLanguage): Array<{ code: string; title: string }> {
  return [...units].sort((a, b) => a.code.localeCompare(b.code, 'nb')).map((unit) => unitChoice(unit, language));
}
