import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { TeamsBotAdapter } from './teams/teamsBotAdapter';
import type { AppConfig } from './config';
import { DirectoryService } from './directory/directoryService';
import { TableDirectoryStore } from './directory/directoryStore';
import { TableRoleHolderStore } from './roleHolders/roleHolderStore';
import { ensureSeeded } from './directory/seedDirectory';
import type { Logger } from './logger';
import { TableUserProfileStore } from './profiles/userProfileStore';
import { CONTEXT_LIFETIME_MS, TableConversationContextStore } from './conversations/conversationContextStore';
import { DirectoryAssistant } from './questions/directoryAssistant';
import { createHttpServer, type HealthReport } from './server';
import { openConfiguredStorage } from './storage/configuredStorage';
import { createBotApplication } from './teams/botApplication';
import { TableChannelRegistrationStore } from './conversations/channelRegistrations';
import { TableConversationStore } from './conversations/conversationStore';
import { TableOutboxStore } from './delivery/outbox';
import { OutboxWorker } from './delivery/outboxWorker';
import { DeadLetterListing } from './delivery/deadLetters';
import type { Actor } from './core/actor';
import { EXPORT_LINK_LIFETIME_MS, ExportLinks } from './suggestions/exportLinks';
import { FollowUpScheduler } from './suggestions/followUpScheduler';
import { TableSuggestionStore } from './suggestions/suggestionStore';
import { SUGGESTION_MESSAGES, SuggestionService, type RoutePayload } from './suggestions/suggestionService';
import { SupportTokens } from './suggestions/supportTokens';
import { ChannelRegistrationListing } from './conversations/registrationListing';
import { ConversationMemory } from './teams/conversationMemory';
import { routeFailureCause, suggestionDeliveryHandlers } from './teams/suggestions/suggestionDelivery';
import type { AnnouncementScheduler } from './announcements/announcementScheduler';
import { wireAnnouncements } from './teams/announcements/announcementWiring';
import { TableAnnouncementStore } from './announcements/announcementStore';
import { ensureSampleEvents } from './announcements/sampleEvents';
import { EventCatalog, TableArchiveStore, ensureArchiveSeeded } from './announcements/archive';
import { ReminderService, storeMovingReminders } from './announcements/reminders';
import { TableReminderStore } from './announcements/remindersStore';
import { TableSubscriptionStore } from './announcements/subscriptionStore';
import { isCoordinator } from './conversations/coordinators';
import { reminderDeliveryHandlers } from './teams/announcements/reminderDelivery';
import { TeamsMessenger } from './teams/broadcast/teamsMessenger';
import { AppRateLimit } from './broadcast/appRateLimit';
import { rateLimitedSends } from './teams/rateLimitedSends';
import { PersonalDataService, suggestionsPersonalData } from './privacy/personalData';
import { DeliveryRetention } from './privacy/retention';
import { TableBroadcastStore } from './broadcast/broadcastStore';
import { TabAuthenticator } from './tabs/tabAuth';
import { failuresCsv } from './broadcast/failuresCsv';
import { announcementTexts } from './i18n';

const HEALTH_STORAGE_TIMEOUT_MS = 2000;

export interface RunningApp {
  url: string;
  port: number;
  directory: DirectoryService;
  /** The reminder and digest scheduler; a pass can be run for a chosen moment (tests). */
  followUp: Pick<FollowUpScheduler, 'runOnce'>;
  /** Sends scheduled announcements that are due; a pass can be run for a chosen moment (tests). */
  announcementScheduler: Pick<AnnouncementScheduler, 'runOnce'>;
  /** The tables "slett mine data" covers. */
  personalData: Pick<PersonalDataService, 'tables'>;
  close(): Promise<void>;
}

/** The port the app is configured to listen on is taken. */
export class PortInUseError extends Error {
  constructor(readonly port: number) {
    super(`Port ${port} is in use; set PORT to another port (for example PORT=${port + 1}).`);
    this.name = 'PortInUseError';
  }
}

