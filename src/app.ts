import type { AddressInfo } from 'node:net';
import { TeamsAdapter } from '@microsoft/teams-ai';
import type { AppConfig } from './config';
import { DirectoryService } from './directory/directoryService';
import { TableDirectoryStore } from './directory/directoryStore';
import { ensureSeeded } from './directory/seedDirectory';
import type { Logger } from './logger';
import { TableUserProfileStore } from './profiles/userProfileStore';
import { DirectoryAssistant } from './questions/directoryAssistant';
import { createHttpServer, type HealthReport } from './server';
import { startEmbeddedAzurite, type EmbeddedAzurite } from './storage/azurite';
import { createBotApplication } from './teams/botApplication';
import { TableChannelRegistrationStore } from './conversations/channelRegistrations';
import { TableConversationStore } from './conversations/conversationStore';
import { TableOutboxStore } from './delivery/outbox';
import { OutboxWorker } from './delivery/outboxWorker';
import { TableSuggestionStore } from './suggestions/suggestionStore';
import { SuggestionService } from './suggestions/suggestionService';
import { ConversationMemory } from './teams/conversationMemory';
import { suggestionDeliveryHandlers } from './teams/suggestions/suggestionDelivery';

const HEALTH_STORAGE_TIMEOUT_MS = 2000;

export interface RunningApp {
  url: string;
  port: number;
  directory: DirectoryService;
  close(): Promise<void>;
}

/** Starts storage (embedded Azurite unless configured), the directory, the bot and the HTTP server. */
export async function startApp(config: AppConfig, logger: Logger): Promise<RunningApp> {
  let azurite: EmbeddedAzurite | null = null;
  let connectionString: string;
  if ('connectionString' in config.storage) {
    connectionString = config.storage.connectionString;
  } else {
    azurite = await startEmbeddedAzurite({ ports: config.storage.embedded.ports, location: config.storage.embedded.location });
    connectionString = azurite.connectionString;
    logger.info({ location: config.storage.embedded.location, startedHere: azurite.startedHere }, 'using embedded Azurite storage');
  }

  const directoryStore = await TableDirectoryStore.open(connectionString, `${config.tablePrefix}directory`);
  const profiles = await TableUserProfileStore.open(connectionString, `${config.tablePrefix}userprofiles`);
  const snapshot = await ensureSeeded(directoryStore);
  const directory = new DirectoryService(directoryStore, snapshot, logger);
  directory.startPolling(config.directoryRefreshMs);
  const assistant = new DirectoryAssistant(directory.index, profiles);
  directory.onChange((index) => assistant.useDirectory(index));

  const table = (name: string) => `${config.tablePrefix}${name}`;
  const conversations = await TableConversationStore.open(connectionString, table('conversations'));
  const registrations = await TableChannelRegistrationStore.open(connectionString, table('channelregistrations'));
  const suggestionStore = await TableSuggestionStore.open(connectionString, table('suggestions'));
  const outboxStore = await TableOutboxStore.open(connectionString, table('outbox'));
  // The worker is created below, once the adapter its handlers send through exists; kicks before that are not needed.
  let outboxWorker: OutboxWorker | null = null;
  const suggestions = new SuggestionService({
    directory: () => directory.index,
    store: suggestionStore,
    registrations,
    coordinators: config.coordinators,
    outbox: {
      enqueue: (message) => outboxStore.enqueue(message),
      kick: async () => outboxWorker?.kick(),
    },
  });

  if (config.localMode) logger.warn('BOT_ID is not set: local mode, listening on 127.0.0.1 only, Bot Framework authentication is OFF');
  const adapter = new TeamsAdapter(
    config.bot
      ? {
          MicrosoftAppId: config.bot.id,
          MicrosoftAppPassword: config.bot.password,
          MicrosoftAppType: config.bot.type,
          MicrosoftAppTenantId: config.bot.tenantId,
        }
      : {},
  );
  const memory = new ConversationMemory(conversations, logger);
  const bot = createBotApplication({
    adapter,
    botAppId: config.bot?.id,
    assistant,
    directory,
    logger,
    memory,
    suggestions: { service: suggestions, directory, profiles, registrations, memory, interpreter: () => assistant.interpreter },
  });
  outboxWorker = new OutboxWorker({
    store: outboxStore,
    logger,
    // Suggestions wait for people to install the bot: retry for days, not minutes.
    maxAttempts: 2000,
    handlers: suggestionDeliveryHandlers({ adapter, botAppId: config.bot?.id ?? '', service: suggestions, directory, conversations, registrations, logger }),
  });
  // Whatever was stored but not routed when the last instance stopped goes out now.
  const resumed = await suggestions.resumeUndelivered();
  if (resumed > 0) logger.info({ resumed }, 'resuming delivery of suggestions');
  outboxWorker.start(config.outboxPollMs);

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

  const server = createHttpServer({ adapter, bot, health, logger });
  const host = config.localMode ? '127.0.0.1' : '0.0.0.0';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  logger.info({ host, port }, 'bot listening');

  return {
    url: `http://${config.localMode ? '127.0.0.1' : 'localhost'}:${port}`,
    port,
    directory,
    close: async () => {
      directory.stopPolling();
      await outboxWorker?.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (azurite?.startedHere) await azurite.stop();
    },
  };
}
