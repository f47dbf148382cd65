import path from 'node:path';
import { z } from 'zod';
import { findRepositoryRoot } from './directory/seedDirectory';

const port = z.coerce.number().int().min(0).max(65535);
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value && value.trim() !== '' ? value.trim() : undefined));

const environmentSchema = z.object({
  PORT: port.default(3978),
  BOT_ID: optionalText,
  BOT_PASSWORD: optionalText,
  BOT_TENANT_ID: optionalText,
  BOT_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
  STORAGE_CONNECTION_STRING: optionalText,
  STORAGE_TABLE_ENDPOINT: optionalText.refine((value) => value === undefined || /^https:\/\/[^\s/]+/.test(value), 'an https address'),
  AZURE_CLIENT_ID: optionalText,
  DATA_DIR: optionalText,
  AZURITE_BLOB_PORT: port.default(10000),
  AZURITE_QUEUE_PORT: port.default(10001),
  AZURITE_TABLE_PORT: port.default(10002),
  TABLE_PREFIX: z
    .string()
    .regex(/^([A-Za-z][A-Za-z0-9]*)?$/, 'letters and digits, starting with a letter')
    .default(''),
  DIRECTORY_REFRESH_SECONDS: z.coerce.number().positive().default(30),
  COORDINATORS: z.string().default(''),
  OUTBOX_POLL_SECONDS: z.coerce.number().positive().default(5),
  OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(2000),
  OUTBOX_MAX_AGE_HOURS: z.coerce.number().positive().default(72),
  SUGGESTION_REMINDER_DAYS: z.coerce.number().positive().default(14),
  ADVISOR_QUESTION_REMINDER_WORKING_DAYS: z.coerce.number().int().positive().default(3),
  FOLLOW_UP_INTERVAL_MINUTES: z.coerce.number().positive().default(60),
  EXPORT_LINK_SECRET: optionalText.refine((value) => value === undefined || value.length >= 32, 'at least 32 characters'),
  SUPPORT_TOKEN_SECRET: optionalText.refine((value) => value === undefined || value.length >= 32, 'at least 32 characters'),
  BROADCAST_RATE_PER_SECOND: z.coerce.number().positive().max(1000).default(50),
  BROADCAST_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(6),
  DELIVERY_RETENTION_DAYS: z.coerce.number().positive().default(180),
  // Empty counts as unset (an env file's `GRAPH_INSTALL_ENABLED=`): off.
  GRAPH_INSTALL_ENABLED: z.preprocess((value) => (value === '' ? undefined : value), z.enum(['true', 'false']).default('false')),
  TEAMS_APP_CATALOG_ID: optionalText,
  GRAPH_BASE_URL: z
    .string()
    .regex(/^https?:\/\/[^\s/]+/, 'an http(s) address')
    .default('https://graph.microsoft.com/v1.0'),
  GRAPH_REQUESTS_PER_SECOND: z.coerce.number().positive().max(1000).default(10),
  TEAMS_SERVICE_URL: z
    .string()
    .regex(/^https?:\/\/[^\s/]+/, 'an http(s) address')
    .default('https://smba.trafficmanager.net/teams/'),
  PUBLIC_BASE_URL: optionalText.refine((value) => value === undefined || /^https?:\/\/[^\s/]+/.test(value), 'an http(s) address'),
  TAB_APP_CLIENT_ID: optionalText,
  TAB_APP_ID_URI: optionalText.refine((value) => value === undefined || /^api:\/\/\S+$/.test(value), 'an api:// address'),
  TAB_TENANT_ID: optionalText,
  TAB_JWKS_URL: z.string().url().default('https://login.microsoftonline.com/common/discovery/v2.0/keys'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['pretty', 'json']).optional(),
  SAMPLE_EVENTS: z.enum(['on', 'off']).default('off'),
});

