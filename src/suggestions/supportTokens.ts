import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Long enough for a draft left open over a long weekend; after that, sending
 * the form again shows the similar suggestions with fresh tokens.
 */
export const SUPPORT_TOKEN_LIFETIME_MS = 7 * 24 * 3_600_000;

export type SupportTokenCheck = 'valid' | 'expired' | 'invalid';

export interface SupportTokenOptions {
  /** The HMAC key; at least 32 bytes, the same on every instance. */
  secret: Buffer;
  lifetimeMs?: number;
  now?: () => Date;
}

/**
 * Proof that a user was shown a suggestion as similar to their own draft, and
 * so may support it: `<expiry>.<HMAC-SHA256(user, suggestion, expiry)>`, put
 * on the "Støtt dette forslaget" button. Nothing is stored; a token is worth
 * nothing to another user, for another suggestion, or after its expiry.
 */
export class SupportTokens {
  private readonly now: () => Date;
  private readonly lifetimeMs: number;

  constructor(private readonly options: SupportTokenOptions) {
    if (options.secret.length < 32) throw new Error('The support token secret must be at least 32 bytes.');
    this.now = options.now ?? (() => new Date());
    this.lifetimeMs = options.lifetimeMs ?? SUPPORT_TOKEN_LIFETIME_MS;
  }

  issue(userId: string, suggestionId: string): string {
    const expires = Math.floor((this.now().getTime() + this.lifetimeMs) / 1000);
    return `${expires}.${this.sign(userId, suggestionId, expires)}`;
  }

  check(token: string, userId: string, suggestionId: string): SupportTokenCheck {
    const match = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!match) return 'invalid';
    const expires = Number(match[1]);
    const expected = Buffer.from(this.sign(userId, suggestionId, expires));
    const given = Buffer.from(match[2] as string);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
    return expires * 1000 <= this.now().getTime() ? 'expired' : 'valid';
  }

  private sign(userId: string, suggestionId: string, expires: number): string {
    // JSON keeps the parts apart whatever characters an id holds.
    return createHmac('sha256', this.options.secret)
      .update(JSON.stringify(['support', userId, suggestionId.toUpperCase(), expires]))
      .digest('base64url');
  }
}
