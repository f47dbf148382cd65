import type { TokenCredential } from '@azure/identity';
import { retryDelayMs } from '../core/retry';

/** The app's own permissions (application permissions granted by an admin), as Microsoft Graph takes them. */
export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

export interface GraphRetryPolicy {
  /** Attempts a request gets while Graph answers 500, 502, 503, 504 or the network fails (default 4). */
  maxAttempts: number;
  /** Attempts answered 429 before a request is given up (default 8); each waits for Retry-After. */
  maxThrottledAttempts: number;
  /** Backoff when Graph gives no Retry-After: full jitter under a ceiling that doubles from this (default 1 s)… */
  baseDelayMs: number;
  /** …up to this (default 30 s). */
  maxDelayMs: number;
}

export interface GraphClientOptions {
  /** Where Graph is, with its version: https://graph.microsoft.com/v1.0, or a stand-in on loopback. */
  baseUrl: string;
  /** The app's identity; null for a stand-in that asks for none (tests, the local mode). */
  credential: TokenCredential | null;
  /** Requests a second to Graph, the app's own limit beside Teams' (default 10). */
  requestsPerSecond?: number;
  retry?: Partial<GraphRetryPolicy>;
  /** A request without an answer by then counts as a network error (default 30 s). */
  requestTimeoutMs?: number;
  /** Milliseconds since the epoch; injectable for tests. */
  clock?: () => number;
  /** In [0, 1), for the backoff jitter. */
  random?: () => number;
}

/** Graph's answer to a request, when it is not a success (after the retries), or no answer at all (status null). */
export class GraphError extends Error {
  constructor(
    readonly status: number | null,
    /** Graph's error code (`error.code` in its answer), when it gave one. */
    readonly code: string | null,
    message: string,
  ) {
    super(message);
    this.name = 'GraphError';
  }
}

const DEFAULT_RETRY: GraphRetryPolicy = { maxAttempts: 4, maxThrottledAttempts: 8, baseDelayMs: 1000, maxDelayMs: 30_000 };
const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([500, 502, 503, 504]);
/** A token is renewed this long before it expires. */
const TOKEN_MARGIN_MS = 5 * 60_000;

/**
 * A few Microsoft Graph requests with the app's identity, within Graph's throttling: its own pace (so the Teams
 * sends, on the app's other limit, never wait for it), a 429's Retry-After honoured for every request of the app
 * (Graph throttles per app and tenant), and 5xx and network failures retried with backoff, a bounded number of times.
 *
 * Why not @microsoft/microsoft-graph-client: its RetryHandler retries 429 and 5xx inside the client, unseen and
 * outside this pace, as the Bot Framework SDK's retry policy would (src/teams/proactive.ts takes that one out); the
 * four calls the installation makes are plain JSON requests that fetch does, and @azure/identity gives the token.
 */
export class GraphClient {
  private readonly baseUrl: string;
  private readonly credential: TokenCredential | null;
  private readonly intervalMs: number;
  private readonly retry: GraphRetryPolicy;
  private readonly requestTimeoutMs: number;
  private readonly clock: () => number;
  private readonly random: () => number;
  /** When the next request may start: spaced by the pace, and held back while Graph has asked to wait (429). */
  private nextAt = 0;
  private pausedUntil = 0;
  private token: { value: string; renewAt: number } | null = null;

  constructor(options: GraphClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.credential = options.credential;
    this.intervalMs = 1000 / (options.requestsPerSecond ?? 10);
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.clock = options.clock ?? Date.now;
    this.random = options.random ?? Math.random;
  }

  /** The base URL, for Graph's own references to its objects (`…@odata.bind`). */
  get base(): string {
    return this.baseUrl;
  }

