/**
 * `npm run package` (scripts/package-app.ts): the zip it builds for each
 * environment, and every reason it refuses to build one.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  AppPackageError,
  buildAppPackage,
  bundledTeamsSchemas,
  environmentFromArgs,
  iconProblems,
  readEnvironment,
  validateAgainstSchema,
  type JsonObject,
} from '../../scripts/package-app';
import { PACKAGED_ENVIRONMENTS, PROVISIONED_STAND_INS, appPackageFolder, committedEnvironment } from '../support/appPackage';

const rawManifest = JSON.parse(fs.readFileSync(path.join(appPackageFolder, 'manifest.json'), 'utf8')) as JsonObject;
const schemas = bundledTeamsSchemas(rawManifest.manifestVersion as string);
let outputFolder: string;

const fetchSpy = vi.fn(async (input: unknown) => {
  throw new Error(`Network access attempted while packaging: ${String(input)}`);
});

beforeAll(() => {
  outputFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'app-package-'));
  vi.stubGlobal('fetch', fetchSpy);
});

afterAll(() => {
  vi.unstubAllGlobals();
  fs.rmSync(outputFolder, { recursive: true, force: true });
  expect(fetchSpy).not.toHaveBeenCalled();
});

async function rejection(promise: Promise<unknown>): Promise<AppPackageError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppPackageError);
  return error as AppPackageError;
}

describe.each(PACKAGED_ENVIRONMENTS)('the app package for environment %s', (environment) => {
  let zip: JSZip;
  let zipPath: string;

  beforeAll(async () => {
    const built = await buildAppPackage({ environment, processEnv: PROVISIONED_STAND_INS, outputFolder });
    zipPath = built.zipPath;
    zip = await JSZip.loadAsync(fs.readFileSync(zipPath));
  });

  it('is written as appPackage.<environment>.zip with the resolved manifest beside it', () => {
    expect(path.basename(zipPath)).toBe(`appPackage.${environment}.zip`);
    expect(fs.existsSync(path.join(outputFolder, `manifest.${environment}.json`))).toBe(true);
  });

  it('holds exactly manifest.json, the two icons and the Norwegian and English localization files, at the top level', () => {
    const entries = Object.values(zip.files);
    expect(entries.every((entry) => !entry.dir)).toBe(true);
    expect(entries.map((entry) => entry.name).sort()).toEqual(['color.png', 'en-us.json', 'manifest.json', 'nb-no.json', 'outline.png']);
  });

  it('has a manifest with the environment values that passes the Teams schema offline', async () => {
    const text = await zip.file('manifest.json')!.async('string');
    expect(text).not.toContain('${{');
    const manifest = JSON.parse(text) as JsonObject;
    expect(manifest.id).toBe(PROVISIONED_STAND_INS.TEAMS_APP_ID);
    expect((manifest.bots as JsonObject[])[0]?.botId).toBe(PROVISIONED_STAND_INS.BOT_ID);
    const suffix = committedEnvironment(environment).APP_NAME_SUFFIX ?? '';
    expect(suffix).not.toBe('');
    expect((manifest.name as JsonObject).short).toBe(`Økonomi og lønn${suffix}`);
    expect(await validateAgainstSchema(manifest, schemas.manifest)).toEqual([]);
  });

  it('has localization files that pass the schema, with the same keys in both languages', async () => {
    const norwegian = JSON.parse(await zip.file('nb-no.json')!.async('string')) as JsonObject;
    const english = JSON.parse(await zip.file('en-us.json')!.async('string')) as JsonObject;
    expect(await validateAgainstSchema(norwegian, schemas.localization)).toEqual([]);
    expect(await validateAgainstSchema(english, schemas.localization)).toEqual([]);
    expect(Object.keys(english).sort()).toEqual(Object.keys(norwegian).sort());
    expect(english['name.short']).toBe(`Finance and Payroll${committedEnvironment(environment).APP_NAME_SUFFIX}`);
  });

  it('has the icons from appPackage/: 192×192 colour and 32×32 white-on-transparent outline', async () => {
    const color = await zip.file('color.png')!.async('nodebuffer');
    const outline = await zip.file('outline.png')!.async('nodebuffer');
    expect(color.equals(fs.readFileSync(path.join(appPackageFolder, 'color.png')))).toBe(true);
    expect(outline.equals(fs.readFileSync(path.join(appPackageFolder, 'outline.png')))).toBe(true);
    expect(iconProblems(color, outline)).toEqual([]);
    const outlinePng = PNG.sync.read(outline);
    expect([outlinePng.width, outlinePng.height]).toEqual([32, 32]);
    expect(outlinePng.data[3]).toBe(0);
  });
});

describe('npm run package refuses', () => {
  it('to build with unresolved placeholders, listing each of them and where it is used', async () => {
    const error = await rejection(buildAppPackage({ environment: 'dev', processEnv: { BOT_ID: PROVISIONED_STAND_INS.BOT_ID }, outputFolder }));
    expect(error.message).toContain('Unresolved placeholders for environment "dev"');
    expect(error.problems).toEqual([
      '${{BOT_DOMAIN}} in manifest.json: empty in env/.env.dev or the process environment',
      '${{TAB_APP_CLIENT_ID}} in manifest.json: empty in env/.env.dev or the process environment',
      '${{TEAMS_APP_ID}} in manifest.json: empty in env/.env.dev or the process environment',
    ]);
  });

  it('a placeholder that no env file defines, and names it', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'app-package-root-'));
    try {
      fs.mkdirSync(path.join(root, 'env'));
      fs.mkdirSync(path.join(root, 'appPackage'));
      fs.writeFileSync(path.join(root, 'env', '.env.test'), 'TEAMS_APP_ID=x\n');
      fs.writeFileSync(path.join(root, 'appPackage', 'manifest.json'), '{"id":"${{TEAMS_APP_ID}}","name":{"short":"${{ NOT_DEFINED }}"}}');
      const error = await rejection(buildAppPackage({ environment: 'test', root, processEnv: {}, outputFolder }));
      expect(error.problems).toEqual(['${{NOT_DEFINED}} in manifest.json: not set in env/.env.test or the process environment']);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('an environment without an env file, naming the ones there are', async () => {
    const error = await rejection(buildAppPackage({ environment: 'prod', processEnv: PROVISIONED_STAND_INS, outputFolder }));
    expect(error.problems[0]).toMatch(/env\/\.env\.prod does not exist; environments: .*dev.*local.*playground/);
    expect(fs.existsSync(path.join(outputFolder, 'appPackage.prod.zip'))).toBe(false);
  });

  it('a manifest that the schema rejects', async () => {
    const error = await rejection(
      buildAppPackage({ environment: 'dev', processEnv: { ...PROVISIONED_STAND_INS, TEAMS_APP_ID: 'not-a-guid' }, outputFolder: path.join(outputFolder, 'invalid') }),
    );
    expect(error.problems.some((problem) => problem.startsWith('manifest.json: /id '))).toBe(true);
    expect(fs.existsSync(path.join(outputFolder, 'invalid'))).toBe(false);
  });

  it('icons of the wrong size or colour', () => {
    const png = (size: number, rgba: [number, number, number, number]) => {
      const image = new PNG({ width: size, height: size });
      for (let i = 0; i < size * size; i++) image.data.set(rgba, i * 4);
      return PNG.sync.write(image);
    };
    expect(iconProblems(png(96, [0, 80, 158, 255]), png(32, [255, 255, 255, 255]))).toEqual([
      'color icon is 96×96; Teams needs 192×192',
      'outline icon has no transparent pixels; Teams needs white on a transparent background',
    ]);
    expect(iconProblems(png(192, [0, 80, 158, 255]), png(20, [0, 0, 0, 255]))).toEqual([
      'outline icon is 20×20; Teams needs 32×32',
      'outline icon has 400 visible pixels that are not white; Teams needs white on transparent',
      'outline icon has no transparent pixels; Teams needs white on a transparent background',
    ]);
    expect(iconProblems(Buffer.from('not a png'), png(32, [255, 255, 255, 0]))[0]).toMatch(/^color icon is not a PNG file/);
  });
});

describe('environment values', () => {
  it('come from env/.env.<name>, then env/.env.<name>.user, then the process environment', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'app-package-env-'));
    try {
      fs.mkdirSync(path.join(root, 'env'));
      fs.writeFileSync(path.join(root, 'env', '.env.dev'), '# comment\nA=from-file\nB=from-file\nC=from-file\nSUFFIX=" (dev)"\n');
      fs.writeFileSync(path.join(root, 'env', '.env.dev.user'), 'B=from-user\nC=from-user\n');
      const { values, sources } = readEnvironment(root, 'dev', { C: 'from-process' });
      expect(values).toMatchObject({ A: 'from-file', B: 'from-user', C: 'from-process', SUFFIX: ' (dev)' });
      expect(sources).toEqual([path.join('env', '.env.dev'), path.join('env', '.env.dev.user')]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('name the environment on the command line, dev by default', () => {
    expect(environmentFromArgs([])).toBe('dev');
    expect(environmentFromArgs(['local'])).toBe('local');
    expect(environmentFromArgs(['--env', 'playground'])).toBe('playground');
    expect(() => environmentFromArgs(['--env'])).toThrow(AppPackageError);
    expect(() => readEnvironment(appPackageFolder, '../etc')).toThrow(/Invalid environment name/);
  });
});
