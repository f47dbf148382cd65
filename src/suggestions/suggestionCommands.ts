import type { MessageReading } from '../understanding/readMessage';
import { isExportRequest, parseExportRequest, type ExportRequest } from './exportCommand';

/** What a chat message asks of the suggestion capability, if anything. */
export type SuggestionCommand =
  | { kind: 'new'; process: string | null }
  /** Who handles a suggestion or where it goes ("hvem tar forbedringsforslag videre til BOTT?"), not one to send now. */
  | { kind: 'how-it-travels'; process: string | null }
  | { kind: 'mine' }
  | { kind: 'status'; id: string }
  | { kind: 'open-in-channel' }
  | { kind: 'awaiting-delivery' }
  /** The outbox's dead letters (every kind of message, not only suggestions). */
  | { kind: 'undelivered-messages' }
  | { kind: 'register-channel'; process: string | null; unit: string | null }
  | { kind: 'unregister-channel'; process: string | null; unit: string | null }
  | { kind: 'list-registrations' }
  | ({ kind: 'export' } & ExportRequest);

const MINE = /\b(mine|mitt|my)\s+(forbedringsforslag|forbetringsforslag|forslag|suggestions?)\b/;
const OPEN = /\b(apne|opne|open)\s+(forbedringsforslag|forbetringsforslag|forslag|suggestions?)\b/;
const AWAITING = /\b(venter pa levering|ikke levert|ikkje levert|awaiting delivery|undelivered|not delivered)\b/;
const UNDELIVERED_MESSAGES =
  /\b(uleverte|ulevert|ikke leverte|ikkje leverte|undelivered|undeliverable|failed)\s+(meldinger|meldingar|messages?)\b|\b(meldinger|meldingar|messages?)\s+(som\s+|that\s+)?(kunne\s+)?(ikke|ikkje|could not|couldn't|were not)\s+(kunne\s+)?(leveres|leverast|levert|be delivered|delivered)\b|\bdead letters?\b/;
const REGISTER = /\b(registrer|register|meld inn)\b.*\b(kanal|kanalen|channel)\b|\b(kanal|channel)\b.*\b(registrer|register)\b/;
const UNREGISTER = /\b(fjern|slett|avregistrer|remove|delete|unregister)\b.*\b(kanal|kanalen|channel|registrering|registration)\b/;
const LIST_REGISTRATIONS = /\b(vis|list|liste|show|hvilke|which)\b.*\b(kanaler|kanalar|channels|registreringer|registrations)\b|^(kanaler|channels|kanalregistreringer)$/;
/** "Hvordan går et forbedringsforslag videre?", "what happens to a suggestion?": a question about the way, not a new one. */
const ASKS_HOW = /\b(hvordan|korleis|how|hva skjer|kva skjer|what happens)\b/;
const NEW = /\b(forbedringsforslag|forbetringsforslag|nytt forslag|foresla|foreslaa|forslag til forbedring|suggest|suggestion|improvement|forbedre|forbetre)\b/;

/**
 * Recognises the suggestion commands of the chat ("forbedringsforslag",
 * "mine forslag", "status FF-2026-0042", "åpne forslag", "registrer kanalen
 * for Btb ved IE"), with the process and unit read as in directory questions.
 */
export function parseSuggestionCommand(reading: MessageReading): SuggestionCommand | null {
  const words = reading.words;
  if (reading.suggestionId) return { kind: 'status', id: reading.suggestionId };
  if (UNREGISTER.test(words)) return { kind: 'unregister-channel', ...processAndUnit(reading) };
  if (REGISTER.test(words)) return { kind: 'register-channel', ...processAndUnit(reading) };
  if (LIST_REGISTRATIONS.test(words)) return { kind: 'list-registrations' };
  // Before the others: "eksporter mine/åpne forslag" and "export suggestions" are exports.
  if (isExportRequest(words)) return { kind: 'export', ...parseExportRequest(reading) };
  if (MINE.test(words)) return { kind: 'mine' };
  if (OPEN.test(words)) return { kind: 'open-in-channel' };
  if (UNDELIVERED_MESSAGES.test(words)) return { kind: 'undelivered-messages' };
  if (AWAITING.test(words) && /\b(forslag|suggestions?)\b/.test(words)) return { kind: 'awaiting-delivery' };
  if (NEW.test(words)) {
    const process = processAndUnit(reading).process;
    return reading.asksWho || ASKS_HOW.test(words) ? { kind: 'how-it-travels', process } : { kind: 'new', process };
  }
  return null;
}

function processAndUnit(reading: MessageReading): { process: string | null; unit: string | null } {
  return { process: reading.processes[0] ?? null, unit: reading.units[0] ?? null };
}
