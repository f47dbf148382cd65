import { startApp, type RunningApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { StandInConnector } from './standInConnector';
import { invokeActivity, messageActivity, newUser, type TestUser } from './teamsActivities';

export { invokeActivity, messageActivity, newUser, type TestUser };
import { testConnectionString, uniqueTablePrefix } from './storage';

export interface BotUnderTest {
  app: RunningApp;
  connector: StandInConnector;
  /** Posts an activity to /api/messages; returns the HTTP status and body. */
  post(activity: Record<string, unknown>, headers?: Record<string, string>): Promise<{ status: number; body: string }>;
  /** Sends a user's message in a personal chat and returns the messages the bot sent back for it. */
  ask(text: string, user?: TestUser): Promise<SentMessage[]>;
  stop(): Promise<void>;
}

export type SentMessage = { text?: string; attachments?: Array<{ contentType: string; content: unknown }> };

/**
 * Starts the real app (HTTP, Azurite tables of its own) and a stand-in
 * connector, or uses the given one (a restarted app finds its conversations'
 * service URL unchanged, as in Teams).
 */
export async function startBotUnderTest(environment: Record<string, string> = {}, sharedConnector?: StandInConnector): Promise<BotUnderTest> {
  const connector = sharedConnector ?? new StandInConnector();
  if (!sharedConnector) await connector.start();
  const config = loadConfig({
    PORT: '0',
    STORAGE_CONNECTION_STRING: testConnectionString(),
    TABLE_PREFIX: uniqueTablePrefix('bot'),
    // TEST_LOG_LEVEL=debug shows the app's logs when a test needs explaining.
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...environment,
  });
  const app = await startApp(config, createLogger(config.logLevel));

  const post = async (activity: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const response = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(activity),
    });
    return { status: response.status, body: await response.text() };
  };

  return {
    app,
    connector,
    post,
    ask: async (text, user = newUser()) => {
      const before = connector.messagesIn(user.conversationId).length;
      const { status, body } = await post(messageActivity(text, user, connector.url));
      if (status >= 300) throw new Error(`The bot answered ${status}: ${body}`);
      return connector.messagesIn(user.conversationId).slice(before);
    },
    stop: async () => {
      await app.close();
      if (!sharedConnector) await connector.stop();
    },
  };
}

/** A user's click on an Action.Execute button, as Teams posts it (the bot answers in the HTTP response). */
export function postCardAction(bot: BotUnderTest, user: TestUser, verb: string, data: Record<string, unknown>): Promise<{ status: number; body: string }> {
  return bot.post({
    ...messageActivity('', user, bot.connector.url),
    type: 'invoke',
    name: 'adaptiveCard/action',
    text: undefined,
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  });
}
