import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The layers of src/: the domain (every module not listed below) never
 * depends on Teams, HTTP or wording, so it can be used and tested without
 * them; the wording reads domain types only; and no modules import each
 * other in a circle. Read from the source with the TypeScript compiler's own
 * module resolution, type-only imports included.
 */

const ROOT = path.resolve(__dirname, '../..');

/** The modules outside the domain, by path prefix, each with why it is outside. */
const OUTER_LAYERS: ReadonlyArray<{ prefix: string; reason: string }> = [
  { prefix: 'src/teams/', reason: 'the Teams adapter: handlers, cards and sending, on botbuilder and teams-ai' },
  { prefix: 'src/tabs/', reason: 'the tabs: their HTTP API, sign-in and pages' },
  { prefix: 'src/i18n/', reason: 'the wording of user-visible texts; it may read domain types, never the other way' },
  { prefix: 'src/capabilities/', reason: "each capability's module, which wires its domain to Teams, HTTP routes and the outbox" },
  { prefix: 'src/directory/cli/', reason: "the directory import command: parses arguments, calls the domain, prints in the user's language" },
  { prefix: 'src/app.ts', reason: 'the composition root: opens storage and every capability, registers and starts them' },
  { prefix: 'src/index.ts', reason: 'the process entry: configuration, logging, start and shutdown' },
  { prefix: 'src/server.ts', reason: 'the restify HTTP server and its routes' },
  { prefix: 'src/exportRoute.ts', reason: "the export downloads' HTTP route" },
  { prefix: 'src/httpBody.ts', reason: 'reads request bodies for the restify routes' },
];

/** Packages only the outer layers use, by the import's module name. */
const OUTER_PACKAGES: ReadonlyArray<{ pattern: RegExp; reason: string }> = [
  { pattern: /^botbuilder(-[\w-]+)?(\/|$)/, reason: 'the Bot Framework SDK: Teams activities and turns' },
  { pattern: /^@microsoft\/teams-ai(\/|$)/, reason: "the Teams AI library: the bot's Application" },
  { pattern: /^restify(\/|$)/, reason: 'the HTTP server' },
];

interface Import {
  /** The importing module, relative to the repository root with forward slashes. */
  from: string;
  line: number;
  specifier: string;
  /** Brings in types only (`import type`, `import { type X }`, `import('x').T`): erased from the compiled code. */
  typeOnly: boolean;
  /** The module it resolves to under src/, relative like `from`; null for a package or a file outside src/. */
  target: string | null;
}

function outerLayer(module: string): string | null {
  return OUTER_LAYERS.find(({ prefix }) => module.startsWith(prefix))?.reason ?? null;
}

