import { randomBytes } from 'node:crypto';
import { SignJWT, createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import { z } from 'zod';
import type { TabAuthConfig } from '../config';

/** Who a tab request comes from: the same identity the bot sees (the Entra object id), with a name and e-mail. */
export interface TabUser {
  id: string;
  name: string;
  email: string | null;
}

export type AuthResult =
  | { kind: 'signed-in'; user: TabUser; development: boolean }
  | { kind: 'refused'; reason: 'no-token' | 'invalid-token' | 'expired' | 'wrong-audience' | 'wrong-issuer' | 'not-configured' };

/** A development session lasts a working day; only local mode issues them. */
const DEV_SESSION_SECONDS = 8 * 60 * 60;
const DEV_ISSUER = 'okonomi-og-lonn/local-development';
/** Entra tokens are checked with a minute of leeway for clocks that differ. */
const CLOCK_TOLERANCE_SECONDS = 60;
/** The scope the tab app exposes for Teams SSO (README, Tabs). */
export const TAB_SCOPE = 'access_as_user';

const devSignIn = z.object({
  name: z.string().trim().min(1).max(200),
  email: z.string().trim().toLowerCase().email().max(320),
  id: z.string().trim().max(200).optional(),
});
export type DevSignIn = z.infer<typeof devSignIn>;

/**
 * Checks the bearer token of a tab request. In Teams it is the Teams SSO token
 * (authentication.getAuthToken): signed by Entra ID (keys from its JWKS),
 * issued for the tab's own app (audience: its client id or app id URI), by
 * Entra ID for the token's tenant, not expired, with the tab's scope. In local
 * mode (no bot identity, loopback only) a development sign-in issues tokens of
 * its own instead; outside local mode no such token is accepted, because the
 * key to sign them never exists.
 */
export class TabAuthenticator {
  private readonly jwks: ReturnType<typeof createRemoteJWKSet> | null;
  private readonly devKey: Uint8Array | null;

  constructor(
    private readonly config: TabAuthConfig,
    localMode: boolean,
  ) {
    this.jwks = config.clientId ? createRemoteJWKSet(new URL(config.jwksUrl)) : null;
    this.devKey = localMode ? randomBytes(32) : null;
  }

  /** Whether the development sign-in is offered (local mode only). */
  get developmentSignIn(): boolean {
    return this.devKey !== null;
  }

  /** Issues a development session; null outside local mode. */
  async signInForDevelopment(input: unknown): Promise<{ token: string; user: TabUser } | { invalid: true } | null> {
    if (!this.devKey) return null;
    const parsed = devSignIn.safeParse(input);
    if (!parsed.success) return { invalid: true };
    const user: TabUser = { id: parsed.data.id || `dev:${parsed.data.email}`, name: parsed.data.name, email: parsed.data.email };
    const token = await new SignJWT({ name: user.name, email: user.email })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setIssuer(DEV_ISSUER)
      .setIssuedAt()
      .setExpirationTime(`${DEV_SESSION_SECONDS}s`)
      .sign(this.devKey);
    return { token, user };
  }

  async authenticate(authorization: string | undefined): Promise<AuthResult> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match?.[1]) return { kind: 'refused', reason: 'no-token' };
    const token = match[1];
    let algorithm: string | undefined;
    try {
      algorithm = decodeProtectedHeader(token).alg;
    } catch {
      return { kind: 'refused', reason: 'invalid-token' };
    }
    if (algorithm === 'HS256') return this.devKey ? this.verifyDevelopment(token, this.devKey) : { kind: 'refused', reason: 'invalid-token' };
    return this.verifyEntra(token);
  }

  private async verifyDevelopment(token: string, key: Uint8Array): Promise<AuthResult> {
    try {
      const { payload } = await jwtVerify(token, key, { issuer: DEV_ISSUER, algorithms: ['HS256'] });
      if (!payload.sub || typeof payload.name !== 'string') return { kind: 'refused', reason: 'invalid-token' };
      return { kind: 'signed-in', user: { id: payload.sub, name: payload.name, email: typeof payload.email === 'string' ? payload.email : null }, development: true };
    } catch (error) {
      return { kind: 'refused', reason: reasonOf(error) };
    }
  }

  private async verifyEntra(token: string): Promise<AuthResult> {
    if (!this.jwks || !this.config.clientId) return { kind: 'refused', reason: 'not-configured' };
    const audience = [this.config.clientId, this.config.appIdUri].filter((value): value is string => value !== null);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.jwks, { audience, algorithms: ['RS256'], clockTolerance: CLOCK_TOLERANCE_SECONDS, requiredClaims: ['exp', 'iss', 'tid'] }));
    } catch (error) {
      // Entra ID's keys out of reach is the server's problem, not a bad token: the caller answers 503.
      if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || !(error instanceof errors.JOSEError)) throw new KeysUnavailableError(error);
      return { kind: 'refused', reason: reasonOf(error) };
    }
    const tenant = typeof payload.tid === 'string' ? payload.tid : '';
    // v1 tokens (Teams' default) come from sts.windows.net, v2 tokens from login.microsoftonline.com; either names the token's own tenant.
    const issuers = [`https://sts.windows.net/${tenant}/`, `https://login.microsoftonline.com/${tenant}/v2.0`];
    if (!issuers.includes(String(payload.iss)) || (this.config.tenantId !== null && tenant !== this.config.tenantId)) {
      return { kind: 'refused', reason: 'wrong-issuer' };
    }
    const scopes = typeof payload.scp === 'string' ? payload.scp.split(' ') : [];
    const id = typeof payload.oid === 'string' ? payload.oid : null;
    if (!scopes.includes(TAB_SCOPE) || !id) return { kind: 'refused', reason: 'invalid-token' };
    const email = [payload.preferred_username, payload.upn, payload.email].find((value): value is string => typeof value === 'string' && value.includes('@'));
    return {
      kind: 'signed-in',
      user: { id, name: typeof payload.name === 'string' ? payload.name : (email ?? id), email: email?.toLowerCase() ?? null },
      development: false,
    };
  }
}

/** The signing keys could not be read (network, or an answer that is no key set). */
export class KeysUnavailableError extends Error {
  constructor(readonly reason: unknown) {
    super('The token signing keys could not be read');
    this.name = 'KeysUnavailableError';
  }
}

function reasonOf(error: unknown): 'expired' | 'wrong-audience' | 'wrong-issuer' | 'invalid-token' {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return 'wrong-audience';
    if (error.claim === 'iss') return 'wrong-issuer';
  }
  return 'invalid-token';
}