  /** Sends a request (a path under the base URL) and gives its JSON answer (null when it has no body); throws a GraphError. */
  async request<T>(method: 'GET' | 'POST', path: string, options: { body?: unknown; signal?: AbortSignal } = {}): Promise<T | null> {
    let failures = 0;
    let throttles = 0;
    for (;;) {
      await this.turn(options.signal);
      let response: Response;
      try {
        response = await fetch(`${this.baseUrl}${path}`, {
          method,
          headers: { accept: 'application/json', ...(await this.authorization()), ...(options.body === undefined ? {} : { 'content-type': 'application/json' }) },
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
          signal: options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(this.requestTimeoutMs)]) : AbortSignal.timeout(this.requestTimeoutMs),
        });
      } catch (error) {
        if (options.signal?.aborted) throw error;
        failures += 1;
        const message = `network: ${error instanceof Error ? error.message : String(error)}`;
        if (failures >= this.retry.maxAttempts) throw new GraphError(null, null, `Gave up after ${failures} failed attempts: ${message}`);
        await this.sleep(retryDelayMs(failures, this.retry, this.random), options.signal);
        continue;
      }
      if (response.ok) {
        const text = await response.text();
        return text === '' ? null : (JSON.parse(text) as T);
      }
      const error = await graphErrorOf(response);
      const retryAfter = retryAfterMs(response.headers.get('retry-after'), this.clock());
      if (response.status === 429) {
        throttles += 1;
        const waitMs = retryAfter ?? retryDelayMs(throttles, this.retry, this.random);
        // Every request of the app waits: Graph counts them together.
        this.pausedUntil = Math.max(this.pausedUntil, this.clock() + waitMs);
        if (throttles >= this.retry.maxThrottledAttempts) throw new GraphError(429, error.code, `Gave up after ${throttles} throttled attempts: ${error.message}`);
        continue;
      }
      if (TRANSIENT_STATUSES.has(response.status)) {
        failures += 1;
        if (failures >= this.retry.maxAttempts) throw new GraphError(response.status, error.code, `Gave up after ${failures} failed attempts: ${error.message}`);
        await this.sleep(retryDelayMs(failures, this.retry, this.random, retryAfter ?? undefined), options.signal);
        continue;
      }
      throw error;
    }
  }

  /**
   * Waits until this request may start: it takes the next place in the pace, and goes then unless Graph has asked
   * the app to wait meanwhile (429), in which case it takes a place after that.
   */
  private async turn(signal: AbortSignal | undefined): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.clock();
      const pausedUntil = this.pausedUntil;
      const at = Math.max(this.nextAt, pausedUntil, now);
      this.nextAt = at + this.intervalMs;
      if (at > now) await this.sleep(at - now, signal);
      if (this.pausedUntil <= pausedUntil || this.pausedUntil <= this.clock()) return;
    }
  }

  private async authorization(): Promise<Record<string, string>> {
    if (this.credential === null) return {};
    if (this.token === null || this.clock() >= this.token.renewAt) {
      const token = await this.credential.getToken(GRAPH_SCOPE);
      if (token === null) throw new GraphError(null, null, 'no token for Microsoft Graph from the app identity');
      this.token = { value: token.token, renewAt: token.expiresOnTimestamp - TOKEN_MARGIN_MS };
    }
    return { authorization: `Bearer ${this.token.value}` };
  }

  private sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = () => {
        signal?.removeEventListener('abort', aborted);
        resolve();
      };
      const aborted = () => {
        clearTimeout(timer);
        reject(signal?.reason as Error);
      };
      const timer = setTimeout(done, Math.max(0, ms));
      signal?.addEventListener('abort', aborted, { once: true });
    });
  }
}

async function graphErrorOf(response: Response): Promise<GraphError> {
  const text = await response.text().catch(() => '');
  let code: string | null = null;
  let message = text.slice(0, 300);
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    if (typeof body.error?.code === 'string') code = body.error.code;
    if (typeof body.error?.message === 'string') message = body.error.message;
  } catch {
    // Not JSON (a proxy's page, say): its start is the message.
  }
  return new GraphError(response.status, code, `${response.status}${code ? ` ${code}` : ''}: ${message || response.statusText}`);
}

/** Retry-After is either seconds or an HTTP date (RFC 9110, 10.2.3); null when absent or neither. */
export function retryAfterMs(header: string | null, now: number): number | null {
  if (header === null) return null;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
