/**
 * The outcomes an application service returns besides success, so adapters
 * (chat handlers, tab routes, the CLI) can word them without deciding anything.
 */

/** The actor may not do this, or the state of things does not allow it; `code` says which. */
export type Refused<Code extends string, Details extends object = object> = { kind: 'refused'; code: Code } & Details;

/** One problem with what the actor gave: which field, and what is wrong with it. */
export interface FieldProblem<Field extends string, Code extends string> {
  field: Field;
  code: Code;
}

/** What the actor gave cannot be used as it is. */
export interface Invalid<Field extends string, Code extends string> {
  kind: 'invalid';
  problems: FieldProblem<Field, Code>[];
}
