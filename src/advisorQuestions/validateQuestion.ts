import type { DirectoryIndex } from '../directory/directoryIndex';
import type { QuestionDraft } from './model';

export const QUESTION_TEXT_LIMIT = 2000;

export type QuestionField = keyof QuestionDraft;
export type QuestionProblem = 'required' | 'too-long' | 'unknown-process' | 'unknown-unit';

/** The form as submitted: every value is text (or missing) until validated. */
export type RawQuestion = Partial<Record<QuestionField, unknown>>;

export type QuestionValidation =
  { ok: true; draft: QuestionDraft } | { ok: false; problems: Partial<Record<QuestionField, QuestionProblem>>; values: Record<QuestionField, string> };

/** The form's values as text, trimmed, exactly as the user will see them again. */
export function questionValues(raw: RawQuestion): Record<QuestionField, string> {
  return { process: text(raw.process), unit: text(raw.unit), text: text(raw.text), shareable: text(raw.shareable) };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

/** Checks a submitted question form: every field at once, so the card marks all problems together and keeps what was typed. */
export function validateQuestion(raw: RawQuestion, index: DirectoryIndex): QuestionValidation {
  const values = questionValues(raw);
  const problems: Partial<Record<QuestionField, QuestionProblem>> = {};
  if (!values.process) problems.process = 'required';
  else if (!index.process(values.process)) problems.process = 'unknown-process';
  if (!values.unit) problems.unit = 'required';
  else if (!index.unit(values.unit)) problems.unit = 'unknown-unit';
  if (!values.text) problems.text = 'required';
  else if (values.text.length > QUESTION_TEXT_LIMIT) problems.text = 'too-long';
  if (Object.keys(problems).length > 0) return { ok: false, problems, values };
  // Adaptive Cards send a toggle as "true"/"false".
  return { ok: true, draft: { process: values.process, unit: values.unit, text: values.text, shareable: values.shareable === 'true' } };
}
