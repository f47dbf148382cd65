import type { PersonChangeDetail } from '../directory/import/diffDirectories';
import type { ImportProblem, ImportProblemCode, ProblemParamsByCode } from '../directory/import/validateDirectory';
import type { DirectoryImportTexts, ProblemTexts } from './nb/directoryImport';

/**
 * The directory import's results in words: validation returns problem codes
 * with their parameters and the diff returns what changed; the import command
 * and the Forvaltning tab word them with the texts of the reader's language.
 */

/** `file:line: reason`, the way compilers report, so editors and terminals can jump to the line. */
export function formatProblem(problem: ImportProblem, texts: DirectoryImportTexts): string {
  const reason = problemReason(problem, texts);
  return problem.line === null ? `${problem.file}: ${reason}` : `${problem.file}:${problem.line}: ${reason}`;
}

/** What is wrong, without the file and line (for a table that shows them in columns of their own). */
export function problemReason(problem: ImportProblem, texts: DirectoryImportTexts): string {
  return describe(texts.problems, problem.code, problem.params);
}

/** Ties the code to its params' type, which TypeScript cannot follow through the union by itself. */
function describe<C extends ImportProblemCode>(texts: ProblemTexts, code: C, params: ProblemParamsByCode[C]): string {
  return texts[code](params);
}

/** A person's change in words: one line per thing changed. */
export function describePersonChange(change: PersonChangeDetail, texts: DirectoryImportTexts): string[] {
  switch (change.field) {
    case 'name':
      return [texts.nameChanged(change.before, change.after)];
    case 'phone':
      return [texts.phoneChanged(change.before, change.after)];
    case 'assignments':
      return [...change.added.map(texts.assignmentAdded), ...change.removed.map(texts.assignmentRemoved)];
  }
}
