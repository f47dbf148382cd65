import { AnnouncementScheduler } from '../announcements/announcementScheduler';
import { announcementIntentRules, eventIntentRules } from '../announcements/announcementIntents';
import { AnnouncementService } from '../announcements/announcementService';
import { TableAnnouncementStore } from '../announcements/announcementStore';
import { EventCatalog, TableArchiveStore, ensureArchiveSeeded } from '../announcements/archive';
import { EventService } from '../announcements/eventService';
import { SubscriberAudience } from '../announcements/audience';
import { AnnouncementActivities, BroadcastAnnouncementDelivery, announcementOf } from '../announcements/broadcastDelivery';
import { installedChannels } from '../announcements/installedChannels';
import { ReminderService, storeMovingReminders } from '../announcements/reminders';
import { TableReminderStore } from '../announcements/remindersStore';
import { ensureSampleEvents } from '../announcements/sampleEvents';
import { TableSubscriptionStore } from '../announcements/subscriptionStore';
import { BroadcastEngine } from '../broadcast/broadcastEngine';
import { TableBroadcastStore } from '../broadcast/broadcastStore';
import { TableSenderLease } from '../broadcast/senderLease';
import type { AppRateLimit } from '../broadcast/appRateLimit';
import type { BroadcastMessenger } from '../broadcast/messenger';
import type { RecipientInstaller } from '../broadcast/installation';
import type { AppConfig } from '../config';
import { GraphClient } from '../graph/graphClient';
import { graphCredential } from '../graph/graphCredential';
import { TeamsAppInstaller } from '../graph/teamsAppInstaller';
import type { Subscriptions } from '../announcements/subscriptions';
import type { AnnouncementStore } from '../announcements/announcementStore';
import type { AnnouncementOutbox } from '../announcements/announcementService';
import type { ConversationStore } from '../conversations/conversationStore';
import type { DirectoryService } from '../directory/directoryService';
import type { Logger } from '../logger';
import type { UserProfile } from '../profiles/userProfileStore';
import type { TableStorage } from '../storage/tables';
import type { CalendarUrl } from '../teams/announcements/announcementCards';
import { isCoordinator } from '../conversations/coordinators';
import type { Actor } from '../core/actor';
import { announcementActivity } from '../teams/announcements/announcementCards';
import { registerCalendarRoute } from '../teams/announcements/calendarRoute';
import { registerAnnouncementHandlers } from '../teams/announcements/composeHandlers';
import { coordinatorStatusCards } from '../teams/announcements/coordinatorStatusCards';
import { registerEventHandlers, type EventTeamsDependencies } from '../teams/announcements/eventHandlers';
import { reminderDeliveryJobs } from '../teams/announcements/reminderDelivery';
import { chatIntents } from '../teams/intents';
import { TableRoleHolderStore } from '../roleHolders/roleHolderStore';
import type { RoleHolder } from '../roleHolders/model';
import type { Capability } from './capability';
import type { SharedInfrastructure } from './infrastructure';

export interface EventsAndAnnouncementsCapability extends Capability {
  /** What the chat's event commands work with; the message extension and the tabs share it. */
  events: EventTeamsDependencies;
  /** Every announcement the coordinators made, as stored. */
  announcementStore: TableAnnouncementStore;
  announcements: AnnouncementService;
  /** Sends scheduled announcements that are due. */
  scheduler: AnnouncementScheduler;
  delivery: BroadcastAnnouncementDelivery;
  subscriptions: TableSubscriptionStore;
  reminderStore: TableReminderStore;
  /** The coordinator's role-holder list (issue 14): imported in the Forvaltning tab, matched in audiences. */
  roleHolders: TableRoleHolderStore;
  /** Whom an audience reaches, from declared roles and the role-holder list: the preview's figures, and the tab's. */
  audience: SubscriberAudience;
}

/**
 * Events and announcements: subscriptions, upcoming events and reminders,
 * calendar files and the archive of past events; composing, preview,
 * scheduled sending and changes after sending, delivered by the broadcast
 * engine at the rate Teams allows (one sender across instances, chosen by its lease).
 */