/** Every module a source file refers to: static imports and re-exports, `import x = require()`, `import()`, `require()` and import types. */
function moduleReferences(source: ts.SourceFile): Array<{ specifier: string; pos: number; typeOnly: boolean }> {
  const references: Array<{ specifier: string; pos: number; typeOnly: boolean }> = [];
  const add = (node: ts.Node | undefined, typeOnly: boolean) => {
    if (node !== undefined && ts.isStringLiteralLike(node)) references.push({ specifier: node.text, pos: node.getStart(source), typeOnly });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const bindings = clause?.namedBindings;
      const onlyTypeNames =
        clause !== undefined && clause.name === undefined && bindings !== undefined && ts.isNamedImports(bindings) && bindings.elements.every((element) => element.isTypeOnly);
      add(node.moduleSpecifier, clause?.isTypeOnly === true || onlyTypeNames);
    } else if (ts.isExportDeclaration(node)) {
      const clause = node.exportClause;
      add(node.moduleSpecifier, node.isTypeOnly || (clause !== undefined && ts.isNamedExports(clause) && clause.elements.every((element) => element.isTypeOnly)));
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression, node.isTypeOnly);
    } else if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) {
      add(node.arguments[0], false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return references;
}

/** Every import of every module under src/, as the compiler resolves it with the project's settings. */
function readImports(): { modules: string[]; imports: Import[]; unresolved: string[] } {
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(ROOT, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (config === undefined) throw new Error('tsconfig.json could not be read');
  const relative = (file: string) => path.relative(ROOT, file).split(path.sep).join('/');
  const modules = config.fileNames.filter((file) => relative(file).startsWith('src/') && file.endsWith('.ts'));
  const imports: Import[] = [];
  const unresolved: string[] = [];
  for (const file of modules) {
    const text = readFileSync(file, 'utf8');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    for (const { specifier, pos, typeOnly } of moduleReferences(source)) {
      const line = source.getLineAndCharacterOfPosition(pos).line + 1;
      const resolved = ts.resolveModuleName(specifier, file, config.options, ts.sys).resolvedModule;
      // A relative import the compiler cannot find would otherwise escape the checks.
      if (specifier.startsWith('.') && resolved === undefined) unresolved.push(`${relative(file)}:${line}: ${specifier}`);
      const target = resolved && !resolved.isExternalLibraryImport ? relative(resolved.resolvedFileName) : null;
      imports.push({ from: relative(file), line, specifier, typeOnly, target: target?.startsWith('src/') ? target : null });
    }
  }
  return { modules: modules.map(relative), imports, unresolved };
}

/** The circles among the modules: each strongly connected component of more than one module, or a module importing itself. */
function importCycles(modules: string[], imports: Import[]): string[][] {
  const edges = new Map<string, string[]>(modules.map((module) => [module, []]));
  for (const { from, target } of imports) if (target !== null) edges.get(from)?.push(target);

  // Tarjan's algorithm: a module whose low link is its own index closes a component, which is the stack down to it.
  const visited = new Map<string, { index: number; lowLink: number }>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (module: string): { index: number; lowLink: number } => {
    const own = { index: visited.size, lowLink: visited.size };
    visited.set(module, own);
    stack.push(module);
    onStack.add(module);
    for (const next of edges.get(module) ?? []) {
      const seen = visited.get(next);
      if (seen === undefined) own.lowLink = Math.min(own.lowLink, visit(next).lowLink);
      else if (onStack.has(next)) own.lowLink = Math.min(own.lowLink, seen.index);
    }
    if (own.lowLink === own.index) {
      const component = stack.splice(stack.lastIndexOf(module));
      for (const member of component) onStack.delete(member);
      if (component.length > 1 || edges.get(module)?.includes(module)) cycles.push(component.sort());
    }
    return own;
  };
  for (const module of modules) if (!visited.has(module)) visit(module);
  return cycles;
}

describe('layering of src/', () => {
  const { modules, imports, unresolved } = readImports();

  it('resolves every relative import, so none escapes the checks', () => {
    expect(modules.length).toBeGreaterThan(100);
    expect(unresolved).toEqual([]);
  });

  it('keeps the domain free of Teams, HTTP and wording: no domain module imports an outer layer or its packages', () => {
    const violations = imports
      .filter(({ from }) => outerLayer(from) === null)
      .flatMap(({ from, line, specifier, target }) => {
        const reason = target !== null ? outerLayer(target) : (OUTER_PACKAGES.find(({ pattern }) => pattern.test(specifier))?.reason ?? null);
        return reason === null ? [] : [`${from}:${line} imports ${target ?? specifier} (${reason})`];
      });
    expect(violations).toEqual([]);
  });

  it('lets the wording read domain types only, never run domain code', () => {
    const valueImports = imports
      .filter(({ from, target, typeOnly }) => from.startsWith('src/i18n/') && target !== null && !target.startsWith('src/i18n/') && !typeOnly)
      .map(({ from, line, target }) => `${from}:${line} imports ${target} for more than its types`);
    expect(valueImports).toEqual([]);
  });

  it('has no import cycles', () => {
    expect(importCycles(modules, imports)).toEqual([]);
  });
});
