import { DateTime } from 'luxon';
import { fold } from '../language/text';
import type { MessageReading } from '../understanding/readMessage';
import type { ExportPeriod } from './exportSuggestions';
import { FINAL_STATES, SUGGESTION_STATES, type SuggestionState } from './model';

/** What "eksporter forslag for Btb avslått siste 90 dager" asks for. */
export interface ExportRequest {
  processes: string[];
  states: SuggestionState[];
  period: ExportPeriod;
}

const EXPORT =
  /\b(eksporter|eksportere|eksport|export|last ned|download)\b.*\b(forbedringsforslag|forbetringsforslag|forslag|forslaga|forslagene|suggestions?)\b|^(eksporter|eksport|export)$/;

/** State words in folded text (nb, nn, en), singular and plural. */
const STATE_WORDS: ReadonlyArray<[SuggestionState, RegExp]> = [
  ['ny', /\b(ny|nye|nytt|new)\b/],
  ['under-vurdering', /\bunder (vurdering|review|consideration)\b/],
  ['videresendt', /\b(videresendt|videresendte|forwarded)\b/],
  ['sendt-bott', /\b(sendt|sent|sendte) (til|to) bott\b/],
  ['gjennomfort', /\b(gjennomfort|gjennomforte|implemented)\b/],
  ['avslatt', /\b(avslatt|avslatte|avslegne|rejected|declined)\b/],
  ['parkert', /\b(parkert|parkerte|parked)\b/],
  ['trukket', /\b(trukket|trukne|trekte|withdrawn)\b/],
];
/** "Open" ones: everything not yet decided. */
const OPEN = /\b(apne|apen|opne|open|aktive|active|uavsluttede|undecided)\b/;

const LAST = /\b(?:siste|last|past)\s+(?:(\d{1,4})\s+)?(dager|dagar|dag|days?|uker|veker|uke|veke|weeks?|maneder|manader|maned|months?|ar|years?)\b/;
const UNITS: ReadonlyArray<[RegExp, 'days' | 'weeks' | 'months']> = [
  [/^(dag|day)/, 'days'],
  [/^(uke|veke|week)/, 'weeks'],
  [/^(mane|mana|month)/, 'months'],
];
const ISO_DATE = /\b(\d{4})-(\d{1,2})-(\d{1,2})\b/g;
const NORWEGIAN_DATE = /\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b/g;
const UNTIL = /\b(til|to|until|before|for|innen)\s*$/;
const YEAR = /\b(?:i|in|for|fra|from)\s+(20\d{2})\b/;

export function isExportRequest(words: string): boolean {
  return EXPORT.test(words);
}

/** The filters of an export request; processes are read as in directory questions. */
export function parseExportRequest(reading: MessageReading): ExportRequest {
  const { text, words: folded } = reading;
  const states = new Set<SuggestionState>();
  for (const [state, words] of STATE_WORDS) if (words.test(folded)) states.add(state);
  if (OPEN.test(folded)) for (const state of SUGGESTION_STATES) if (!FINAL_STATES.has(state)) states.add(state);
  return {
    processes: reading.processes,
    states: SUGGESTION_STATES.filter((state) => states.has(state)),
    period: periodIn(text, folded),
  };
}

function periodIn(text: string, folded: string): ExportPeriod {
  const dates = datesIn(text);
  if (dates.length >= 2) {
    const [from, to] = [dates[0]?.date ?? null, dates[1]?.date ?? null].sort();
    return { kind: 'between', from: from ?? null, to: to ?? null };
  }
  const only = dates[0];
  if (only) {
    return UNTIL.test(fold(text.slice(0, only.index))) ? { kind: 'between', from: null, to: only.date } : { kind: 'between', from: only.date, to: null };
  }
  const last = LAST.exec(folded);
  if (last) {
    const word = last[2] ?? '';
    const amount = Number(last[1] ?? '1');
    if (/^(ar|year)/.test(word)) return { kind: 'last', amount: amount * 12, unit: 'months' };
    const unit = UNITS.find(([pattern]) => pattern.test(word))?.[1] ?? 'days';
    return { kind: 'last', amount, unit };
  }
  const year = YEAR.exec(folded)?.[1];
  if (year) return { kind: 'between', from: `${year}-01-01`, to: `${year}-12-31` };
  return { kind: 'any' };
}

/** Calendar dates written as 2026-03-31 or 31.03.2026, in the order they appear; impossible dates are skipped. */
function datesIn(text: string): Array<{ date: string; index: number }> {
  const found: Array<{ date: string; index: number }> = [];
  const add = (year: string | undefined, month: string | undefined, day: string | undefined, index: number) => {
    const date = DateTime.fromObject({ year: Number(year), month: Number(month), day: Number(day) });
    if (date.isValid) found.push({ date: date.toISODate(), index });
  };
  for (const match of text.matchAll(ISO_DATE)) add(match[1], match[2], match[3], match.index ?? 0);
  for (const match of text.matchAll(NORWEGIAN_DATE)) add(match[3], match[2], match[1], match.index ?? 0);
  return found.sort((a, b) => a.index - b.index);
}
