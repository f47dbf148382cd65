import restify from 'restify';
import type { TeamsAdapter } from '@microsoft/teams-ai';
import type { Application, TurnState } from '@microsoft/teams-ai';
import { registerExportRoute, type ExportRouteDependencies } from './exportRoute';
import { registerCalendarRoute, type CalendarRouteDependencies } from './teams/announcements/calendarRoute';
import type { Logger } from './logger';
import { registerTabApi, type TabApiDependencies } from './tabs/tabApi';
import { registerTabPages } from './tabs/tabPages';

export interface HealthReport {
  status: 'ok' | 'unavailable';
  storage: 'ok' | 'unavailable';
  directory: { version: string; units: number; people: number } | null;
}

export interface ServerDependencies {
  adapter: TeamsAdapter;
  bot: Application<TurnState>;
  health: () => Promise<HealthReport>;
  logger: Logger;
  exports: ExportRouteDependencies;
  /** The .ics files behind "Legg i kalender". */
  calendar: CalendarRouteDependencies;
  /** The tabs "Mine saker" and "Forvaltning": their pages and API. */
  tabs: TabApiDependencies;
}

/** The HTTP surface: the Bot Framework endpoint, a health check, the coordinators' export downloads, the events' calendar files and the tabs. */
export function createHttpServer(deps: ServerDependencies): restify.Server {
  const server = restify.createServer({ name: 'okonomi-og-lonn', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ mapParams: false }));

  server.post('/api/messages', async (req, res) => {
    // A body that is not a JSON object is not an activity, whatever the content type claimed.
    if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
      res.send(400, { error: 'The request body must be a JSON activity.' });
      return;
    }
    try {
      await deps.adapter.process(req, res, (context) => deps.bot.run(context).then(() => undefined));
    } catch (error) {
      deps.logger.error({ err: error }, 'request failed');
      if (!res.headersSent) res.send(500, { error: 'The bot could not process the request.' });
    }
  });

  server.get('/healthz', async (_req, res) => {
    const report = await deps.health();
    res.send(report.status === 'ok' ? 200 : 503, report);
  });

  registerExportRoute(server, deps.exports);
  registerCalendarRoute(server, deps.calendar);
  registerTabPages(server);
  registerTabApi(server, deps.tabs);

  server.on('restifyError', (req, res, error, callback) => {
    deps.logger.warn({ err: error, url: req.url }, 'request rejected');
    return callback();
  });

  return server;
}
