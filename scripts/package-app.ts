/**
 * `npm run package -- [environment]` (default `dev`): builds
 * appPackage/build/appPackage.<environment>.zip, the Teams app package, the
 * way the toolkit's teamsApp/zipAppPackage does, so a package can be made and
 * checked without the toolkit:
 *
 *  - every ${{VAR}} in manifest.json and its localization files is replaced
 *    with the value from env/.env.<environment>, then env/.env.<environment>.user,
 *    then the process environment (later ones win); any placeholder left
 *    without a value stops the build with a list of them;
 *  - the result is validated offline against the Teams schemas that
 *    @microsoft/app-manifest bundles, and the icons are checked;
 *  - the zip holds exactly manifest.json, the two icons and the localization files.
 *
 * The resolved manifest is also written beside the zip (manifest.<environment>.json)
 * for inspection, as the toolkit does.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { AppManifestUtils } from '@microsoft/app-manifest';
import { parse as parseDotenv } from 'dotenv';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { findRepositoryRoot } from '../src/directory/seedDirectory';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** Icon sizes Teams requires (https://learn.microsoft.com/microsoftteams/platform/concepts/build-and-test/apps-package). */
export const ICON_SIZES = { color: 192, outline: 32 } as const;

/** A problem that stops packaging; `problems` lists every one found, not just the first. */
export class AppPackageError extends Error {
  constructor(
    summary: string,
    readonly problems: string[],
  ) {
    super(`${summary}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

// ---------------------------------------------------------------------------
// Environment values

export interface EnvironmentValues {
  values: Record<string, string>;
  /** The files read, relative to the repository root, in the order they apply. */
  sources: string[];
}

/**
 * The values of an environment: env/.env.<name>, then the git-ignored
 * env/.env.<name>.user (secrets), then the process environment.
 */
export function readEnvironment(root: string, environment: string, processEnv: NodeJS.ProcessEnv = process.env): EnvironmentValues {
  if (!/^[A-Za-z0-9_-]+$/.test(environment)) throw new AppPackageError('Invalid environment name', [`"${environment}": use letters, digits, - and _`]);
  const envFolder = path.join(root, 'env');
  const committed = path.join(envFolder, `.env.${environment}`);
  if (!fs.existsSync(committed)) {
    const known = fs.existsSync(envFolder)
      ? fs
          .readdirSync(envFolder)
          .filter((name) => /^\.env\.[^.]+$/.test(name))
          .map((name) => name.slice('.env.'.length))
      : [];
    throw new AppPackageError(`Unknown environment "${environment}"`, [`env/.env.${environment} does not exist; environments: ${known.join(', ') || 'none'}`]);
  }
  const values: Record<string, string> = {};
  const sources: string[] = [];
  for (const file of [committed, `${committed}.user`]) {
    if (!fs.existsSync(file)) continue;
    Object.assign(values, parseDotenv(fs.readFileSync(file)));
    sources.push(path.relative(root, file));
  }
  for (const [key, value] of Object.entries(processEnv)) if (value !== undefined) values[key] = value;
  return { values, sources };
}

export interface UnresolvedPlaceholder {
  name: string;
  file: string;
  reason: 'not set' | 'empty';
}

/**
 * Replaces ${{VAR}} in `text`. A variable that is not set, or is empty, is
 * unresolved, except names ending in _SUFFIX: an empty suffix is how an
 * environment without one (production) says so.
 */
export function substitutePlaceholders(text: string, values: Record<string, string>, file: string, unresolved: UnresolvedPlaceholder[]): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) unresolved.push({ name, file, reason: 'not set' });
    else if (value === '' && !name.endsWith('_SUFFIX')) unresolved.push({ name, file, reason: 'empty' });
    else return value;
    return whole;
  });
}

/** Every placeholder name used in a text. */
export function placeholderNames(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '');
}

function describeUnresolved(unresolved: UnresolvedPlaceholder[], sources: string[]): string[] {
  const byName = new Map<string, { files: Set<string>; reason: UnresolvedPlaceholder['reason'] }>();
  for (const { name, file, reason } of unresolved) {
    const entry = byName.get(name) ?? { files: new Set<string>(), reason };
    entry.files.add(file);
    byName.set(name, entry);
  }
  const where = `${sources.join(', ')} or the process environment`;
  return [...byName.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, { files, reason }]) => `\${{${name}}} in ${[...files].join(', ')}: ${reason === 'empty' ? 'empty' : 'not set'} in ${where}`);
}

// ---------------------------------------------------------------------------
// Schemas bundled with @microsoft/app-manifest (no network)

export interface TeamsSchemas {
  manifest: JsonObject;
  localization: JsonObject;
  /** Folder of the bundled schema files for this manifest version. */
  folder: string;
}

/** Reads a bundled schema the way AppManifestUtils.fetchSchema cleans it (\a and \v in regexes). */
function readBundledSchema(file: string, fixPatterns: (text: string) => string = (text) => text): JsonObject {
  const cleaned = fs.readFileSync(file, 'utf8').replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b');
  return JSON.parse(fixPatterns(cleaned)) as JsonObject;
}

export function bundledTeamsSchemas(manifestVersion: string, root: string = findRepositoryRoot(__dirname)): TeamsSchemas {
  const packageRequire = createRequire(path.join(root, 'package.json'));
  const appManifestRoot = path.dirname(packageRequire.resolve('@microsoft/app-manifest/package.json'));
  const folder = path.join(appManifestRoot, 'build', 'json-schemas', 'teams', `v${manifestVersion}`);
  const manifestFile = path.join(folder, 'MicrosoftTeams.schema.json');
  if (!fs.existsSync(manifestFile)) throw new AppPackageError('Unsupported manifest version', [`@microsoft/app-manifest bundles no schema for manifestVersion ${manifestVersion}`]);
  return {
    folder,
    manifest: readBundledSchema(manifestFile),
    // The published localization schema has patterns like `...\b([0-9]|...)\b]\.description$`
    // with an unescaped `]`, which ajv (it compiles patterns with the `u` flag) rejects.
    // Escaping that bracket keeps the pattern's meaning.
    localization: readBundledSchema(path.join(folder, 'MicrosoftTeams.Localization.schema.json'), (text) => text.replace(/\\\\b\]/g, '\\\\b\\\\]')),
  };
}

type ValidateArgs = Parameters<typeof AppManifestUtils.validateAgainstSchema>;

/** Schema errors of a document (empty when valid); the schema is given, so nothing is fetched. */
export function validateAgainstSchema(document: JsonObject, schema: JsonObject): Promise<string[]> {
  return AppManifestUtils.validateAgainstSchema(document as unknown as ValidateArgs[0], schema as unknown as ValidateArgs[1]);
}

// ---------------------------------------------------------------------------
// Package contents

export interface LocalizationFile {
  languageTag: string;
  file: string;
}

/** The localization files a manifest names: the default language's (if any) first. */
export function localizationFiles(manifest: JsonObject): LocalizationFile[] {
  const info = manifest.localizationInfo as { defaultLanguageTag?: string; defaultLanguageFile?: string; additionalLanguages?: LocalizationFile[] } | undefined;
  if (!info) return [];
  const files: LocalizationFile[] = [];
  if (info.defaultLanguageFile) files.push({ languageTag: info.defaultLanguageTag ?? '', file: info.defaultLanguageFile });
  files.push(...(info.additionalLanguages ?? []));
  return files;
}

/** The files of the package besides manifest.json, as the manifest names them. */
export function packagedFiles(manifest: JsonObject): string[] {
  const icons = (manifest.icons ?? {}) as { color?: string; outline?: string };
  return [icons.color, icons.outline, ...localizationFiles(manifest).map((language) => language.file)].filter((file): file is string => Boolean(file));
}

/** Problems with the icons: Teams needs a 192×192 colour icon and a 32×32 outline icon in white on transparent. */
export function iconProblems(color: Buffer, outline: Buffer): string[] {
  const problems: string[] = [];
  const read = (name: string, data: Buffer): PNG | null => {
    try {
      return PNG.sync.read(data);
    } catch (error) {
      problems.push(`${name} is not a PNG file (${(error as Error).message})`);
      return null;
    }
  };
  const colorPng = read('color icon', color);
  if (colorPng && (colorPng.width !== ICON_SIZES.color || colorPng.height !== ICON_SIZES.color)) {
    problems.push(`color icon is ${colorPng.width}×${colorPng.height}; Teams needs ${ICON_SIZES.color}×${ICON_SIZES.color}`);
  }
  const outlinePng = read('outline icon', outline);
  if (outlinePng) {
    if (outlinePng.width !== ICON_SIZES.outline || outlinePng.height !== ICON_SIZES.outline) {
      problems.push(`outline icon is ${outlinePng.width}×${outlinePng.height}; Teams needs ${ICON_SIZES.outline}×${ICON_SIZES.outline}`);
    }
    let transparent = 0;
    let coloured = 0;
    for (let i = 0; i < outlinePng.width * outlinePng.height; i++) {
      const [r, g, b, alpha] = outlinePng.data.subarray(i * 4, i * 4 + 4);
      if (alpha === 0) transparent++;
      else if (r !== 255 || g !== 255 || b !== 255) coloured++;
    }
    if (coloured > 0) problems.push(`outline icon has ${coloured} visible pixels that are not white; Teams needs white on transparent`);
    if (transparent === 0) problems.push('outline icon has no transparent pixels; Teams needs white on a transparent background');
  }
  return problems;
}

// ---------------------------------------------------------------------------

export interface BuildOptions {
  environment: string;
  root?: string;
  processEnv?: NodeJS.ProcessEnv;
  /** Where the zip goes; appPackage/build by default. */
  outputFolder?: string;
}

export interface BuiltPackage {
  zipPath: string;
  manifestPath: string;
  /** The zip's entries, in order. */
  entries: string[];
  manifest: JsonObject;
}

/** Builds and checks the app package of an environment; throws AppPackageError listing every problem. */
export async function buildAppPackage(options: BuildOptions): Promise<BuiltPackage> {
  const root = options.root ?? findRepositoryRoot(__dirname);
  const appPackage = path.join(root, 'appPackage');
  const { values, sources } = readEnvironment(root, options.environment, options.processEnv);

  const unresolved: UnresolvedPlaceholder[] = [];
  const manifestText = substitutePlaceholders(fs.readFileSync(path.join(appPackage, 'manifest.json'), 'utf8'), values, 'manifest.json', unresolved);
  const manifest = parseJson(manifestText, 'manifest.json');
  const languages = localizationFiles(manifest).map(({ file }) => {
    const source = path.join(appPackage, file);
    if (!fs.existsSync(source)) throw new AppPackageError('Missing localization file', [`appPackage/${file}, named in manifest.json, does not exist`]);
    const text = substitutePlaceholders(fs.readFileSync(source, 'utf8'), values, file, unresolved);
    return { file, text };
  });
  if (unresolved.length > 0) {
    throw new AppPackageError(`Unresolved placeholders for environment "${options.environment}"`, describeUnresolved(unresolved, sources));
  }

  const manifestVersion = typeof manifest.manifestVersion === 'string' ? manifest.manifestVersion : JSON.stringify(manifest.manifestVersion ?? null);
  const schemas = bundledTeamsSchemas(manifestVersion, root);
  const problems = (await validateAgainstSchema(manifest, schemas.manifest)).map((error) => `manifest.json: ${error}`);
  for (const { file, text } of languages) {
    for (const error of await validateAgainstSchema(parseJson(text, file), schemas.localization)) problems.push(`${file}: ${error}`);
  }
  const icons = (manifest.icons ?? {}) as { color?: string; outline?: string };
  const iconFiles = [icons.color, icons.outline].map((file) => (file ? path.join(appPackage, file) : ''));
  const [colorFile = '', outlineFile = ''] = iconFiles;
  if (iconFiles.every((file) => file && fs.existsSync(file))) {
    problems.push(...iconProblems(fs.readFileSync(colorFile), fs.readFileSync(outlineFile)));
  } else {
    problems.push(`icons missing: manifest.json names ${JSON.stringify(manifest.icons)} in appPackage/`);
  }
  if (problems.length > 0) throw new AppPackageError(`The app package for environment "${options.environment}" is not valid`, problems);

  const zip = new JSZip();
  zip.file('manifest.json', manifestText);
  zip.file(path.basename(colorFile), fs.readFileSync(colorFile));
  zip.file(path.basename(outlineFile), fs.readFileSync(outlineFile));
  for (const { file, text } of languages) zip.file(file, text);

  const outputFolder = options.outputFolder ?? path.join(appPackage, 'build');
  fs.mkdirSync(outputFolder, { recursive: true });
  const zipPath = path.join(outputFolder, `appPackage.${options.environment}.zip`);
  fs.writeFileSync(zipPath, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  const manifestPath = path.join(outputFolder, `manifest.${options.environment}.json`);
  fs.writeFileSync(manifestPath, manifestText);
  return { zipPath, manifestPath, entries: Object.keys(zip.files), manifest };
}

function parseJson(text: string, file: string): JsonObject {
  try {
    return JSON.parse(text) as JsonObject;
  } catch (error) {
    throw new AppPackageError('Invalid JSON after substituting the environment values', [`${file}: ${(error as Error).message}`]);
  }
}

/** The environment named on the command line: `npm run package -- dev` or `-- --env dev`. */
export function environmentFromArgs(args: string[]): string {
  const flag = args.indexOf('--env');
  if (flag >= 0) {
    const name = args[flag + 1];
    if (!name) throw new AppPackageError('Missing environment', ['--env needs a name, e.g. --env dev']);
    return name;
  }
  return args.find((arg) => !arg.startsWith('-')) ?? 'dev';
}

async function main(): Promise<void> {
  try {
    const environment = environmentFromArgs(process.argv.slice(2));
    const built = await buildAppPackage({ environment });
    const root = findRepositoryRoot(__dirname);
    console.log(`Built ${path.relative(root, built.zipPath)} (${built.entries.join(', ')})`);
  } catch (error) {
    console.error(error instanceof AppPackageError ? error.message : error);
    process.exitCode = 1;
  }
}

if (require.main === module) void main();
