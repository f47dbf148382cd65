import type restify from 'restify';
import type { AnnouncementReader } from '../../announcements/archive';
import { announcementCalendar } from '../../announcements/calendar';
import { eventTexts } from '../../i18n';

export interface CalendarRouteDependencies {
  events: AnnouncementReader;
}

/** What an id in the address may look like: the readable ids (KU-2026-0007, AR-2023-0001), nothing that needs escaping. */
const CALENDAR_FILE = /^([A-Za-z0-9-]{1,40})\.ics$/;

/**
 * `GET /calendar/<id>.ics`: the "Legg i kalender" link of announcement cards,
 * reminders and event lists. Events are public within the organisation, like
 * the cards that link here; drafts are not events yet.
 */
export function registerCalendarRoute(server: restify.Server, deps: CalendarRouteDependencies): void {
  server.get('/calendar/:file', async (req, res) => {
    const file = (req.params as { file?: string } | undefined)?.file ?? '';
    const id = CALENDAR_FILE.exec(file)?.[1]?.toUpperCase() ?? null;
    const event = id ? await deps.events.get(id) : null;
    if (!event || event.state === 'draft') {
      // Both languages: a calendar link carries no hint of the reader's.
      const shown = id ?? file.slice(0, 60);
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
      res.end(`${eventTexts('nb').calendar.notFound(shown)}\n\n${eventTexts('en').calendar.notFound(shown)}\n`);
      return;
    }
    const body = Buffer.from(announcementCalendar(event, eventTexts('nb').calendar), 'utf8');
    res.writeHead(200, {
      'content-type': 'text/calendar; charset=utf-8',
      'content-disposition': `attachment; filename="${event.id}.ics"`,
      'content-length': body.length,
      // The event can be moved or cancelled: a calendar asked again must get the current one.
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    });
    res.end(body);
  });
}