/** Starts storage (embedded Azurite unless configured), the directory, the bot and the HTTP server. */
export async function startApp(config: AppConfig, logger: Logger): Promise<RunningApp> {
  const configuredStorage = await openConfiguredStorage(config.storage, { logger });
  const tables = configuredStorage.tables;
  logger.info(configuredStorage.description, 'storage');

  const directoryStore = await TableDirectoryStore.open(tables, `${config.tablePrefix}directory`);
  const profiles = await TableUserProfileStore.open(tables, `${config.tablePrefix}userprofiles`);
  const conversationContexts = await TableConversationContextStore.open(tables, `${config.tablePrefix}conversationcontexts`);
  const snapshot = await ensureSeeded(directoryStore);
  const directory = new DirectoryService(directoryStore, snapshot, logger);
  directory.startPolling(config.directoryRefreshMs);
  const assistant = new DirectoryAssistant(directory.index, profiles);
  directory.onChange((index) => assistant.useDirectory(index));

  const table = (name: string) => `${config.tablePrefix}${name}`;
  const conversations = await TableConversationStore.open(tables, table('conversations'));
  const registrations = await TableChannelRegistrationStore.open(tables, table('channelregistrations'));
  const suggestionStore = await TableSuggestionStore.open(tables, table('suggestions'));
  const outboxStore = await TableOutboxStore.open(tables, table('outbox'));
  // The worker is created below, once the adapter its handlers send through exists; kicks before that are not needed.
  let outboxWorker: OutboxWorker | null = null;
  if (!config.supportTokenSecret && !config.localMode) logger.warn('SUPPORT_TOKEN_SECRET is not set: "support this suggestion" buttons work only on this instance, until it restarts');
  const suggestions = new SuggestionService({
    directory: () => directory.index,
    store: suggestionStore,
    registrations,
    coordinators: config.coordinators,
    supportTokens: new SupportTokens({ secret: config.supportTokenSecret ? Buffer.from(config.supportTokenSecret, 'utf8') : randomBytes(32) }),
    outbox: {
      enqueue: (message) => outboxStore.enqueue(message),
      kick: async () => outboxWorker?.kick(),
    },
  });
  const deadLetters = new DeadLetterListing({ outbox: outboxStore, isCoordinator: (actor: Actor) => suggestions.isCoordinator(actor) });
  const registrationListing = new ChannelRegistrationListing({ store: registrations, coordinators: config.coordinators, directory: () => directory.index });

  // Locally there is one instance, and a key made at start serves it.
  if (!config.exportLinkSecret && !config.localMode) logger.warn('EXPORT_LINK_SECRET is not set: export download links work only on this instance, until it restarts');
  // The address is known once the server listens (the port may be chosen then).
  let publicBaseUrl = config.publicBaseUrl ?? '';
  const exportLinks = new ExportLinks({
    secret: config.exportLinkSecret ? Buffer.from(config.exportLinkSecret, 'utf8') : randomBytes(32),
    baseUrl: () => publicBaseUrl,
    lifetimeMs: EXPORT_LINK_LIFETIME_MS,
  });

  if (config.localMode) logger.warn('BOT_ID is not set: local mode, listening on 127.0.0.1 only, Bot Framework authentication is OFF, the tabs offer a development sign-in');
  else if (!config.tabs.clientId) logger.warn('TAB_APP_CLIENT_ID is not set: the tabs cannot sign anyone in');
  const adapter = new TeamsBotAdapter(
    config.bot
      ? {
          MicrosoftAppId: config.bot.id,
          MicrosoftAppPassword: config.bot.password,
          MicrosoftAppType: config.bot.type,
          MicrosoftAppTenantId: config.bot.tenantId,
        }
      : {},
  );
  // One rate limit for everything the app sends to Teams: broadcasts pace themselves on it, the rest waits for it.
  const rateLimit = new AppRateLimit({ limits: { requestsPerSecond: config.broadcast.requestsPerSecond } });
  adapter.use(rateLimitedSends(rateLimit));
  const memory = new ConversationMemory(conversations, logger);

  // Events: subscriptions, reminders, calendar files and the archive of past events.
  const announcementTable = await TableAnnouncementStore.open(tables, table('announcements'));
  const archiveStore = await TableArchiveStore.open(tables, table('eventarchive'));
  const archived = await ensureArchiveSeeded(archiveStore, directory.index);
  if (archived > 0) logger.info({ archived }, 'event archive seeded from events-archive.csv');
  // Never in Azure: samples would reach nobody there, but would show among the real events.
  if (config.sampleEvents) {
    const samples = await ensureSampleEvents(announcementTable, new Date());
    if (samples > 0) logger.info({ samples }, 'upcoming sample events added (local mode only)');
  }
  const eventCatalog = new EventCatalog(announcementTable, archiveStore);
  const subscriptionStore = await TableSubscriptionStore.open(tables, table('subscriptions'));
  const reminderStore = await TableReminderStore.open(tables, table('eventreminders'));
  const reminders = new ReminderService({
    events: eventCatalog,
    store: reminderStore,
    outbox: { enqueue: (message) => outboxStore.enqueue(message), kick: () => void outboxWorker?.kick() },
  });
  // Every change saved to an announcement (moved, cancelled) moves its reminders.
  const announcementStore = storeMovingReminders(announcementTable, reminders, (error, announcementId) =>
    logger.error({ err: error, announcementId }, 'could not move the reminders of a changed announcement; they are checked again when due'),
  );
  const messenger = new TeamsMessenger({ adapter, botAppId: config.bot?.id ?? '', logger });
  const calendarUrl = (id: string) => `${publicBaseUrl}/calendar/${encodeURIComponent(id)}.ics`;

  // ---- Issue 14: the coordinator's role-holder list (audiences, the Forvaltning tab, deletion) ----
  const roleHolderStore = await TableRoleHolderStore.open(tables, table('roleholders'));
  const roleHolders = async () => (await roleHolderStore.current())?.holders ?? [];
  // ---- end issue 14 ----

  // Announcements: composing, preview, scheduled sending and changes after sending (issue 4).
  const announcements = await wireAnnouncements({
    storage: tables,
    table,
    store: announcementStore,
    messenger,
    rateLimit,
    broadcast: config.broadcast,
    directory,
    conversations,
    profiles,
    subscriptions: subscriptionStore,
    memory,
    coordinators: config.coordinators,
    outbox: { enqueue: (message) => outboxStore.enqueue(message), kick: () => void outboxWorker?.kick() },
    calendarUrl,
    exportLinks,
    logger,
    roleHolders,
  });

  // Deletion cannot miss a table: every store holding personal data is a holder here.
  const broadcastStore = await TableBroadcastStore.open(tables, table('broadcasts'));
  const personalData = new PersonalDataService([
    profiles.personalData(),
    conversationContexts.personalData(),
    subscriptionStore.personalData(),
    reminderStore.personalData(),
    broadcastStore.personalData(),
    outboxStore.personalData(),
    registrations.personalData(),
    suggestionsPersonalData(suggestionStore),
    conversations.personalData(),
    roleHolderStore.personalData(),
  ]);
  const bot = createBotApplication({
    adapter,
    botAppId: config.bot?.id,
    assistant,
    directory,
    logger,
    memory,
    conversationContexts,
    suggestions: {
      service: suggestions,
      directory,
      profiles,
      registrations,
      registrationListing,
      memory,
      exports: { links: exportLinks, listSuggestions: () => suggestionStore.list() },
      deadLetters,
    },
    announcements: announcements.teams,
    events: {
      directory,
      profiles,
      subscriptions: subscriptionStore,
      catalog: eventCatalog,
      reminders,
      memory,
      conversations,
      isCoordinator: (actor) => isCoordinator(actor, config.coordinators, directory.index),
      calendarUrl,
      messenger,
    },
    privacy: {
      service: personalData,
      memory,
      logger,
    },
  });
  outboxWorker = new OutboxWorker({
    store: outboxStore,
    logger,
    // Suggestions wait for people to install the bot: retried for days (OUTBOX_MAX_AGE_HOURS), then a dead letter.
    maxAttempts: config.outboxGiveUp.maxAttempts,
    maxAgeMs: config.outboxGiveUp.maxAgeMs,
    deadLetterHandlers: { [SUGGESTION_MESSAGES.route]: (message, reason) => suggestions.recordUndeliverable(message.payload as RoutePayload, reason, routeFailureCause(reason)) },
    handlers: {
      ...suggestionDeliveryHandlers({ adapter, botAppId: config.bot?.id ?? '', service: suggestions, directory, conversations, registrations, logger }),
      ...reminderDeliveryHandlers({ reminders, conversations, engine: announcements.engine, calendarUrl }),
      ...announcements.outboxHandlers,
    },
  });
  // Whatever was stored but not routed when the last instance stopped goes out now.
  const resumed = await suggestions.resumeUndelivered();
  if (resumed > 0) logger.info({ resumed }, 'resuming delivery of suggestions');
  outboxWorker.start(config.outboxPollMs);
  announcements.engine.start();
  // Every instance runs it; the outbox ids (quiet period, ISO week) keep reminders and digests from going out twice.
  const followUp = new FollowUpScheduler({
    suggestions: suggestionStore,
    directory: () => directory.index,
    outbox: { enqueue: (message) => outboxStore.enqueue(message), kick: () => void outboxWorker?.kick() },
    coordinators: config.coordinators,
    reminderDays: config.reminderDays,
    logger,
  });
  followUp.start(config.followUpIntervalMs);
  announcements.scheduler.start();
  const retention = new DeliveryRetention({
    broadcasts: broadcastStore,
    outbox: outboxStore,
    conversationContexts,
    contextLifetimeMs: CONTEXT_LIFETIME_MS,
    maxAgeDays: config.deliveryRetentionDays,
    logger,
  });
  retention.start();

  const health = async (): Promise<HealthReport> => {
    let storage: HealthReport['storage'] = 'ok';
    let timer: NodeJS.Timeout | undefined;
    // A probe must answer quickly; the storage client's own retries could take many seconds.
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('storage did not answer in time')), HEALTH_STORAGE_TIMEOUT_MS);
    });
    try {
      await Promise.race([directoryStore.currentVersion(), timeout]);
    } catch {
      storage = 'unavailable';
    } finally {
      clearTimeout(timer);
    }
    const index = directory.index;
    return {
      status: storage === 'ok' ? 'ok' : 'unavailable',
      storage,
      directory: { version: directory.version, units: index.directory.units.length, people: index.peopleCount },
    };
  };

  const server = createHttpServer({
    adapter,
    bot,
    health,
    logger,
    exports: {
      links: exportLinks,
      suggestions: () => suggestionStore.list(),
      directory: () => directory.index,
      isCoordinator: (actor) => suggestions.isCoordinator(actor),
      undeliveredCsv: async (coordinator, announcementId, language) => {
        const found = await announcements.service.undelivered(coordinator, announcementId);
        if (found.kind !== 'undelivered') return null;
        const t = announcementTexts(language).undelivered;
        return { csv: failuresCsv(found.recipients, t.csvHeaders), fileName: `${t.fileName}-${announcementId}.csv` };
      },
      logger,
    },
    calendar: { events: eventCatalog },
    tabs: {
      auth: new TabAuthenticator(config.tabs, config.localMode),
      directory,
      directoryStore,
      profiles,
      subscriptions: subscriptionStore,
      suggestions: suggestionStore,
      events: eventCatalog,
      announcements: announcementTable,
      delivery: announcements.delivery,
      reminders,
      reminderStore,
      registrations: registrationListing,
      deadLetters,
      exportLinks,
      roleHolders: roleHolderStore,
      audience: announcements.audience,
      isCoordinator: (user) => suggestions.isCoordinator(user),
      calendarUrl,
      logger,
    },
  });
  const stopBackgroundWork = async (): Promise<void> => {
    await retention.stop();
    directory.stopPolling();
    await followUp.stop();
    await announcements.scheduler.stop();
    await outboxWorker?.stop();
    await announcements.engine.stop();
    await announcements.service.stop();
  };
  const host = config.localMode ? '127.0.0.1' : '0.0.0.0';
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, host, () => resolve());
    });
  } catch (error) {
    // A start that fails here leaves nothing running: no timers, and no embedded Azurite.
    await stopBackgroundWork();
    await configuredStorage.stop();
    throw (error as NodeJS.ErrnoException).code === 'EADDRINUSE' ? new PortInUseError(config.port) : error;
  }
  const port = (server.address() as AddressInfo).port;
  logger.info({ host, port }, 'bot listening');
  const url = `http://${config.localMode ? '127.0.0.1' : 'localhost'}:${port}`;
  if (!config.publicBaseUrl) {
    publicBaseUrl = url;
    if (!config.localMode) logger.warn({ url }, 'PUBLIC_BASE_URL is not set: export download links point at this local address');
  }

  return {
    url,
    port,
    directory,
    followUp,
    announcementScheduler: announcements.scheduler,
    personalData,
    close: async () => {
      await stopBackgroundWork();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // The last turns' contexts, written together a moment after their answers.
      await conversationContexts.close();
      await configuredStorage.stop();
    },
  };
}
