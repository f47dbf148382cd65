/**
 * Checks the Teams app package in appPackage/ without any network access:
 *  - manifest.json (after substituting ${{VAR}} the way the toolkit does) is valid
 *    against the Teams manifest JSON schema that @microsoft/app-manifest bundles;
 *  - the localization files (nb-no.json, the default language, and en-us.json) are
 *    valid against the bundled localization schema, their
 *    keys all point at strings in the manifest, and every localizable string in
 *    the manifest is translated;
 *  - bot command lists stay within Teams' limits;
 *  - color.png / outline.png have the sizes and colours Teams requires.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppManifestUtils } from '@microsoft/app-manifest';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { renderColorIcon, renderOutlineIcon } from '../../scripts/generate-icons';
import { COMMAND } from '../../src/teams/messageExtension/messageExtensionCards';
import { bundledTeamsSchemas, localizationFiles, placeholderNames, validateAgainstSchema as validate, type JsonObject } from '../../scripts/package-app';
import {
  PACKAGED_ENVIRONMENTS,
  appPackageFolder as appPackage,
  committedEnvironment,
  flattenStrings,
  manifestPath,
  provisionedEnvironment as environment,
  readResolvedJson,
} from '../support/appPackage';

const placeholdersIn = (file: string): string[] => placeholderNames(fs.readFileSync(file, 'utf8'));

const rawManifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as JsonObject;
const manifestVersion = rawManifest.manifestVersion as string;
const { folder: schemaDir, manifest: manifestSchema, localization: localizationSchema } = bundledTeamsSchemas(manifestVersion);

const localizationInfo = rawManifest.localizationInfo as unknown as {
  defaultLanguageTag: string;
  defaultLanguageFile: string;
  additionalLanguages: { languageTag: string; file: string }[];
};

// Any attempt to reach the network fails the test instead of silently downloading a schema.
const fetchSpy = vi.fn(async (input: unknown) => {
  throw new Error(`Network access attempted during manifest validation: ${String(input)}`);
});

beforeAll(() => {
  vi.stubGlobal('fetch', fetchSpy);
});

afterAll(() => {
  vi.unstubAllGlobals();
  expect(fetchSpy).not.toHaveBeenCalled();
});

describe('Teams app manifest', () => {
  it('uses a manifest schema that @microsoft/app-manifest bundles, and says so in $schema', () => {
    expect(manifestVersion).toBe('1.19');
    expect(fs.existsSync(path.join(schemaDir, 'MicrosoftTeams.schema.json'))).toBe(true);
    expect(rawManifest.$schema).toBe(`https://developer.microsoft.com/en-us/json-schemas/teams/v${manifestVersion}/MicrosoftTeams.schema.json`);
    // The schema file pins the version itself.
    const properties = manifestSchema.properties as JsonObject;
    expect((properties.manifestVersion as JsonObject).const).toBe(manifestVersion);
  });

  it('resolves its $schema URL to the bundled file, offline', async () => {
    const viaUrl = await AppManifestUtils.fetchSchema(rawManifest.$schema as string);
    expect(viaUrl).toEqual(manifestSchema);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('only uses placeholders that every packaged environment defines', () => {
    const used = new Set([manifestPath, ...localizationFiles(rawManifest).map((l) => path.join(appPackage, l.file))].flatMap(placeholdersIn));
    expect([...used].sort()).toEqual(['APP_NAME_SUFFIX', 'BOT_DOMAIN', 'BOT_ID', 'TAB_APP_CLIENT_ID', 'TEAMS_APP_ID']);
    for (const name of PACKAGED_ENVIRONMENTS) {
      const env = committedEnvironment(name);
      for (const variable of used) expect(Object.keys(env), `env/.env.${name} lacks ${variable}`).toContain(variable);
    }
  });

  it.each(PACKAGED_ENVIRONMENTS)('is valid against the bundled schema with the values of env/.env.%s', async (name) => {
    const manifest = readResolvedJson(manifestPath, environment(name));
    expect(await validate(manifest, manifestSchema)).toEqual([]);
  });

  it('rejects an invalid manifest (the validation really runs)', async () => {
    const manifest = readResolvedJson(manifestPath, environment('dev'));
    const broken = { ...manifest, id: 'not-a-guid', accentColor: 'blue' };
    const errors = await validate(broken, manifestSchema);
    expect(errors.some((e) => e.startsWith('/id '))).toBe(true);
    expect(errors.some((e) => e.startsWith('/accentColor '))).toBe(true);
  });

  it('declares the bot, its identity and the domains from the environment', () => {
    expect(rawManifest.id).toBe('${{TEAMS_APP_ID}}');
    const bots = rawManifest.bots as JsonObject[];
    expect(bots).toHaveLength(1);
    const bot = bots[0] as JsonObject;
    expect(bot.botId).toBe('${{BOT_ID}}');
    expect(bot.scopes).toEqual(['personal', 'team', 'groupChat']);
    expect(bot.supportsFiles).toBe(false);
    expect(bot.isNotificationOnly).toBe(false);
    expect(rawManifest.validDomains).toEqual(['${{BOT_DOMAIN}}']);
    // Teams SSO needs an app registration of the tab's own (a managed-identity bot id cannot be one).
    expect(rawManifest.webApplicationInfo).toEqual({
      id: '${{TAB_APP_CLIENT_ID}}',
      resource: 'api://${{BOT_DOMAIN}}/${{TAB_APP_CLIENT_ID}}',
    });
    expect(rawManifest.icons).toEqual({ color: 'color.png', outline: 'outline.png' });
    const developer = rawManifest.developer as JsonObject;
    expect(developer.name).toBe('NTNU');
    for (const key of ['websiteUrl', 'privacyUrl', 'termsOfUseUrl']) {
      expect(new URL(developer[key] as string).hostname).toMatch(/(^|\.)ntnu\.no$/);
    }
  });

  it('declares the message extension: two searches and the two actions on messages, handled by the bot', () => {
    const extensions = rawManifest.composeExtensions as JsonObject[];
    expect(extensions).toHaveLength(1);
    const extension = extensions[0] as JsonObject;
    expect(extension.botId).toBe('${{BOT_ID}}');
    const commands = extension.commands as unknown as Array<{
      id: string;
      type: string;
      title: string;
      description: string;
      context: string[];
      fetchTask?: boolean;
      parameters?: Array<{ name: string; inputType: string }>;
    }>;
    // The ids the bot's handlers answer to.
    expect(commands.map((command) => command.id)).toEqual(Object.values(COMMAND));
    for (const command of commands) {
      expect(command.title.length, command.title).toBeLessThanOrEqual(32);
      expect(command.description.length, command.description).toBeLessThanOrEqual(128);
    }
    const byId = new Map(commands.map((command) => [command.id, command]));
    for (const id of [COMMAND.findAdvisor, COMMAND.findEvents]) {
      const search = byId.get(id);
      expect(search?.type).toBe('query');
      expect(search?.context).toEqual(['compose', 'commandBox']);
      expect(search?.parameters?.map((parameter) => [parameter.name, parameter.inputType])).toEqual([['query', 'text']]);
    }
    expect(byId.get(COMMAND.findAdvisor)?.title).toBe('Finn rådgiver');
    expect(byId.get(COMMAND.findEvents)?.title).toBe('Kurs og fagkaféer');
    const action = byId.get(COMMAND.reportSuggestion);
    expect(action).toMatchObject({ type: 'action', title: 'Meld som forbedringsforslag', context: ['message'], fetchTask: true });
    expect(byId.get(COMMAND.askAdvisor)).toMatchObject({ type: 'action', title: 'Spør prosessrådgiveren', context: ['message'], fetchTask: true });
    const english = JSON.parse(fs.readFileSync(path.join(appPackage, 'en-us.json'), 'utf8')) as JsonObject;
    expect(english['composeExtensions[0].commands[0].title']).toBe('Find an advisor');
    expect(english['composeExtensions[0].commands[3].title']).toBe('Ask the advisor');
  });

  it('has the personal tabs served by the app, after the chat with the bot', () => {
    const tabs = rawManifest.staticTabs as JsonObject[];
    expect(tabs.map((tab) => tab.entityId)).toEqual(['conversations', 'mine-saker', 'forvaltning']);
    expect(tabs[1]).toMatchObject({ name: 'Mine saker', contentUrl: 'https://${{BOT_DOMAIN}}/tabs/mine-saker', scopes: ['personal'] });
    expect(tabs[2]).toMatchObject({ name: 'Forvaltning', contentUrl: 'https://${{BOT_DOMAIN}}/tabs/forvaltning', scopes: ['personal'] });
  });

  it('has one command list per bot scope, within Teams limits', () => {
    const bot = (rawManifest.bots as JsonObject[])[0] as JsonObject;
    const lists = bot.commandLists as unknown as { scopes: string[]; commands: { title: string; description: string }[] }[];
    expect(lists.length).toBeLessThanOrEqual(3);
    // Each scope of the bot has exactly one list of its own.
    expect(lists.map((list) => list.scopes)).toEqual((bot.scopes as string[]).map((scope) => [scope]));
    for (const list of lists) {
      expect(list.commands.length).toBeGreaterThan(0);
      expect(list.commands.length).toBeLessThanOrEqual(10);
      const titles = list.commands.map((c) => c.title);
      expect(new Set(titles).size, `duplicate titles in ${list.scopes.join()}`).toBe(titles.length);
      expect(titles).toContain('hjelp');
      for (const { title, description } of list.commands) {
        expect(title.trim(), title).toBe(title);
        expect(title.length, title).toBeGreaterThan(0);
        expect(title.length, title).toBeLessThanOrEqual(32);
        expect(description.trim().length, title).toBeGreaterThan(0);
        expect(description.length, title).toBeLessThanOrEqual(128);
      }
    }
  });
});

describe('Teams app localization', () => {
  it('defaults to Norwegian bokmål and adds English', () => {
    expect(localizationInfo.defaultLanguageTag).toBe('nb-no');
    expect(localizationInfo.defaultLanguageFile).toBe('nb-no.json');
    expect(localizationInfo.additionalLanguages).toEqual([{ languageTag: 'en-us', file: 'en-us.json' }]);
  });

  it('has the same keys in both languages, and the Norwegian file says what the manifest says', () => {
    const read = (file: string) => JSON.parse(fs.readFileSync(path.join(appPackage, file), 'utf8')) as Record<string, string>;
    const norwegian = read(localizationInfo.defaultLanguageFile);
    const english = read('en-us.json');
    expect(Object.keys(english).sort()).toEqual(Object.keys(norwegian).sort());
    const manifestStrings = flattenStrings(rawManifest);
    for (const [key, value] of Object.entries(norwegian)) {
      if (key === '$schema') continue;
      expect(value, `nb-no.json "${key}" differs from manifest.json`).toBe(manifestStrings.get(key));
    }
  });

  describe.each(localizationFiles(rawManifest))('$languageTag ($file)', ({ file }) => {
    const languagePath = path.join(appPackage, file);
    const rawLanguage = JSON.parse(fs.readFileSync(languagePath, 'utf8')) as JsonObject;

    it('is valid against the bundled localization schema', async () => {
      expect(rawLanguage.$schema).toMatch(new RegExp(`/json-schemas/teams/v${manifestVersion.replace('.', '\\.')}/MicrosoftTeams\\.Localization\\.schema\\.json$`));
      for (const name of PACKAGED_ENVIRONMENTS) {
        const language = readResolvedJson(languagePath, environment(name));
        expect(await validate(language, localizationSchema), name).toEqual([]);
      }
    });

    it('fails localization validation for over-long or unknown strings (the validation really runs)', async () => {
      const language = readResolvedJson(languagePath, environment('dev'));
      const broken = { ...language, 'name.short': 'x'.repeat(31), 'bots[0].commandLists[3].commands[0].title': 'x' };
      const errors = await validate(broken, localizationSchema);
      expect(errors.some((e) => e.startsWith('/name.short '))).toBe(true);
      expect(errors.some((e) => e.includes('additionalProperty') && e.includes('commandLists[3]'))).toBe(true);
    });

    it('only has keys that name strings in the manifest', () => {
      const manifestStrings = flattenStrings(rawManifest);
      const keys = Object.keys(rawLanguage).filter((key) => key !== '$schema' && key !== 'localizationKeys');
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) {
        expect(manifestStrings.has(key), `${file}: "${key}" is not a string in manifest.json`).toBe(true);
        expect(typeof rawLanguage[key]).toBe('string');
        expect((rawLanguage[key] as string).trim().length, key).toBeGreaterThan(0);
      }
    });

    it('translates every localizable string of the manifest', () => {
      // What is localizable is defined by the localization schema itself.
      const exact = Object.keys(localizationSchema.properties as JsonObject).filter((k) => k !== '$schema' && k !== 'localizationKeys');
      const patterns = Object.keys(localizationSchema.patternProperties as JsonObject).map((p) => new RegExp(p));
      const localizable = [...flattenStrings(rawManifest).keys()].filter((key) => exact.includes(key) || patterns.some((pattern) => pattern.test(key)));
      expect(localizable).toEqual(expect.arrayContaining(['name.short', 'name.full', 'description.short', 'description.full']));
      expect(localizable).toContain('bots[0].commandLists[0].commands[0].title');
      const missing = localizable.filter((key) => !(key in rawLanguage));
      expect(missing, `${file} lacks translations`).toEqual([]);
    });
  });
});

describe('Teams app icons', () => {
  const read = (name: string): PNG => PNG.sync.read(fs.readFileSync(path.join(appPackage, name)));

  it('color.png is a 192×192 full-colour icon on NTNU blue', () => {
    const png = read('color.png');
    expect([png.width, png.height]).toEqual([192, 192]);
    const pixel = (x: number, y: number) => Array.from(png.data.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 4));
    for (const [x, y] of [
      [0, 0],
      [191, 0],
      [0, 191],
      [191, 191],
    ] as const) {
      expect(pixel(x, y)).toEqual([0x00, 0x50, 0x9e, 255]);
    }
    // Opaque everywhere, and the white glyph is really there.
    let white = 0;
    for (let i = 0; i < png.width * png.height; i++) {
      expect(png.data[i * 4 + 3]).toBe(255);
      if (png.data[i * 4] === 255 && png.data[i * 4 + 1] === 255 && png.data[i * 4 + 2] === 255) white++;
    }
    expect(white).toBeGreaterThan(192 * 192 * 0.05);
  });

  it('outline.png is 32×32, transparent around a glyph of white pixels only', () => {
    const png = read('outline.png');
    expect([png.width, png.height]).toEqual([32, 32]);
    let transparent = 0;
    let opaque = 0;
    for (let y = 0; y < png.height; y++) {
      for (let x = 0; x < png.width; x++) {
        const i = (y * png.width + x) * 4;
        const alpha = png.data[i + 3] ?? 0;
        if (alpha === 0) transparent++;
        else expect([png.data[i], png.data[i + 1], png.data[i + 2]], `pixel ${x},${y}`).toEqual([255, 255, 255]);
        if (alpha === 255) opaque++;
      }
    }
    for (const [x, y] of [
      [0, 0],
      [31, 0],
      [0, 31],
      [31, 31],
    ] as const) {
      expect(png.data[(y * 32 + x) * 4 + 3], `corner ${x},${y}`).toBe(0);
    }
    expect(transparent).toBeGreaterThan(32 * 32 * 0.3);
    expect(opaque).toBeGreaterThan(32 * 32 * 0.1);
  });

  it('match the output of scripts/generate-icons.ts', () => {
    expect(Buffer.compare(read('color.png').data, renderColorIcon().data)).toBe(0);
    expect(Buffer.compare(read('outline.png').data, renderOutlineIcon().data)).toBe(0);
  });
});