export async function openEventsAndAnnouncements(shared: SharedInfrastructure): Promise<EventsAndAnnouncementsCapability> {
  const { config, logger, directory, conversations, memory, messenger, outbox } = shared;
  const announcementTable = await TableAnnouncementStore.open(shared.storage, shared.table('announcements'));
  const archiveStore = await TableArchiveStore.open(shared.storage, shared.table('eventarchive'));
  const archived = await ensureArchiveSeeded(archiveStore, directory.index);
  if (archived > 0) logger.info({ archived }, 'event archive seeded from events-archive.csv');
  // Never in Azure: samples would reach nobody there, but would show among the real events.
  if (config.sampleEvents) {
    const samples = await ensureSampleEvents(announcementTable, new Date());
    if (samples > 0) logger.info({ samples }, 'upcoming sample events added (local mode only)');
  }
  const catalog = new EventCatalog(announcementTable, archiveStore);
  const subscriptions = await TableSubscriptionStore.open(shared.storage, shared.table('subscriptions'));
  const reminderStore = await TableReminderStore.open(shared.storage, shared.table('eventreminders'));
  const reminders = new ReminderService({ events: catalog, store: reminderStore, outbox });
  // Every change saved to an announcement (moved, cancelled) moves its reminders.
  const store = storeMovingReminders(announcementTable, reminders, (error, announcementId) =>
    logger.error({ err: error, announcementId }, 'could not move the reminders of a changed announcement; they are checked again when due'),
  );
  const calendarUrl = (id: string) => `${shared.address.url}/calendar/${encodeURIComponent(id)}.ics`;
  // Issue 14: audiences also reach the people in the coordinator's role-holder list.
  const roleHolders = await TableRoleHolderStore.open(shared.storage, shared.table('roleholders'));

  const { engine, delivery, broadcasts, announcements, audience } = await openAnnouncementSending({
    storage: shared.storage,
    table: shared.table,
    store,
    messenger,
    rateLimit: shared.rateLimit,
    broadcast: config.broadcast,
    directory,
    conversations,
    profiles: shared.profiles,
    subscriptions,
    coordinators: config.coordinators,
    outbox,
    calendarUrl,
    logger,
    roleHolders: async () => (await roleHolders.current())?.holders ?? [],
    installer: graphInstaller(config, conversations, logger),
  });
  const scheduler = new AnnouncementScheduler(announcements, logger);
  const eventService = new EventService({
    subscriptions,
    catalog,
    reminders,
    directory: () => directory.index,
    isCoordinator: (actor: Actor) => isCoordinator(actor, config.coordinators, directory.index),
  });
  const events: EventTeamsDependencies = {
    service: eventService,
    directory,
    profiles: shared.profiles,
    catalog,
    memory,
    conversations,
    calendarUrl,
    messenger,
  };

  return {
    name: 'events and announcements',
    events,
    announcementStore: announcementTable,
    announcements,
    scheduler,
    delivery,
    subscriptions,
    reminderStore,
    roleHolders,
    audience,
    registerTeams: (bot) => {
      const eventHandlers = registerEventHandlers(bot, events);
      const composeHandlers = registerAnnouncementHandlers(bot, {
        service: announcements,
        directory,
        memory,
        calendarUrl,
        undeliveredLink: (coordinator, id, language) =>
          shared.exportLinks.createUndelivered({ id: coordinator.id, name: coordinator.name, email: coordinator.email ?? null }, id, language),
      });
      return [
        ...chatIntents(eventIntentRules, ({ context, intent, language }) => eventHandlers.handleIntent(context, intent.command, language)),
        ...chatIntents(announcementIntentRules, ({ context, intent, language }) => composeHandlers.handleIntent(context, intent.command, language)),
      ];
    },
    outboxJobs: { ...reminderDeliveryJobs({ reminders, conversations, engine, calendarUrl }), ...announcements.jobs() },
    registerRoutes: (server) => registerCalendarRoute(server, { events: catalog }),
    personalData: [subscriptions.personalData(), reminderStore.personalData(), broadcasts.personalData(), roleHolders.personalData()],
    start: () => {
      engine.start();
      scheduler.start();
    },
    stop: async () => {
      await scheduler.stop();
      await engine.stop();
      await announcements.stop();
    },
  };
}

/** Proactive installation through Microsoft Graph when it is configured (GRAPH_INSTALL_ENABLED); undefined: off. */
function graphInstaller(config: AppConfig, conversations: ConversationStore, logger: Logger): RecipientInstaller | undefined {
  const installation = config.installation;
  if (installation === null) return undefined;
  const graph = new GraphClient({
    baseUrl: installation.graphBaseUrl,
    credential: graphCredential({
      graphBaseUrl: installation.graphBaseUrl,
      bot: config.bot,
      managedIdentityClientId: 'managedIdentityClientId' in config.storage ? config.storage.managedIdentityClientId : undefined,
    }),
    requestsPerSecond: installation.graphRequestsPerSecond,
  });
  logger.info({ graph: installation.graphBaseUrl, catalogAppId: installation.catalogAppId }, 'proactive installation through Microsoft Graph is on');
  return new TeamsAppInstaller({
    graph,
    catalogAppId: installation.catalogAppId,
    bot: { id: config.bot?.id ?? '', tenantId: config.bot?.tenantId ?? null, serviceUrl: installation.serviceUrl },
    conversations,
    logger,
  });
}

