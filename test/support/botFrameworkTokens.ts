import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthenticationConstants } from 'botframework-connector';
import { SignJWT, exportJWK, exportSPKI, generateKeyPair, type KeyLike } from 'jose';

/**
 * A stand-in for Bot Framework's token signing keys: a key pair made here, its
 * public half published as OpenID metadata and a JWKS on loopback, and tokens
 * as the Teams channel signs them, with whatever a test wants to get wrong.
 *
 * The SDK reads the keys from login.botframework.com, a fixed address, through
 * a process-wide cache of metadata per address; `install` puts this stand-in in
 * that cache under the real address (the SDK's own key handling and checks all
 * still run), and `uninstall` takes it out again.
 */
export interface BotFrameworkKeys {
  /** The kid the published key has. */
  kid: string;
  /** The published public key, as PEM. */
  publicKeyPem: string;
  /** A channel token for the bot: RS256, the published key, the Bot Framework issuer, valid for an hour; claims and header overridden as given. */
  token(options: { botId: string; serviceUrl: string; claims?: Record<string, unknown>; header?: Record<string, unknown>; key?: KeyLike | Uint8Array }): Promise<string>;
  /** A key pair Bot Framework never published. */
  foreignKey(): Promise<KeyLike>;
  /** With `metadataPath: '/missing'` the metadata address answers 404: the keys cannot be fetched. */
  install(options?: { metadataPath?: string }): void;
  uninstall(): void;
  stop(): Promise<void>;
}

/** The SDK's cache of OpenID metadata by address (botframework-connector 4.23, not exported). */
/* eslint-disable @typescript-eslint/no-require-imports -- the cache is private in the SDK's typings: required and given the shape the tests use */
const { JwtTokenExtractor } = require('botframework-connector/lib/auth/jwtTokenExtractor') as { JwtTokenExtractor: { openIdMetadataCache: Map<string, unknown> } };
const { OpenIdMetadata } = require('botframework-connector/lib/auth/openIdMetadata') as { OpenIdMetadata: new (url: string) => unknown };
/* eslint-enable @typescript-eslint/no-require-imports */

export async function startBotFrameworkKeys(): Promise<BotFrameworkKeys> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const kid = randomUUID();
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, use: 'sig', alg: 'RS256', endorsements: ['msteams'] }] });
  let base = '';
  const server = http.createServer((req, res) => {
    const body =
      req.url === '/openidconfiguration'
        ? JSON.stringify({ issuer: AuthenticationConstants.ToBotFromChannelTokenIssuer, jwks_uri: `${base}/keys` })
        : req.url === '/keys'
          ? jwks
          : null;
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
    res.end(body ?? '{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const cache = JwtTokenExtractor.openIdMetadataCache;
  const metadataUrl = AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl;

  return {
    kid,
    publicKeyPem: await exportSPKI(publicKey),
    token: async ({ botId, serviceUrl, claims = {}, header = {}, key }) => {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ iss: AuthenticationConstants.ToBotFromChannelTokenIssuer, aud: botId, serviceurl: serviceUrl, nbf: now, iat: now, exp: now + 3600, ...claims })
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT', ...header })
        .sign(key ?? privateKey);
    },
    foreignKey: async () => (await generateKeyPair('RS256')).privateKey,
    install: ({ metadataPath = '/openidconfiguration' } = {}) => {
      cache.set(metadataUrl, new OpenIdMetadata(`${base}${metadataPath}`));
    },
    uninstall: () => {
      cache.delete(metadataUrl);
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
