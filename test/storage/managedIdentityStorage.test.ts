/**
 * Storage through Entra ID instead of a key, as the web app uses it in Azure
 * (STORAGE_TABLE_ENDPOINT with the managed identity): against a real Azurite
 * that requires bearer tokens over HTTPS (`--oauth basic`), with a test
 * certificate and a stand-in credential issuing tokens as Entra ID shapes them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { DefaultAzureCredential } from '@azure/identity';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';
import { TableUserProfileStore } from '../../src/profiles/userProfileStore';
import { openConfiguredStorage } from '../../src/storage/configuredStorage';
import { freePort } from '../../src/storage/azurite';
import { openTable, type TableEndpoint } from '../../src/storage/tables';
import { uniqueTablePrefix } from '../support/storage';

const ACCOUNT = 'devstoreaccount1';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

/** Tokens shaped like Entra ID's for Azure Storage; Azurite's "basic" OAuth checks audience, issuer and lifetime, not the signature. */
class StandInCredential implements TokenCredential {
  readonly scopesAsked: string[][] = [];
  constructor(private readonly audience = 'https://storage.azure.com') {}
  async getToken(scopes: string | string[]): Promise<AccessToken> {
    this.scopesAsked.push([scopes].flat());
    const now = Math.floor(Date.now() / 1000);
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const claims = { aud: this.audience, iss: `https://sts.windows.net/${TENANT}/`, iat: now, nbf: now - 60, exp: now + 3600, oid: 'managed-identity', tid: TENANT };
    return { token: `${part({ typ: 'JWT', alg: 'RS256' })}.${part(claims)}.c2lnbmF0dXJl`, expiresOnTimestamp: (now + 3600) * 1000 };
  }
}

let azurite: ChildProcess;
let folder: string;
let endpoint: string;
let ca: string;

beforeAll(async () => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'azurite-oauth-'));
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    notAfterDate: new Date(Date.now() + 24 * 3600_000),
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  fs.writeFileSync(path.join(folder, 'cert.pem'), pems.cert);
  fs.writeFileSync(path.join(folder, 'key.pem'), pems.private);
  ca = pems.cert;
  const port = await freePort();
  endpoint = `https://127.0.0.1:${port}/${ACCOUNT}`;
  azurite = spawn(
    process.execPath,
    [
      require.resolve('azurite/dist/src/table/main.js'),
      '--tableHost',
      '127.0.0.1',
      '--tablePort',
      String(port),
      '--oauth',
      'basic',
      '--cert',
      path.join(folder, 'cert.pem'),
      '--key',
      path.join(folder, 'key.pem'),
      '--inMemoryPersistence',
      '--skipApiVersionCheck',
      '--disableTelemetry',
      '--silent',
    ],
    { stdio: 'ignore' },
  );
  // Ready when it accepts a token-authenticated request.
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await openTable(tables(new StandInCredential()), `ready${uniqueTablePrefix()}`);
      break;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
});

afterAll(async () => {
  if (azurite && azurite.exitCode === null) {
    const exited = new Promise((resolve) => azurite.once('exit', resolve));
    azurite.kill('SIGTERM');
    await exited;
  }
  fs.rmSync(folder, { recursive: true, force: true });
});

function tables(credential: TokenCredential): TableEndpoint {
  return { endpoint, credential, clientOptions: { tlsOptions: { ca }, retryOptions: { maxRetries: 0 } } };
}

describe('table storage through a table endpoint and an Entra ID credential', () => {
  it('creates tables and reads and writes rows with bearer tokens for Azure Storage', async () => {
    const credential = new StandInCredential();
    const profiles = await TableUserProfileStore.open(tables(credential), `${uniqueTablePrefix('mi')}profiles`);
    await profiles.setUnit('user-1', 'IDI');
    expect((await profiles.get('user-1'))?.unitCode).toBe('IDI');
    expect(credential.scopesAsked.length).toBeGreaterThan(0);
    expect(credential.scopesAsked.flat().every((scope) => scope === 'https://storage.azure.com/.default')).toBe(true);
  });

  it('fails when the token is not for Azure Storage', async () => {
    await expect(openTable(tables(new StandInCredential('https://graph.microsoft.com')), `${uniqueTablePrefix('mi')}denied`)).rejects.toMatchObject({ statusCode: 403 });
  });
});

describe('storage configuration', () => {
  it('uses the table endpoint with the user-assigned identity that AZURE_CLIENT_ID names', async () => {
    const config = loadConfig({ STORAGE_TABLE_ENDPOINT: 'https://okonomilonnst.table.core.windows.net/', AZURE_CLIENT_ID: '0b7c1f2e-1111-4a2b-9c3d-4e5f6a7b8c9d' });
    expect(config.storage).toEqual({ tableEndpoint: 'https://okonomilonnst.table.core.windows.net/', managedIdentityClientId: '0b7c1f2e-1111-4a2b-9c3d-4e5f6a7b8c9d' });
    const opened = await openConfiguredStorage(config.storage);
    expect(opened.description).toEqual({ kind: 'managed-identity', tableEndpoint: 'https://okonomilonnst.table.core.windows.net/' });
    expect(typeof opened.tables === 'object' && opened.tables.credential).toBeInstanceOf(DefaultAzureCredential);
    await opened.stop();
  });

  it('keeps the connection string mode, which never touches Entra ID', async () => {
    const config = loadConfig({ STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' });
    expect(config.storage).toEqual({ connectionString: 'UseDevelopmentStorage=true' });
    expect((await openConfiguredStorage(config.storage)).tables).toBe('UseDevelopmentStorage=true');
  });

  it('refuses both a connection string and an endpoint, and an endpoint without https', () => {
    expect(() => loadConfig({ STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true', STORAGE_TABLE_ENDPOINT: 'https://a.table.core.windows.net/' })).toThrow(
      /STORAGE_CONNECTION_STRING or STORAGE_TABLE_ENDPOINT, not both/,
    );
    expect(() => loadConfig({ STORAGE_TABLE_ENDPOINT: 'http://a.table.core.windows.net/' })).toThrow(ConfigError);
  });
});
