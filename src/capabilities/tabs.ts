import type { Actor } from '../core/actor';
import { DirectoryImport } from '../directory/import/directoryImport';
import { RoleHolderImport } from '../roleHolders/roleHolderImport';
import { registerTabApi } from '../tabs/tabApi';
import { TabAuthenticator } from '../tabs/tabAuth';
import { registerTabPages } from '../tabs/tabPages';
import type { AdvisorQuestionsCapability } from './advisorQuestions';
import type { Capability } from './capability';
import type { EventsAndAnnouncementsCapability } from './eventsAndAnnouncements';
import type { SharedInfrastructure } from './infrastructure';
import type { SuggestionsCapability } from './suggestions';

/** The tabs "Mine saker" and "Forvaltning": their pages and API, over the same services and stores as the chat. */
export function openTabs(
  shared: SharedInfrastructure,
  capabilities: { suggestions: SuggestionsCapability; events: EventsAndAnnouncementsCapability; advisorQuestions: Pick<AdvisorQuestionsCapability, 'store' | 'service'> },
): Capability {
  const { suggestions, events, advisorQuestions } = capabilities;
  /** Coordinators import the directory and the role-holder list (COORDINATORS or the directory's management coordinator). */
  const mayImport = (actor: Actor) => suggestions.service.isCoordinator(actor);
  return {
    name: 'tabs',
    registerRoutes: (server) => {
      registerTabPages(server);
      registerTabApi(server, {
        auth: new TabAuthenticator(shared.config.tabs, shared.config.localMode),
        directory: shared.directory,
        directoryImport: new DirectoryImport({
          store: async () => shared.directoryStore,
          mayImport,
          // This instance answers from the new directory at once; the others follow within DIRECTORY_REFRESH_SECONDS.
          onReplaced: () => shared.directory.refresh(),
        }),
        roleHolderImport: new RoleHolderImport({
          store: events.roleHolders,
          // Checked against the directory the app answers from.
          knownCodes: async () => ({
            units: shared.directory.index.directory.units.map((unit) => unit.code),
            processes: shared.directory.index.directory.processes.map((process) => process.code),
          }),
          mayImport,
        }),
        profiles: shared.profiles,
        events: events.events.service,
        suggestions: suggestions.store,
        advisorQuestions: { list: () => advisorQuestions.store.list(), curate: (...args) => advisorQuestions.service.curate(...args) },
        eventCatalog: events.events.catalog,
        announcements: events.announcementStore,
        delivery: events.delivery,
        reminderStore: events.reminderStore,
        registrations: suggestions.channelRegistrations,
        deadLetters: suggestions.deadLetters,
        exportLinks: shared.exportLinks,
        roleHolders: events.roleHolders,
        audience: events.audience,
        isCoordinator: (user) => suggestions.service.isCoordinator(user),
        calendarUrl: events.events.calendarUrl,
        logger: shared.logger,
      });
    },
  };
}