/** Every environment variable the app reads (the operations guide documents each). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(environmentSchema.shape);

export interface AppConfig {
  port: number;
  /** Local mode: no bot identity, loopback only, no authentication. */
  localMode: boolean;
  bot: { id: string; password?: string; tenantId?: string; type: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI' } | null;
  /**
   * A connection string; or a table endpoint reached with Entra ID (the managed
   * identity in Azure, AZURE_CLIENT_ID choosing a user-assigned one); or embedded Azurite.
   */
  storage:
    | { connectionString: string }
    | { tableEndpoint: string; managedIdentityClientId?: string }
    | { embedded: { location: string; ports: { blob: number; queue: number; table: number } } };
  tablePrefix: string;
  directoryRefreshMs: number;
  /** E-mail addresses or user ids of the management coordinators, lower-cased. */
  coordinators: ReadonlySet<string>;
  outboxPollMs: number;
  /**
   * When an outbox message that keeps failing becomes a dead letter (no longer tried, listed for the coordinators):
   * after this many attempts, or this long after its first attempt, whichever comes first.
   */
  outboxGiveUp: { maxAttempts: number; maxAgeMs: number };
  /** Days without any change after which a waiting suggestion reminds whoever holds it. */
  reminderDays: number;
  /** Norwegian working days an unanswered question to the advisors waits before its receivers are reminded. */
  questionReminderWorkingDays: number;
  /** How often each instance looks for overdue suggestions and the weekly digest. */
  followUpIntervalMs: number;
  /** Signs export download links; null: a random one is made at start (links then work only on that instance). */
  exportLinkSecret: string | null;
  /** Signs the "support this suggestion" buttons; null: a random one is made at start (buttons then work only on that instance). */
  supportTokenSecret: string | null;
  /** Where users reach the app (export links); null: the local address. */
  publicBaseUrl: string | null;
  /** The tabs' own Entra app (Teams SSO); see the README's Tabs section. */
  tabs: TabAuthConfig;
  /** Announcements and reminders: requests a second for the whole app, and attempts a recipient gets while Teams fails (412, 5xx). */
  broadcast: { requestsPerSecond: number; maxAttempts: number };
  /** Days after which delivery records and delivered outbox messages are removed. */
  deliveryRetentionDays: number;
  /** Proactive installation through Microsoft Graph (issue 14); null: off, and the coordinators' previews say so. */
  installation: InstallationConfig | null;
  logLevel: z.infer<typeof environmentSchema>['LOG_LEVEL'];
  /** One readable line per entry in a terminal (local mode's default), or JSON for Azure's log collection. */
  logFormat: 'pretty' | 'json';
  /** Seed upcoming sample events; `npm start` turns it on. Honoured in local mode only. */
  sampleEvents: boolean;
}

export interface InstallationConfig {
  /** The app's id in the organisation's Teams app catalog (TEAMS_APP_CATALOG_ID). */
  catalogAppId: string;
  /** Microsoft Graph with its version, or a stand-in on loopback (tests, the local mode: no credential then). */
  graphBaseUrl: string;
  /** Requests a second to Graph: a limit of its own, beside BROADCAST_RATE_PER_SECOND for Teams. */
  graphRequestsPerSecond: number;
  /** Where Teams takes the bot's messages to a chat it has not written in yet (the chats installations make). */
  serviceUrl: string;
}

export interface TabAuthConfig {
  /** The tab app's client id: the audience of v2 tokens, and webApplicationInfo.id. null: tabs cannot sign in outside local mode. */
  clientId: string | null;
  /** Its application id URI (api://<domain>/<client id>): the audience of v1 tokens. */
  appIdUri: string | null;
  /** When set, only tokens of this tenant are accepted. */
  tenantId: string | null;
  /** Where Entra ID publishes its signing keys. */
  jwksUrl: string;
}

export class ConfigError extends Error {}

