/**
 * The Microsoft 365 Agents Toolkit project files, the env files and the Azure
 * template agree with each other and with the app: every ${{VAR}} has a source,
 * the Bicep outputs land in env/.env.dev, the web app's settings are ones the
 * app reads, and no secret sits in a committed file.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { placeholderNames } from '../../scripts/package-app';
import { CONFIG_VARIABLES } from '../../src/config';
import { committedEnvironment, repositoryRoot as root } from '../support/appPackage';

interface Action {
  uses: string;
  with?: Record<string, unknown>;
  writeToEnvironmentFile?: Record<string, string>;
}
interface ProjectFile {
  version: string;
  environmentFolderPath?: string;
  provision?: Action[];
  deploy?: Action[];
  publish?: Action[];
}

const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');
const project = (file: string) => parseYaml(read(file)) as ProjectFile;
const bicep = read('infra/azure.bicep');
const bicepOutputs = [...bicep.matchAll(/^output (\w+) /gm)].map((m) => m[1] ?? '');

/** The toolkit's own variables, which it sets whatever the env file says. */
const BUILT_IN = ['TEAMSFX_ENV', 'AZURE_SUBSCRIPTION_ID', 'AZURE_RESOURCE_GROUP_NAME'];

const PROJECTS = [
  { file: 'teamsapp.yml', environment: 'dev' },
  { file: 'teamsapp.local.yml', environment: 'local' },
  { file: 'm365agents.playground.yml', environment: 'playground' },
];

