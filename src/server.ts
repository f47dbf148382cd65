import type { ServerResponse } from 'node:http';
import restify from 'restify';
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { Activity } from 'botbuilder';
import type { Capability } from './capabilities/capability';
import { ACTIVITY_LIMIT_BYTES, readJsonBody, sendBodyRefusal } from './httpBody';
import type { Logger } from './logger';
import { isWellFormedActivity } from './teams/activityEnvelope';
import type { TeamsBotAdapter } from './teams/teamsBotAdapter';

export interface HealthReport {
  status: 'ok' | 'unavailable';
  storage: 'ok' | 'unavailable';
  directory: { version: string; units: number; people: number } | null;
}

export interface MessagesRouteDependencies {
  adapter: TeamsBotAdapter;
  bot: Application<TurnState>;
  logger: Logger;
}

export interface ServerDependencies extends MessagesRouteDependencies {
  health: () => Promise<HealthReport>;
  /** Each registers its own routes (the coordinators' downloads, the events' calendar files, the tabs). */
  capabilities: readonly Pick<Capability, 'registerRoutes'>[];
}

/** The HTTP surface: the Bot Framework endpoint, a health check, and the capabilities' routes. */
export function createHttpServer(deps: ServerDependencies): restify.Server {
  // No body parser: each route that takes a body reads it itself, with its own limit, and only JSON (see httpBody.ts).
  const server = restify.createServer({ name: 'okonomi-og-lonn', handleUncaughtExceptions: false });

  registerMessagesRoute(server, deps);
  // The Agents Playground probes the endpoint with HEAD before it connects, and browsers ask for a favicon: both are
  // expected, so they get a quiet answer rather than a logged 405 or 404.
  server.head('/api/messages', async (_req, res) => {
    res.send(204);
  });
  server.get('/favicon.ico', async (_req, res) => {
    res.send(204);
  });

  server.get('/healthz', async (_req, res) => {
    const report = await deps.health();
    res.send(report.status === 'ok' ? 200 : 503, report);
  });

  for (const capability of deps.capabilities) capability.registerRoutes?.(server);

  server.on('restifyError', (req: restify.Request, res: restify.Response, error: unknown, callback: () => void) => {
    const status = (error as { statusCode?: unknown }).statusCode;
    if (typeof status === 'number' && status < 500) {
      deps.logger.warn({ err: error, url: req.url }, 'request rejected');
      return callback();
    }
    // restify would answer with the error's own message; an internal message is for the log only.
    deps.logger.error({ err: error, url: req.url }, 'request failed');
    if (!res.headersSent) res.send(500, { error: 'internal' });
    return callback();
  });

  return server;
}

/**
 * The Bot Framework endpoint: the body read with its limit, the token checked, the activity's fields checked, the turn run.
 * The turn-latency bench's echo bot uses this same route, so that the bench compares the bot's work and not two HTTP stacks.
 */
export function registerMessagesRoute(server: restify.Server, deps: MessagesRouteDependencies): void {
  server.post('/api/messages', async (req, res) => {
    const read = await readJsonBody(req, ACTIVITY_LIMIT_BYTES);
    if (read.kind === 'refused') return sendBodyRefusal(res, read);
    if (typeof read.body !== 'object' || read.body === null || Array.isArray(read.body)) return sendJson(res, 400, { error: 'invalid-activity' });
    const activity = read.body as Activity;
    try {
      // The token before the activity's fields: a caller without a valid token learns nothing about what a good activity looks like.
      const authentication = await deps.adapter.authenticate(activity, req.header('authorization') ?? '');
      if (authentication.kind === 'unauthorized') {
        deps.logger.info({ err: authentication.error }, 'a request to /api/messages was refused: no valid Bot Framework token');
        return sendJson(res, 401, { error: 'unauthorized' });
      }
      if (authentication.kind === 'keys-unavailable') {
        deps.logger.error({ err: authentication.error }, "could not fetch Bot Framework's signing keys");
        return sendJson(res, 503, { error: 'unavailable' });
      }
      if (!isWellFormedActivity(activity)) return sendJson(res, 400, { error: 'invalid-activity' });
      parseTimestamps(activity);
      const response = await authentication.process(async (context) => {
        await deps.bot.run(context);
      });
      // The SDK's 501 means no handler answered this invoke (an unknown name): the request's fault, not the server's.
      if (response?.status === 501) {
        deps.logger.info({ name: activity.name }, 'an invoke no handler answers');
        return sendJson(res, 400, { error: 'unsupported-invoke' });
      }
      sendJson(res, response?.status ?? 200, response?.body);
    } catch (error) {
      deps.logger.error({ err: error }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal' });
    }
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-content-type-options': 'nosniff' });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

/** As the SDK's own request handling does: the timestamps as dates, the strings kept. */
function parseTimestamps(activity: Activity): void {
  const raw = activity as Activity & Record<string, unknown>;
  for (const [field, rawField] of [
    ['timestamp', 'rawTimestamp'],
    ['localTimestamp', 'rawLocalTimestamp'],
    ['expiration', 'rawExpiration'],
  ] as const) {
    const value = raw[field];
    if (typeof value === 'string') {
      raw[rawField] = value;
      raw[field] = new Date(value);
    }
  }
}
