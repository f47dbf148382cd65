import { fold } from '../language/text';
import type { MessageInterpreter } from '../understanding/understandMessage';
import { isExportRequest, parseExportRequest, type ExportRequest } from './exportCommand';

/** What a chat message asks of the suggestion capability, if anything. */
export type SuggestionCommand =
  | { kind: 'new'; process: string | null }
  | { kind: 'mine' }
  | { kind: 'status'; id: string }
  | { kind: 'open-in-channel' }
  | { kind: 'awaiting-delivery' }
  | { kind: 'register-channel'; process: string | null; unit: string | null }
  | { kind: 'unregister-channel'; process: string | null; unit: string | null }
  | { kind: 'list-registrations' }
  | ({ kind: 'export' } & ExportRequest);

const SUGGESTION_ID = /\bFF-(\d{4})-(\d{1,6})\b/i;
const MINE = /\b(mine|mitt|my)\s+(forbedringsforslag|forbetringsforslag|forslag|suggestions?)\b/;
const OPEN = /\b(apne|opne|open)\s+(forbedringsforslag|forbetringsforslag|forslag|suggestions?)\b/;
const AWAITING = /\b(venter pa levering|ikke levert|ikkje levert|awaiting delivery|undelivered|not delivered)\b/;
const REGISTER = /\b(registrer|register|meld inn)\b.*\b(kanal|kanalen|channel)\b|\b(kanal|channel)\b.*\b(registrer|register)\b/;
const UNREGISTER = /\b(fjern|slett|avregistrer|remove|delete|unregister)\b.*\b(kanal|kanalen|channel|registrering|registration)\b/;
const LIST_REGISTRATIONS = /\b(vis|list|liste|show|hvilke|which)\b.*\b(kanaler|kanalar|channels|registreringer|registrations)\b|^(kanaler|channels|kanalregistreringer)$/;
const NEW = /\b(forbedringsforslag|forbetringsforslag|nytt forslag|foresla|foreslaa|forslag til forbedring|suggest|suggestion|improvement|forbedre|forbetre)\b/;

/**
 * Recognises the suggestion commands of the chat ("forbedringsforslag",
 * "mine forslag", "status FF-2026-0042", "åpne forslag", "registrer kanalen
 * for Btb ved IE"), with the process and unit read as in directory questions.
 */
export function parseSuggestionCommand(text: string, interpreter: MessageInterpreter): SuggestionCommand | null {
  const folded = fold(text).replace(/[^a-z0-9-]+/g, ' ').trim();
  const id = SUGGESTION_ID.exec(text);
  if (id) return { kind: 'status', id: `FF-${id[1]}-${(id[2] ?? '').padStart(4, '0')}` };
  if (UNREGISTER.test(folded)) return { kind: 'unregister-channel', ...processAndUnit(text, interpreter) };
  if (REGISTER.test(folded)) return { kind: 'register-channel', ...processAndUnit(text, interpreter) };
  if (LIST_REGISTRATIONS.test(folded)) return { kind: 'list-registrations' };
  // Before the others: "eksporter mine/åpne forslag" and "export suggestions" are exports.
  if (isExportRequest(folded)) return { kind: 'export', ...parseExportRequest(text, interpreter) };
  if (MINE.test(folded)) return { kind: 'mine' };
  if (OPEN.test(folded)) return { kind: 'open-in-channel' };
  if (AWAITING.test(folded) && /\b(forslag|suggestions?)\b/.test(folded)) return { kind: 'awaiting-delivery' };
  if (NEW.test(folded)) return { kind: 'new', process: processAndUnit(text, interpreter).process };
  return null;
}

function processAndUnit(text: string, interpreter: MessageInterpreter): { process: string | null; unit: string | null } {
  const understood = interpreter.understand(text);
  return { process: understood.processes[0] ?? null, unit: understood.units[0] ?? null };
}
