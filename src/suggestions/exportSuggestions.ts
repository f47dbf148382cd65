import { inOslo, osloDate } from '../core/osloTime';
import type { Suggestion, SuggestionState } from './model';

/** Which suggestions to export; empty lists mean all. */
export interface ExportFilter {
  processes: string[];
  states: SuggestionState[];
  /** Norwegian calendar dates (yyyy-MM-dd), inclusive; null leaves that end open. */
  createdFrom: string | null;
  createdTo: string | null;
}

/** A period as the coordinator asked for it ("siste 90 dager", "fra 2026-01-01 til 2026-03-31"). */
export type ExportPeriod = { kind: 'any' } | { kind: 'last'; amount: number; unit: 'days' | 'weeks' | 'months' } | { kind: 'between'; from: string | null; to: string | null };

/** Fixes a period to dates, so the links made from it give the same rows whenever they are used. */
export function resolvePeriod(period: ExportPeriod, now: Date): Pick<ExportFilter, 'createdFrom' | 'createdTo'> {
  switch (period.kind) {
    case 'any':
      return { createdFrom: null, createdTo: null };
    case 'last':
      return {
        createdFrom: inOslo(now)
          .minus({ [period.unit]: period.amount })
          .toISODate(),
        createdTo: null,
      };
    case 'between':
      return { createdFrom: period.from, createdTo: period.to };
  }
}

/** The suggestions the filter selects, oldest first. */
export function filterSuggestions(suggestions: readonly Suggestion[], filter: ExportFilter): Suggestion[] {
  return suggestions
    .filter((suggestion) => {
      if (filter.processes.length > 0 && !filter.processes.includes(suggestion.process)) return false;
      if (filter.states.length > 0 && !filter.states.includes(suggestion.state)) return false;
      const created = osloDate(suggestion.createdAt);
      return (filter.createdFrom === null || created >= filter.createdFrom) && (filter.createdTo === null || created <= filter.createdTo);
    })
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}
