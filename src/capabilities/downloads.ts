import { failuresCsv } from '../broadcast/failuresCsv';
import { registerExportRoute } from '../exportRoute';
import { announcementTexts } from '../i18n';
import type { AdvisorQuestionsCapability } from './advisorQuestions';
import type { Capability } from './capability';
import type { EventsAndAnnouncementsCapability } from './eventsAndAnnouncements';
import type { SharedInfrastructure } from './infrastructure';
import type { SuggestionsCapability } from './suggestions';

/** The coordinators' download links: suggestion exports (with the questions to the advisors), and the recipients an announcement did not reach. */
export function openDownloads(
  shared: SharedInfrastructure,
  capabilities: { suggestions: SuggestionsCapability; events: EventsAndAnnouncementsCapability; advisorQuestions: Pick<AdvisorQuestionsCapability, 'store'> },
): Capability {
  const { suggestions, events, advisorQuestions } = capabilities;
  return {
    name: 'downloads',
    registerRoutes: (server) =>
      registerExportRoute(server, {
        links: shared.exportLinks,
        suggestions: () => suggestions.store.list(),
        questions: () => advisorQuestions.store.list(),
        directory: () => shared.directory.index,
        isCoordinator: (actor) => suggestions.service.isCoordinator(actor),
        undeliveredCsv: async (coordinator, announcementId, language) => {
          const found = await events.announcements.undelivered(coordinator, announcementId);
          if (found.kind !== 'undelivered') return null;
          const t = announcementTexts(language).undelivered;
          return { csv: failuresCsv(found.recipients, t.csvHeaders, t.installation), fileName: `${t.fileName}-${announcementId}.csv` };
        },
        logger: shared.logger,
      }),
  };
}
