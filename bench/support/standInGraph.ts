import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandInGraphUser {
  id: string;
  displayName: string;
  mail: string;
}

/** A scripted answer instead of the real one: to requests whose method and path match, `remaining` times. */
export interface StandInGraphFailure {
  method: string;
  path: RegExp;
  status: number;
  retryAfterSeconds?: number;
  remaining: number;
}

/**
 * Stands in for Microsoft Graph on loopback, for the calls proactive installation makes: the user by e-mail, the
 * app's installation in their personal scope, and its chat. Counts what it was asked, and can answer 429 (with
 * Retry-After) to every nth request, or script failures for chosen requests.
 */
export class StandInGraph {
  /** By lower-cased e-mail. */
  readonly users = new Map<string, StandInGraphUser>();
  /** Users (by id) whose installation the organisation's policy blocks (403). */
  readonly blocked = new Set<string>();
  /** Installations by user id. */
  readonly installations = new Map<string, { id: string; chatId: string }>();
  readonly failures: StandInGraphFailure[] = [];
  /** Answer every nth request 429 with this Retry-After (seconds); 0: never. */
  throttleEvery = 0;
  throttleRetryAfterSeconds = 1;
  requests = 0;
  throttled = 0;
  /** Installations made (201), and those answered 409 (there already). */
  installed = 0;
  conflicts = 0;
  /** The Authorization headers seen. */
  readonly authorizations = new Set<string>();
  private readonly byId = new Map<string, StandInGraphUser>();
  private server: http.Server | null = null;
  url = '';

  constructor(readonly catalogAppId = 'catalog-app-id') {}

  /** The base URL the app is given (GRAPH_BASE_URL). */
  get baseUrl(): string {
    return `${this.url}/v1.0`;
  }

  addUser(mail: string, displayName: string, id = `aad-${this.users.size + 1}-${mail.replace(/[^a-z0-9]/gi, '')}`): StandInGraphUser {
    const user = { id, displayName, mail };
    this.users.set(mail.toLowerCase(), user);
    this.byId.set(id, user);
    return user;
  }

  /** The chat id the installation for a user gets. */
  static chatIdOf(userId: string): string {
    return `19:${userId}_bot@unq.gbl.spaces`;
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const answer = (status: number, json?: unknown, headers: Record<string, string> = {}) => {
          res.writeHead(status, { 'content-type': 'application/json', ...headers });
          res.end(json === undefined ? '' : JSON.stringify(json));
        };
        this.requests += 1;
        if (req.headers.authorization) this.authorizations.add(req.headers.authorization);
        const url = new URL(req.url ?? '/', 'http://graph.local');
        const method = req.method ?? 'GET';
        const path = decodeURIComponent(url.pathname);
        if (this.throttleEvery > 0 && this.requests % this.throttleEvery === 0) {
          this.throttled += 1;
          answer(429, { error: { code: 'TooManyRequests', message: 'stand-in throttling' } }, { 'retry-after': String(this.throttleRetryAfterSeconds) });
          return;
        }
        const failure = this.failures.find((candidate) => candidate.remaining > 0 && candidate.method === method && candidate.path.test(path));
        if (failure) {
          failure.remaining -= 1;
          if (failure.status === 429) this.throttled += 1;
          answer(
            failure.status,
            { error: { code: `Standin${failure.status}`, message: `stand-in failure ${failure.status}` } },
            failure.retryAfterSeconds === undefined ? {} : { 'retry-after': String(failure.retryAfterSeconds) },
          );
          return;
        }
        if (method === 'GET' && path === '/v1.0/users') {
          const mail = /mail eq '((?:[^']|'')*)'/.exec(url.searchParams.get('$filter') ?? '')?.[1]?.replace(/''/g, "'") ?? '';
          const user = this.users.get(mail.toLowerCase());
          answer(200, { value: user ? [{ id: user.id, displayName: user.displayName, mail: user.mail }] : [] });
          return;
        }
        const apps = /^\/v1\.0\/users\/([^/]+)\/teamwork\/installedApps(?:\/([^/]+)\/chat)?$/.exec(path);
        const user = apps ? this.byId.get(apps[1] ?? '') : undefined;
        if (!apps || !user) {
          answer(404, { error: { code: 'NotFound', message: `no ${path}` } });
          return;
        }
        if (method === 'POST' && apps[2] === undefined) {
          const bind = (JSON.parse(body || '{}') as Record<string, unknown>)['teamsApp@odata.bind'];
          if (bind !== `${this.baseUrl}/appCatalogs/teamsApps/${this.catalogAppId}`) {
            answer(400, { error: { code: 'BadRequest', message: `unknown app ${String(bind)}` } });
            return;
          }
          if (this.blocked.has(user.id)) {
            answer(403, { error: { code: 'Forbidden', message: 'the app is blocked by the organisation’s app permission policy' } });
            return;
          }
          if (this.installations.has(user.id)) {
            this.conflicts += 1;
            answer(409, { error: { code: 'Conflict', message: 'already installed' } });
            return;
          }
          this.installed += 1;
          this.installations.set(user.id, { id: `installation-${user.id}`, chatId: StandInGraph.chatIdOf(user.id) });
          answer(201);
          return;
        }
        const installation = this.installations.get(user.id);
        if (method === 'GET' && apps[2] === undefined) {
          const filter = url.searchParams.get('$filter') ?? '';
          answer(200, { value: installation && filter === `teamsApp/id eq '${this.catalogAppId}'` ? [{ id: installation.id, teamsApp: { id: this.catalogAppId } }] : [] });
          return;
        }
        if (method === 'GET' && installation && apps[2] === installation.id) {
          answer(200, { id: installation.chatId });
          return;
        }
        answer(404, { error: { code: 'NotFound', message: `no ${path}` } });
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', () => resolve()));
    this.url = `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = null;
  }
}
