import { randomBytes } from 'node:crypto';
import type { AppConfig } from '../config';
import { AppRateLimit } from '../broadcast/appRateLimit';
import { TableConversationContextStore } from '../conversations/conversationContextStore';
import { TableConversationStore } from '../conversations/conversationStore';
import { TableOutboxStore } from '../delivery/outbox';
import { sharedOutbox, type SharedOutbox } from '../delivery/outboxJobs';
import { OutboxWorker } from '../delivery/outboxWorker';
import { DirectoryService } from '../directory/directoryService';
import { TableDirectoryStore } from '../directory/directoryStore';
import { ensureSeeded } from '../directory/seedDirectory';
import type { Logger } from '../logger';
import type { PersonalDataHolder } from '../privacy/personalDataHolder';
import { TableUserProfileStore } from '../profiles/userProfileStore';
import type { HealthReport } from '../server';
import { openConfiguredStorage, type ConfiguredStorage } from '../storage/configuredStorage';
import type { TableStorage } from '../storage/tables';
import { EXPORT_LINK_LIFETIME_MS, ExportLinks } from '../suggestions/exportLinks';
import { TeamsMessenger } from '../teams/broadcast/teamsMessenger';
import { ConversationMemory } from '../teams/conversationMemory';
import { rateLimitedSends } from '../teams/rateLimitedSends';
import { TeamsBotAdapter } from '../teams/teamsBotAdapter';

const HEALTH_STORAGE_TIMEOUT_MS = 2000;

/** Where users reach the app: PUBLIC_BASE_URL, or the local address once the server listens (the port may be chosen then). */
export class PublicAddress {
  private local = '';

  constructor(private readonly configured: string | null) {}

  get url(): string {
    return this.configured || this.local;
  }

  /** The server listens at `url`: the address unless one was configured. */
  listening(url: string): void {
    this.local = url;
  }
}

/** What every capability builds on: storage, the directory, the people and conversations the bot knows, the way out to Teams. */
export interface SharedInfrastructure {
  config: AppConfig;
  logger: Logger;
  storage: TableStorage;
  /** The table name with the configured prefix. */
  table: (name: string) => string;
  directoryStore: TableDirectoryStore;
  directory: DirectoryService;
  profiles: TableUserProfileStore;
  /** The last question and language of each conversation, for follow-ups. */
  conversationContexts: TableConversationContextStore;
  conversations: TableConversationStore;
  memory: ConversationMemory;
  adapter: TeamsBotAdapter;
  /** One rate limit for everything the app sends to Teams: broadcasts pace themselves on it, the rest waits for it. */
  rateLimit: AppRateLimit;
  /** Posts and replaces messages in Teams outside a turn. */
  messenger: TeamsMessenger;
  outbox: SharedOutbox;
  outboxStore: TableOutboxStore;
  /** Delivers the outbox with the jobs the capabilities register; started after them. */
  outboxWorker: OutboxWorker;
  address: PublicAddress;
  /** Signed download links (suggestion exports, an announcement's undelivered recipients). */
  exportLinks: ExportLinks;
  /** The stores here that hold personal data. */
  personalData: readonly PersonalDataHolder[];
  health: () => Promise<HealthReport>;
  /** Writes the last turns' contexts, stops the directory's polling and the storage (embedded Azurite); after the capabilities and the server. */
  close(): Promise<void>;
}

/** Opens storage (embedded Azurite unless configured), the directory, the shared stores and the adapter to Teams. */
export async function openInfrastructure(config: AppConfig, logger: Logger): Promise<SharedInfrastructure> {
  const configuredStorage: ConfiguredStorage = await openConfiguredStorage(config.storage, { logger });
  const storage = configuredStorage.tables;
  logger.info(configuredStorage.description, 'storage');
  const table = (name: string) => `${config.tablePrefix}${name}`;

  const directoryStore = await TableDirectoryStore.open(storage, table('directory'));
  const profiles = await TableUserProfileStore.open(storage, table('userprofiles'));
  const conversationContexts = await TableConversationContextStore.open(storage, table('conversationcontexts'));
  const snapshot = await ensureSeeded(directoryStore);
  const directory = new DirectoryService(directoryStore, snapshot, logger);
  directory.startPolling(config.directoryRefreshMs);
  const conversations = await TableConversationStore.open(storage, table('conversations'));
  const outboxStore = await TableOutboxStore.open(storage, table('outbox'));
  const outboxWorker = new OutboxWorker({
    store: outboxStore,
    logger,
    // Suggestions wait for people to install the bot: retried for days (OUTBOX_MAX_AGE_HOURS), then a dead letter.
    maxAttempts: config.outboxGiveUp.maxAttempts,
    maxAgeMs: config.outboxGiveUp.maxAgeMs,
  });

  // Locally there is one instance, and a key made at start serves it.
  if (!config.exportLinkSecret && !config.localMode) logger.warn('EXPORT_LINK_SECRET is not set: export download links work only on this instance, until it restarts');
  const address = new PublicAddress(config.publicBaseUrl);
  const exportLinks = new ExportLinks({
    secret: config.exportLinkSecret ? Buffer.from(config.exportLinkSecret, 'utf8') : randomBytes(32),
    baseUrl: () => address.url,
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
  const rateLimit = new AppRateLimit({ limits: { requestsPerSecond: config.broadcast.requestsPerSecond } });
  adapter.use(rateLimitedSends(rateLimit));

  const health = async (): Promise<HealthReport> => {
    let storageState: HealthReport['storage'] = 'ok';
    let timer: NodeJS.Timeout | undefined;
    // A probe must answer quickly; the storage client's own retries could take many seconds.
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('storage did not answer in time')), HEALTH_STORAGE_TIMEOUT_MS);
    });
    try {
      await Promise.race([directoryStore.currentVersion(), timeout]);
    } catch {
      storageState = 'unavailable';
    } finally {
      clearTimeout(timer);
    }
    const index = directory.index;
    return {
      status: storageState === 'ok' ? 'ok' : 'unavailable',
      storage: storageState,
      directory: { version: directory.version, units: index.directory.units.length, people: index.peopleCount },
    };
  };

  return {
    config,
    logger,
    storage,
    table,
    directoryStore,
    directory,
    profiles,
    conversationContexts,
    conversations,
    memory: new ConversationMemory(conversations, logger),
    adapter,
    rateLimit,
    messenger: new TeamsMessenger({ adapter, botAppId: config.bot?.id ?? '', logger }),
    outbox: sharedOutbox(outboxStore, outboxWorker),
    outboxStore,
    outboxWorker,
    address,
    exportLinks,
    personalData: [profiles.personalData(), conversationContexts.personalData(), outboxStore.personalData(), conversations.personalData()],
    health,
    close: async () => {
      await directory.stopPolling();
      // The last turns' contexts, written together a moment after their answers.
      await conversationContexts.close();
      await configuredStorage.stop();
    },
  };
}
