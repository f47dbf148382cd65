import type { DirectoryIndex } from '../directory/directoryIndex';
import { AFFECTED_SYSTEMS, type AffectedSystem, type SuggestionDraft } from './model';

export const DRAFT_LIMITS = { title: 120, description: 4000, potential: 2000 } as const;

export type DraftField = keyof SuggestionDraft;
export type DraftProblem = 'required' | 'too-long' | 'unknown-process' | 'unknown-unit' | 'unknown-system';

/** The form as submitted: every value is text (or missing) until validated. */
export type RawDraft = Partial<Record<DraftField, unknown>>;

export type DraftValidation = { ok: true; draft: SuggestionDraft } | { ok: false; problems: Partial<Record<DraftField, DraftProblem>>; values: Record<DraftField, string> };

/** The form's values as text, trimmed, exactly as the user will see them again. */
export function draftValues(raw: RawDraft): Record<DraftField, string> {
  return {
    process: text(raw.process),
    unit: text(raw.unit),
    title: text(raw.title),
    description: text(raw.description),
    potential: text(raw.potential),
    system: text(raw.system),
    mayContact: text(raw.mayContact),
  };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

/**
 * Checks a submitted suggestion form. Every field is checked at once so the
 * card can mark all problems together, and the values come back as typed so
 * nothing the user wrote is lost.
 */
export function validateDraft(raw: RawDraft, index: DirectoryIndex): DraftValidation {
  const values = draftValues(raw);
  const problems: Partial<Record<DraftField, DraftProblem>> = {};

  if (!values.process) problems.process = 'required';
  else if (!index.process(values.process)) problems.process = 'unknown-process';
  if (!values.unit) problems.unit = 'required';
  else if (!index.unit(values.unit)) problems.unit = 'unknown-unit';
  for (const field of ['title', 'description', 'potential'] as const) {
    if (!values[field]) problems[field] = 'required';
    else if (values[field].length > DRAFT_LIMITS[field]) problems[field] = 'too-long';
  }
  if (!values.system) problems.system = 'required';
  else if (!(AFFECTED_SYSTEMS as readonly string[]).includes(values.system)) problems.system = 'unknown-system';

  if (Object.keys(problems).length > 0) return { ok: false, problems, values };
  return {
    ok: true,
    draft: {
      process: values.process,
      unit: values.unit,
      title: values.title,
      description: values.description,
      potential: values.potential,
      system: values.system as AffectedSystem,
      // Adaptive Cards send a toggle as "true"/"false".
      mayContact: values.mayContact === 'true',
    },
  };
}