/** Reads the configuration from environment variables (see the README's table). */
export function loadConfig(environment: NodeJS.ProcessEnv): AppConfig {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${problems}`);
  }
  const env = parsed.data;
  if (env.STORAGE_CONNECTION_STRING && env.STORAGE_TABLE_ENDPOINT) {
    throw new ConfigError('Invalid configuration: set STORAGE_CONNECTION_STRING or STORAGE_TABLE_ENDPOINT, not both');
  }
  if (env.GRAPH_INSTALL_ENABLED === 'true' && !env.TEAMS_APP_CATALOG_ID) {
    throw new ConfigError("Invalid configuration: GRAPH_INSTALL_ENABLED needs TEAMS_APP_CATALOG_ID, the app's id in the Teams app catalog");
  }
  const dataDir = env.DATA_DIR ?? path.join(findRepositoryRoot(), '.data');
  return {
    port: env.PORT,
    localMode: !env.BOT_ID,
    bot: env.BOT_ID ? { id: env.BOT_ID, password: env.BOT_PASSWORD, tenantId: env.BOT_TENANT_ID, type: env.BOT_TYPE } : null,
    storage: env.STORAGE_CONNECTION_STRING
      ? { connectionString: env.STORAGE_CONNECTION_STRING }
      : env.STORAGE_TABLE_ENDPOINT
        ? { tableEndpoint: env.STORAGE_TABLE_ENDPOINT, managedIdentityClientId: env.AZURE_CLIENT_ID }
        : {
            embedded: {
              location: path.join(dataDir, 'azurite'),
              ports: { blob: env.AZURITE_BLOB_PORT, queue: env.AZURITE_QUEUE_PORT, table: env.AZURITE_TABLE_PORT },
            },
          },
    tablePrefix: env.TABLE_PREFIX,
    directoryRefreshMs: env.DIRECTORY_REFRESH_SECONDS * 1000,
    coordinators: new Set(
      env.COORDINATORS.split(/[,;\s]+/)
        .map((entry) => entry.trim().toLowerCase())
        .filter(Boolean),
    ),
    outboxPollMs: env.OUTBOX_POLL_SECONDS * 1000,
    outboxGiveUp: { maxAttempts: env.OUTBOX_MAX_ATTEMPTS, maxAgeMs: env.OUTBOX_MAX_AGE_HOURS * 3_600_000 },
    reminderDays: env.SUGGESTION_REMINDER_DAYS,
    questionReminderWorkingDays: env.ADVISOR_QUESTION_REMINDER_WORKING_DAYS,
    followUpIntervalMs: env.FOLLOW_UP_INTERVAL_MINUTES * 60_000,
    exportLinkSecret: env.EXPORT_LINK_SECRET ?? null,
    supportTokenSecret: env.SUPPORT_TOKEN_SECRET ?? null,
    publicBaseUrl: env.PUBLIC_BASE_URL ?? null,
    tabs: {
      clientId: env.TAB_APP_CLIENT_ID ?? null,
      appIdUri: env.TAB_APP_ID_URI ?? (env.TAB_APP_CLIENT_ID && env.PUBLIC_BASE_URL ? `api://${new URL(env.PUBLIC_BASE_URL).host}/${env.TAB_APP_CLIENT_ID}` : null),
      tenantId: env.TAB_TENANT_ID ?? null,
      jwksUrl: env.TAB_JWKS_URL,
    },
    broadcast: { requestsPerSecond: env.BROADCAST_RATE_PER_SECOND, maxAttempts: env.BROADCAST_MAX_ATTEMPTS },
    deliveryRetentionDays: env.DELIVERY_RETENTION_DAYS,
    installation:
      env.GRAPH_INSTALL_ENABLED === 'true' && env.TEAMS_APP_CATALOG_ID
        ? {
            catalogAppId: env.TEAMS_APP_CATALOG_ID,
            graphBaseUrl: env.GRAPH_BASE_URL,
            graphRequestsPerSecond: env.GRAPH_REQUESTS_PER_SECOND,
            serviceUrl: env.TEAMS_SERVICE_URL,
          }
        : null,
    logLevel: env.LOG_LEVEL,
    logFormat: env.LOG_FORMAT ?? (env.BOT_ID ? 'json' : 'pretty'),
    sampleEvents: env.SAMPLE_EVENTS === 'on' && !env.BOT_ID,
  };
}
