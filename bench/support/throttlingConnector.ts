import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { seededRandom } from './seededRandom';

export interface ThrottlingConnectorOptions {
  /** Requests the app may make in any window (Teams: 50 a second). */
  appLimit: { limit: number; windowMs: number };
  /** Requests one conversation may get in any window (Teams: 7 a second). */
  conversationLimit: { limit: number; windowMs: number };
  /** Share of sends answered 429 at random, whatever the rate. */
  randomThrottleShare: number;
  randomThrottleRetryAfterSeconds: number;
  /** Share of sends answered 503 at random. */
  randomUnavailableShare: number;
  /** For the random answers, so runs are comparable. */
  seed: number;
}

export const TEAMS_LIKE: ThrottlingConnectorOptions = {
  appLimit: { limit: 50, windowMs: 1000 },
  conversationLimit: { limit: 7, windowMs: 1000 },
  randomThrottleShare: 0.02,
  randomThrottleRetryAfterSeconds: 1,
  randomUnavailableShare: 0.01,
  seed: 4,
};

export interface ConnectorCounts {
  /** Every request that arrived. */
  requests: number;
  /** Requests within the limits (counted against the app's budget), whatever their answer. */
  admitted: number;
  /** Answered 429 because the app's limit was exceeded. */
  overAppLimit: number;
  /** Answered 429 because the conversation's limit was exceeded. */
  overConversationLimit: number;
  randomThrottles: number;
  randomUnavailable: number;
  /** Messages posted (200). */
  delivered: number;
  /** Updates (PUT) answered 200. */
  updated: number;
  /** Updates (PUT) refused for exceeding a limit (429): the coordinator's progress card, say. */
  refusedUpdates: number;
}

const NO_COUNTS: ConnectorCounts = {
  requests: 0,
  admitted: 0,
  overAppLimit: 0,
  overConversationLimit: 0,
  randomThrottles: 0,
  randomUnavailable: 0,
  delivered: 0,
  updated: 0,
  refusedUpdates: 0,
};

/** Times within a sliding window (t - windowMs, t]. */
class Window {
  private readonly times: number[] = [];
  constructor(private readonly windowMs: number) {}

  /** How many are in the window ending now, and when the oldest of them leaves it. */
  count(now: number): { count: number; oldest: number | undefined } {
    while (this.times.length > 0 && (this.times[0] as number) <= now - this.windowMs) this.times.shift();
    return { count: this.times.length, oldest: this.times[0] };
  }

  add(now: number): void {
    this.times.push(now);
  }
}

/**
 * Stands in for the Bot Framework connector as Teams throttles it: a sliding
 * window per app and per conversation (answering 429 with Retry-After when
 * exceeded), plus random 429s and 503s on sends. Requests it admits count
 * against the app's budget even when answered 429 or 503 at random (Teams did
 * the work); requests it refuses for exceeding a limit do not. Counts the
 * messages each conversation received.
 */
export class ThrottlingConnector {
  private server: http.Server | null = null;
  private nextId = 1;
  private readonly random: () => number;
  private appWindow: Window;
  private conversationWindows = new Map<string, Window>();
  deliveries = new Map<string, number>();
  /** performance.now() of each admitted request, for the busiest-second check. */
  admittedTimes: number[] = [];
  /** performance.now() of each delivery. */
  deliveryTimes: number[] = [];
  /** performance.now() of each update (PUT) answered 200. */
  updateTimes: number[] = [];
  counts: ConnectorCounts = { ...NO_COUNTS };
  /** Called after each delivery, e.g. to kill the sender half-way. */
  onDelivery: ((delivered: number) => void) | null = null;
  url = '';

  constructor(private readonly options: ThrottlingConnectorOptions = TEAMS_LIKE) {
    this.random = seededRandom(options.seed);
    this.appWindow = new Window(options.appLimit.windowMs);
  }

  /** Forgets everything counted so far (and the windows), for another run against the same address. */
  reset(): void {
    this.appWindow = new Window(this.options.appLimit.windowMs);
    this.conversationWindows = new Map();
    this.deliveries = new Map();
    this.admittedTimes = [];
    this.deliveryTimes = [];
    this.updateTimes = [];
    this.counts = { ...NO_COUNTS };
    this.onDelivery = null;
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => this.answer(req, res));
    });
    this.server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', () => resolve()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  /** The most admitted requests in any window of the app limit's length. */
  busiestWindow(): number {
    let most = 0;
    let first = 0;
    const times = this.admittedTimes;
    for (let last = 0; last < times.length; last += 1) {
      while ((times[first] as number) <= (times[last] as number) - this.options.appLimit.windowMs) first += 1;
      most = Math.max(most, last - first + 1);
    }
    return most;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.server = null;
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse): void {
    const now = performance.now();
    this.counts.requests += 1;
    const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/.exec(req.url ?? '');
    if (!match) return this.reply(res, 404, { error: { code: 'NotFound', message: req.url } });
    const conversationId = decodeURIComponent(match[1] ?? '');

    const app = this.appWindow.count(now);
    if (app.count >= this.options.appLimit.limit) {
      this.counts.overAppLimit += 1;
      if (req.method === 'PUT') this.counts.refusedUpdates += 1;
      return this.throttle(res, (app.oldest ?? now) + this.options.appLimit.windowMs - now, 'the app exceeded its rate limit');
    }
    let conversationWindow = this.conversationWindows.get(conversationId);
    if (!conversationWindow) {
      conversationWindow = new Window(this.options.conversationLimit.windowMs);
      this.conversationWindows.set(conversationId, conversationWindow);
    }
    const conversation = conversationWindow.count(now);
    if (conversation.count >= this.options.conversationLimit.limit) {
      this.counts.overConversationLimit += 1;
      if (req.method === 'PUT') this.counts.refusedUpdates += 1;
      return this.throttle(res, (conversation.oldest ?? now) + this.options.conversationLimit.windowMs - now, 'the conversation exceeded its rate limit');
    }
    this.appWindow.add(now);
    conversationWindow.add(now);
    this.counts.admitted += 1;
    this.admittedTimes.push(now);

    if (req.method === 'PUT') {
      this.counts.updated += 1;
      this.updateTimes.push(now);
      return this.reply(res, 200, { id: decodeURIComponent(match[2] ?? '') });
    }
    const draw = this.random();
    if (draw < this.options.randomThrottleShare) {
      this.counts.randomThrottles += 1;
      return this.throttle(res, this.options.randomThrottleRetryAfterSeconds * 1000, 'random throttling');
    }
    if (draw < this.options.randomThrottleShare + this.options.randomUnavailableShare) {
      this.counts.randomUnavailable += 1;
      return this.reply(res, 503, { error: { code: 'ServiceUnavailable', message: 'random outage' } });
    }
    this.counts.delivered += 1;
    this.deliveries.set(conversationId, (this.deliveries.get(conversationId) ?? 0) + 1);
    this.deliveryTimes.push(now);
    this.reply(res, 200, { id: `sent-${this.nextId++}` });
    this.onDelivery?.(this.counts.delivered);
  }

  private throttle(res: http.ServerResponse, waitMs: number, message: string): void {
    this.reply(res, 429, { error: { code: 'TooManyRequests', message } }, { 'retry-after': String(Math.max(1, Math.ceil(waitMs / 1000))) });
  }

  private reply(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }
}