export interface AnnouncementSendingDependencies {
  storage: TableStorage;
  /** The table name with the configured prefix. */
  table: (name: string) => string;
  store: AnnouncementStore;
  /** Posts and replaces messages in Teams. */
  messenger: BroadcastMessenger;
  /** The app's rate limit, shared by the engine and everything else the app sends. */
  rateLimit: AppRateLimit;
  /** BROADCAST_MAX_ATTEMPTS. */
  broadcast: { maxAttempts: number };
  directory: Pick<DirectoryService, 'index'>;
  conversations: ConversationStore;
  /** All profiles in one read, for matching audiences by unit. */
  profiles: { list(): Promise<UserProfile[]> };
  subscriptions: { list(): Promise<Subscriptions[]> };
  coordinators: ReadonlySet<string>;
  outbox: AnnouncementOutbox;
  calendarUrl: CalendarUrl;
  logger: Logger;
  /** The coordinator's role-holder list (issue 14), matched beside the roles people declared; without it, declared roles only. */
  roleHolders?: () => Promise<readonly RoleHolder[]>;
  /** Installs the app for listed people it has no chat with (proactive installation); without it, installation is off. */
  installer?: RecipientInstaller;
}

/**
 * The announcement service and what delivers for it: the broadcast engine, at the rate Teams allows (one sender
 * across instances, chosen by its lease), and the delivery port on it. The broadcast benchmark runs this part alone.
 */
export async function openAnnouncementSending(deps: AnnouncementSendingDependencies) {
  const activities = new AnnouncementActivities({
    current: async (id) => (await deps.store.get(id))?.announcement ?? null,
    activity: (announcement) => announcementActivity(announcement, deps.calendarUrl),
  });
  const broadcasts = await TableBroadcastStore.open(deps.storage, deps.table('broadcasts'));
  // The engine calls back only once started, when the delivery and the service it reports to exist.
  const engine: BroadcastEngine = new BroadcastEngine({
    store: broadcasts,
    lease: await TableSenderLease.open(deps.storage, deps.table('broadcasts')),
    messenger: deps.messenger,
    logger: deps.logger,
    rateLimit: deps.rateLimit,
    retry: { maxAttempts: deps.broadcast.maxAttempts },
    installer: deps.installer,
    prepare: (activity, kind) => activities.prepare(activity, kind),
    onProgress: (progress): void => delivery.progressed(progress),
    // Recipient rows lost by storage (see BroadcastEngine): an announcement's send is worked out again from its audience.
    restoreRecipients: async (broadcast) => {
      const announcementId = announcementOf(broadcast.id);
      return announcementId === null ? null : announcements.recipientsAgain(announcementId);
    },
    onRecipientsLost: async (report) => {
      const announcementId = announcementOf(report.broadcastId);
      if (announcementId !== null) await announcements.recipientsLost(announcementId, report);
    },
  });
  const delivery: BroadcastAnnouncementDelivery = new BroadcastAnnouncementDelivery({ engine, broadcasts });
  const audience = new SubscriberAudience({
    personalChats: () => deps.conversations.list('personal'),
    personalChatPages: () => deps.conversations.listPages('personal'),
    profiles: deps.profiles,
    subscriptions: deps.subscriptions,
    directory: () => deps.directory.index,
    roleHolders: deps.roleHolders,
    installationEnabled: () => deps.installer !== undefined,
  });
  const announcements: AnnouncementService = new AnnouncementService({
    store: deps.store,
    directory: () => deps.directory.index,
    coordinators: deps.coordinators,
    audience,
    channels: installedChannels(deps.conversations),
    delivery,
    outbox: deps.outbox,
    statusCards: coordinatorStatusCards({ messenger: deps.messenger, conversations: deps.conversations, calendarUrl: deps.calendarUrl, logger: deps.logger }),
    logger: deps.logger,
  });
  return { engine, delivery, broadcasts, announcements, audience };
}