describe.each(PROJECTS)('$file (environment $environment)', ({ file, environment }) => {
  const yml = project(file);

  it('uses the v1.11 project schema and names its schema URL', () => {
    expect(yml.version).toBe('v1.11');
    expect(read(file)).toMatch(/^# yaml-language-server: \$schema=https:\/\/aka\.ms\/m365-agents-toolkits\/v1\.11\/yaml\.schema\.json/);
  });

  it('has a source for every ${{VAR}} it uses: the env file, the toolkit, or an earlier step', () => {
    const env = committedEnvironment(environment);
    const written = new Set<string>(BUILT_IN);
    const stages = [yml.provision ?? [], yml.deploy ?? [], yml.publish ?? []];
    for (const actions of stages) {
      for (const action of actions) {
        const used = placeholderNames(JSON.stringify(action.with ?? {}));
        // arm/deploy also expands the parameters file.
        if (action.uses === 'arm/deploy') used.push(...placeholderNames(read('infra/azure.parameters.json')));
        for (const name of used) expect(name in env || written.has(name), `${file}: \${{${name}}} in ${action.uses} has no source`).toBe(true);
        for (const name of Object.values(action.writeToEnvironmentFile ?? {})) written.add(name);
        if (action.uses === 'arm/deploy') for (const output of bicepOutputs) written.add(output);
      }
    }
  });

  it('keeps secrets out of the committed env file', () => {
    const text = read(`env/.env.${environment}`);
    expect(text).not.toMatch(/^\s*SECRET_/m);
    for (const action of [...(yml.provision ?? []), ...(yml.deploy ?? [])]) {
      for (const [output, variable] of Object.entries(action.writeToEnvironmentFile ?? {})) {
        if (/secret|password/i.test(output)) expect(variable, `${action.uses} ${output}`).toMatch(/^SECRET_/);
      }
    }
  });
});

describe('teamsapp.yml lifecycle', () => {
  const yml = project('teamsapp.yml');
  const uses = (actions: Action[] | undefined) => (actions ?? []).map((action) => action.uses);

  it('provisions the Teams app and Azure, then validates, zips and updates the app package', () => {
    expect(uses(yml.provision)).toEqual([
      'teamsApp/create',
      'aadApp/create',
      'arm/deploy',
      'aadApp/update',
      'teamsApp/validateManifest',
      'teamsApp/zipAppPackage',
      'teamsApp/validateAppPackage',
      'teamsApp/update',
    ]);
    const zip = yml.provision?.find((action) => action.uses === 'teamsApp/zipAppPackage');
    // The same path `npm run package` writes.
    expect(zip?.with?.outputZipPath).toBe('./appPackage/build/appPackage.${{TEAMSFX_ENV}}.zip');
  });

  it('deploys by installing, building and zip-deploying to the web app', () => {
    expect(uses(yml.deploy)).toEqual(['cli/runNpmCommand', 'cli/runNpmCommand', 'azureAppService/zipDeploy']);
    expect(yml.deploy?.map((action) => action.with?.args)).toEqual(['install --no-audit', 'run build --if-present', undefined]);
    expect(yml.deploy?.[2]?.with).toMatchObject({ artifactFolder: '.', ignoreFile: '.webappignore', resourceId: '${{BOT_AZURE_APP_SERVICE_RESOURCE_ID}}' });
  });

  it('publishes the package to the Teams admin center', () => {
    expect(uses(yml.publish)).toContain('teamsApp/publishAppPackage');
  });

  it('writes every Bicep output to env/.env.dev, where it is declared', () => {
    const env = committedEnvironment('dev');
    for (const output of bicepOutputs) expect(Object.keys(env), output).toContain(output);
    expect(bicepOutputs).toEqual(expect.arrayContaining(['BOT_ID', 'BOT_DOMAIN', 'BOT_AZURE_APP_SERVICE_RESOURCE_ID', 'PUBLIC_BASE_URL']));
  });
});

describe("the tabs' Entra app (aad.manifest.json)", () => {
  const manifest = JSON.parse(read('aad.manifest.json')) as {
    identifierUris: string[];
    api: { oauth2PermissionScopes: Array<{ id: string; value: string }>; preAuthorizedApplications: Array<{ appId: string; delegatedPermissionIds: string[] }> };
  };
  const teamsManifest = JSON.parse(read('appPackage/manifest.json')) as { webApplicationInfo: { id: string; resource: string } };

  it('is made without a secret and given the id URI the Teams manifest names', () => {
    for (const file of ['teamsapp.yml', 'teamsapp.local.yml']) {
      const create = project(file).provision?.find((action) => action.uses === 'aadApp/create' && action.writeToEnvironmentFile?.clientId === 'TAB_APP_CLIENT_ID');
      expect(create?.with?.generateClientSecret, file).toBe(false);
      expect(
        project(file).provision?.some((action) => action.uses === 'aadApp/update' && action.with?.manifestPath === './aad.manifest.json'),
        file,
      ).toBe(true);
    }
    expect(manifest.identifierUris).toEqual([teamsManifest.webApplicationInfo.resource]);
    expect(teamsManifest.webApplicationInfo.id).toBe('${{TAB_APP_CLIENT_ID}}');
  });

  it('exposes access_as_user to the Teams desktop, mobile and web clients', () => {
    const [scope] = manifest.api.oauth2PermissionScopes;
    expect(scope?.value).toBe('access_as_user');
    expect(manifest.api.preAuthorizedApplications.map((app) => app.appId).sort()).toEqual(['1fec8e78-bce4-4aaf-ab1b-5451cc387264', '5e3ce6c0-2b1f-4285-8d4b-75ee78787346']);
    for (const app of manifest.api.preAuthorizedApplications) expect(app.delegatedPermissionIds).toEqual([scope?.id]);
  });
});

describe('infra/azure.bicep', () => {
  const settingsBlock = /resource webAppSettings [^\n]*\n([\s\S]*?)\n}\n/.exec(bicep)?.[1] ?? '';
  const settings = new Map([...settingsBlock.matchAll(/^ {4}(\w+): (.+)$/gm)].map((m) => [m[1] ?? '', m[2] ?? '']));
  /** Read by App Service or the Application Insights agent, not by the app. */
  const PLATFORM_SETTINGS = ['WEBSITE_RUN_FROM_PACKAGE', 'SCM_DO_BUILD_DURING_DEPLOYMENT', 'APPLICATIONINSIGHTS_CONNECTION_STRING', 'ApplicationInsightsAgent_EXTENSION_VERSION'];

  it('only sets app settings that the app or the platform reads', () => {
    expect(settings.size).toBeGreaterThan(8);
    for (const name of settings.keys()) expect([...CONFIG_VARIABLES, ...PLATFORM_SETTINGS], name).toContain(name);
  });

  it('gives the app storage through the managed identity and the export key through Key Vault, never a key in a setting', () => {
    expect(settings.get('STORAGE_TABLE_ENDPOINT')).toBe('storage.properties.primaryEndpoints.table');
    expect(settings.get('AZURE_CLIENT_ID')).toBe('identity.properties.clientId');
    expect(settings.has('STORAGE_CONNECTION_STRING')).toBe(false);
    expect(settings.has('BOT_PASSWORD')).toBe(false);
    expect(settings.get('EXPORT_LINK_SECRET')).toBe("'@Microsoft.KeyVault(SecretUri=${exportLinkSecretValue.properties.secretUri})'");
    expect(settings.get('PUBLIC_BASE_URL')).toBe("'https://${webApp.properties.defaultHostName}'");
    expect(bicep).toMatch(/allowSharedKeyAccess: false/);
    expect(bicep).toMatch(/keyVaultReferenceIdentity: identity\.id/);
    expect(bicep).toMatch(/enableRbacAuthorization: true/);
  });

  it('grants the identity exactly the data roles it needs', () => {
    // Storage Table Data Contributor, Storage Queue Data Contributor, Key Vault Secrets User.
    for (const roleId of ['0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3', '974c5e8b-45b9-4653-ba55-5f855dd0fb88', '4633458b-17de-408a-b874-0445c86b69e6']) {
      expect(bicep).toContain(`'${roleId}'`);
    }
  });

  it('gets a value for every parameter without a default from azure.parameters.json, and nothing else', () => {
    const declared = [...bicep.matchAll(/^param (\w+) \w+( = .+)?$/gm)].map((m) => ({ name: m[1] ?? '', hasDefault: Boolean(m[2]) }));
    const given = Object.keys((JSON.parse(read('infra/azure.parameters.json')) as { parameters: Record<string, unknown> }).parameters);
    for (const name of given)
      expect(
        declared.map((p) => p.name),
        name,
      ).toContain(name);
    for (const { name, hasDefault } of declared) if (!hasDefault) expect(given, name).toContain(name);
  });

  it('registers the bot with the Teams channel on the managed identity', () => {
    const bot = read('infra/botRegistration/azurebot.bicep');
    expect(bot).toMatch(/msaAppType: 'UserAssignedMSI'/);
    expect(bot).toMatch(/channelName: 'MsTeamsChannel'/);
    expect(bicep).toMatch(/module azureBotRegistration '\.\/botRegistration\/azurebot\.bicep'/);
  });
});

describe('git', () => {
  it('ignores the env .user files that hold secrets, and commits the others', () => {
    const ignored = (file: string) => {
      try {
        execFileSync('git', ['check-ignore', '-q', file], { cwd: root });
        return true;
      } catch {
        return false;
      }
    };
    for (const environment of ['dev', 'local', 'playground']) {
      expect(ignored(`env/.env.${environment}.user`)).toBe(true);
      expect(ignored(`env/.env.${environment}`)).toBe(false);
    }
  });
});
