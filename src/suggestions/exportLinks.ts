import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { REPLY_LANGUAGES, type ReplyLanguage } from '../language/detectLanguage';
import type { ExportFilter } from './exportSuggestions';
import { SUGGESTION_STATES } from './model';
import type { Actor } from '../core/actor';

/** What a download link exports: suggestions by a filter, or the recipients an announcement did not reach. */
export type ExportSubject = { kind: 'suggestions'; filter: ExportFilter } | { kind: 'undelivered'; announcementId: string };

/** What a download link stands for: whose export, of what, in which language, until when. */
export interface ExportGrant {
  coordinator: Actor;
  subject: ExportSubject;
  language: ReplyLanguage;
  expiresAt: Date;
}

export type ExportFormat = 'csv' | 'xlsx';

/** What the questions' CSV adds to an export link's token: `/exports/<token>.questions.csv`. */
export const QUESTIONS_PART = 'questions';

/** Long enough to click the link, short enough that a forwarded or logged one soon stops working. */
export const EXPORT_LINK_LIFETIME_MS = 15 * 60_000;

export type GrantCheck = { kind: 'valid'; grant: ExportGrant } | { kind: 'expired'; grant: ExportGrant } | { kind: 'invalid' };

export interface ExportLinkOptions {
  /** The HMAC key; at least 32 bytes. */
  secret: Buffer;
  /** The address users reach the app at, e.g. https://okonomi.example.ntnu.no (known only once the server listens). */
  baseUrl: () => string;
  /** How long a link works. */
  lifetimeMs: number;
  now?: () => Date;
}

const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .nullable();
const grantBase = z.object({
  c: z.object({ id: z.string(), n: z.string(), e: z.string().nullable() }),
  l: z.enum(REPLY_LANGUAGES),
  x: z.number().int(),
});
const suggestionsGrant = grantBase.extend({
  p: z.array(z.string().max(20)).max(50),
  s: z.array(z.enum(SUGGESTION_STATES)).max(SUGGESTION_STATES.length),
  f: date,
  t: date,
});
const undeliveredGrant = grantBase.extend({ u: z.string().min(1).max(40) });
const grantJson = z.union([suggestionsGrant, undeliveredGrant]);

/**
 * Short-lived download links to exports. The link itself carries the grant
 * (coordinator, filters, expiry), signed with HMAC-SHA256: nothing is stored,
 * every instance that shares the secret can serve it, and a changed byte makes
 * it worthless. The grant is readable (base64url JSON), not secret: it names
 * the coordinator and the filters, no suggestion content.
 */
export class ExportLinks {
  private readonly now: () => Date;

  constructor(private readonly options: ExportLinkOptions) {
    if (options.secret.length < 32) throw new Error('The export link secret must be at least 32 bytes.');
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Links to the CSV and the workbook of one export, and to the CSV of the questions to the advisors it covers (the
   * workbook has them on a sheet of its own); one grant serves all three.
   */
  create(coordinator: Actor, filter: ExportFilter, language: ReplyLanguage): { urls: Record<ExportFormat, string>; questionsCsvUrl: string; expiresAt: Date } {
    const { token, expiresAt } = this.token(coordinator, language, { p: filter.processes, s: filter.states, f: filter.createdFrom, t: filter.createdTo });
    return { urls: { csv: this.url(token, 'csv'), xlsx: this.url(token, 'xlsx') }, questionsCsvUrl: this.url(`${token}.${QUESTIONS_PART}`, 'csv'), expiresAt };
  }

  /** A link to the CSV of the recipients an announcement did not reach. */
  createUndelivered(coordinator: Actor, announcementId: string, language: ReplyLanguage): { url: string; expiresAt: Date } {
    const { token, expiresAt } = this.token(coordinator, language, { u: announcementId });
    return { url: this.url(token, 'csv'), expiresAt };
  }

  /** Checks a token from a link: forged or garbled ones are invalid; genuine ones past their time are expired. */
  check(token: string): GrantCheck {
    const [body, signature, ...rest] = token.split('.');
    if (!body || !signature || rest.length > 0) return { kind: 'invalid' };
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { kind: 'invalid' };
    let parsed: z.infer<typeof grantJson>;
    try {
      parsed = grantJson.parse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
    } catch {
      return { kind: 'invalid' };
    }
    const grant: ExportGrant = {
      coordinator: { id: parsed.c.id, name: parsed.c.n, email: parsed.c.e },
      subject:
        'u' in parsed
          ? { kind: 'undelivered', announcementId: parsed.u }
          : { kind: 'suggestions', filter: { processes: parsed.p, states: parsed.s, createdFrom: parsed.f, createdTo: parsed.t } },
      language: parsed.l,
      expiresAt: new Date(parsed.x * 1000),
    };
    return grant.expiresAt.getTime() <= this.now().getTime() ? { kind: 'expired', grant } : { kind: 'valid', grant };
  }

  private token(
    coordinator: Actor,
    language: ReplyLanguage,
    subject: Omit<z.infer<typeof suggestionsGrant>, keyof z.infer<typeof grantBase>> | Omit<z.infer<typeof undeliveredGrant>, keyof z.infer<typeof grantBase>>,
  ): { token: string; expiresAt: Date } {
    const expiresAt = new Date(this.now().getTime() + this.options.lifetimeMs);
    const grant: z.infer<typeof grantJson> = {
      c: { id: coordinator.id, n: coordinator.name, e: coordinator.email ?? null },
      l: language,
      x: Math.floor(expiresAt.getTime() / 1000),
      ...subject,
    };
    const body = Buffer.from(JSON.stringify(grant)).toString('base64url');
    return { token: `${body}.${this.sign(body)}`, expiresAt };
  }

  private url(token: string, format: ExportFormat): string {
    return `${this.options.baseUrl().replace(/\/+$/, '')}/exports/${token}.${format}`;
  }

  private sign(body: string): string {
    return createHmac('sha256', this.options.secret).update(body).digest('base64url');
  }
}
