import type { MessageReading, OutOfScopeTopic } from '../understanding/readMessage';

/**
 * What a message asks of the directory. The entities stay on the reading;
 * this says only what to do with them.
 */
export type DirectoryRequest =
  /** "jeg jobber på IDI"; alsoAsks: "Eg jobbar på IMF. Kven gjev råd om PBO der?". */
  | { kind: 'state-own-unit'; alsoAsks: boolean }
  /** "hvilken enhet er jeg registrert på?". */
  | { kind: 'show-own-unit' }
  /** Who advises on a process or holds a role, at a unit: named, one's own, or kept from the conversation. */
  | { kind: 'ask' }
  /** "hva er Btb?", "hvilken prosess hører reiseregning til?", "hva gjør en prosessansvarlig?". */
  | { kind: 'explain' }
  | { kind: 'report-error' }
  | { kind: 'out-of-scope'; topic: OutOfScopeTopic }
  | { kind: 'process-list' }
  | { kind: 'help'; greeting: boolean }
  | { kind: 'thanks' }
  | { kind: 'not-understood' };

/**
 * Chooses what a message asks of the directory, in this order: stating one's
 * unit; asking which unit one has; what the bot cannot answer (one's own pay,
 * the weather, ordering things); error reports; explanations; the list of
 * processes; who (a process, role or unit named, or only a follow-up to the
 * previous question); help, thanks; else not understood.
 */
export function directoryRequest(reading: MessageReading): DirectoryRequest {
  const namesProcessOrRole = reading.processes.length > 0 || reading.roles.length > 0;
  const mentionsUnit = reading.units.length > 0 || reading.unitCandidates.length > 0 || reading.unknownUnitText !== null;

  if (reading.words === '') return { kind: 'help', greeting: false };
  if (reading.statesOwnUnit) {
    return { kind: 'state-own-unit', alsoAsks: reading.processes.length > 0 || (reading.roles.length > 0 && reading.asksWho) };
  }
  if (reading.asksOwnUnit && !namesProcessOrRole && reading.units.length === 0) return { kind: 'show-own-unit' };
  if (reading.outOfScope) return { kind: 'out-of-scope', topic: reading.outOfScope };
  if (reading.reportsError && reading.roles.length === 0 && (reading.systems.length > 0 || reading.asksWho || !namesProcessOrRole)) {
    return { kind: 'report-error' };
  }
  // "Hvem kontakter jeg om DFØ-appen?": a system's contact is where its errors go.
  if (reading.systems.length > 0 && reading.asksWho && !namesProcessOrRole) return { kind: 'report-error' };
  if (explains(reading)) return { kind: 'explain' };
  if (reading.asksProcessList && !namesProcessOrRole) return { kind: 'process-list' };
  if (namesProcessOrRole || mentionsUnit || reading.asksFacultyLevel) return { kind: 'ask' };
  if (reading.processRoles.length > 0 && reading.asksWho) return { kind: 'ask' };
  if (reading.mentionsOwnUnit && reading.asksWho) return { kind: 'ask' };
  if (reading.greets || reading.asksHelp) return { kind: 'help', greeting: reading.greets };
  if (reading.thanks) return { kind: 'thanks' };
  return { kind: 'not-understood' };
}

/** Requests that a colleague's shared answer ("Dette er besvart før") may complement: how-tos, explanations, and what the bot cannot answer. */
const COMPLEMENTED_BY_SHARED_ANSWERS: ReadonlySet<DirectoryRequest['kind']> = new Set(['ask', 'explain', 'out-of-scope', 'report-error', 'not-understood']);

/**
 * Whether a shared answer may come with the reply. A who-question is the directory's alone: who advises on what is
 * never answered from what a colleague was told. Nor are one's own unit, the process list, help and thanks.
 */
export function complementedBySharedAnswers(request: DirectoryRequest, reading: MessageReading): boolean {
  return !reading.asksWho && COMPLEMENTED_BY_SHARED_ANSWERS.has(request.kind);
}

/**
 * A question about what something is, not who: "hva er Btb?", "what does PER
 * stand for?", "hvilken prosess hører fakturering til?". A unit, one's own unit or a
 * who-word makes it a question about people; so does "hva er rådgiveren for
 * Btb?", which names a role and a process and asks what neither means.
 */
function explains(reading: MessageReading): boolean {
  if (reading.asksWho || reading.units.length > 0) return false;
  // "Vi skal ut på anbud – hvilken prosess er det?" asks which process, whoever "vi" are.
  if (reading.asksWhichProcess) return reading.roles.length === 0 && (reading.processes.length > 0 || reading.processRoles.length > 0);
  if (reading.mentionsOwnUnit) return false;
  if (!reading.asksMeaning) return false;
  const roleAndProcess = reading.roles.length > 0 && reading.processes.length > 0;
  // "Hva er en kostnadsgodkjenner?": a process role (what courses are for) is explained by its process.
  return !roleAndProcess && (reading.processes.length > 0 || reading.roles.length > 0 || reading.processRoles.length > 0);
}
