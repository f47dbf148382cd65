import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type KeyLike } from 'jose';
import { startApp, type RunningApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { testConnectionString } from './storage';

/**
 * A stand-in for Entra ID's signing keys: a key pair made here, its public
 * half published as a JWKS on loopback (TAB_JWKS_URL), and Teams SSO tokens
 * signed with it, with whatever claims a test wants to get wrong.
 */
export interface LocalIdentityProvider {
  jwksUrl: string;
  tenantId: string;
  clientId: string;
  appIdUri: string;
  /** A Teams SSO token (v1, as Teams issues it by default) for the user, with claims overridden as given. */
  token(user: { id: string; name: string; email: string }, claims?: Record<string, unknown>, options?: { key?: KeyLike; expiresInSeconds?: number }): Promise<string>;
  /** A key pair Entra ID never published. */
  foreignKey(): Promise<KeyLike>;
  stop(): Promise<void>;
}

export async function startLocalIdentityProvider(): Promise<LocalIdentityProvider> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const kid = randomUUID();
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, use: 'sig', alg: 'RS256' }] });
  const server = http.createServer((req, res) => {
    res.writeHead(req.url === '/keys' ? 200 : 404, { 'content-type': 'application/json' });
    res.end(req.url === '/keys' ? jwks : '{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const tenantId = randomUUID();
  const clientId = randomUUID();
  const appIdUri = `api://okonomi-og-lonn.example/${clientId}`;
  return {
    jwksUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/keys`,
    tenantId,
    clientId,
    appIdUri,
    token: async (user, claims = {}, options = {}) => {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({
        aud: appIdUri,
        iss: `https://sts.windows.net/${tenantId}/`,
        tid: tenantId,
        oid: user.id,
        name: user.name,
        upn: user.email,
        scp: 'access_as_user',
        ver: '1.0',
        iat: now,
        nbf: now,
        exp: now + (options.expiresInSeconds ?? 3600),
        ...claims,
      })
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
        .sign(options.key ?? privateKey);
    },
    foreignKey: async () => (await generateKeyPair('RS256')).privateKey,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * The real app on loopback with a bot identity (stand-ins, so not in local
 * mode: no development sign-in) on tables of its own. With an identity
 * provider its tabs accept that provider's Teams SSO tokens; without one no
 * tab app is configured.
 */
export async function startAppWithBotIdentity(options: {
  tablePrefix: string;
  identityProvider?: LocalIdentityProvider;
  environment?: Record<string, string>;
}): Promise<RunningApp> {
  const idp = options.identityProvider;
  const config = loadConfig({
    PORT: '0',
    STORAGE_CONNECTION_STRING: testConnectionString(),
    TABLE_PREFIX: options.tablePrefix,
    LOG_LEVEL: 'silent',
    BOT_ID: '00000000-0000-4000-8000-000000000001',
    BOT_PASSWORD: 'not-a-real-secret',
    ...(idp ? { TAB_APP_CLIENT_ID: idp.clientId, TAB_APP_ID_URI: idp.appIdUri, TAB_JWKS_URL: idp.jwksUrl } : {}),
    ...options.environment,
  });
  return startApp(config, createLogger(config.logLevel));
}
