import type { QuestionReminderScheduler } from './advisorQuestions/questionReminderScheduler';
import type { AnnouncementScheduler } from './announcements/announcementScheduler';
import { openAdvisorQuestions } from './capabilities/advisorQuestions';
import type { Capability } from './capabilities/capability';
import { openDownloads } from './capabilities/downloads';
import { openEventsAndAnnouncements } from './capabilities/eventsAndAnnouncements';
import { openInfrastructure } from './capabilities/infrastructure';
import { openMessageExtension } from './capabilities/messageExtension';
import { openPrivacy } from './capabilities/privacy';
import { openQuestions } from './capabilities/questions';
import { openSuggestions } from './capabilities/suggestions';
import { openTabs } from './capabilities/tabs';
import type { AppConfig } from './config';
import type { DirectoryService } from './directory/directoryService';
import type { Logger } from './logger';
import type { PersonalDataService } from './privacy/personalData';
import { createHttpServer } from './server';
import type { FollowUpScheduler } from './suggestions/followUpScheduler';
import { createBotApplication } from './teams/botApplication';

export interface RunningApp {
  url: string;
  port: number;
  directory: DirectoryService;
  /** The reminder and digest scheduler; a pass can be run for a chosen moment (tests). */
  followUp: Pick<FollowUpScheduler, 'runOnce'>;
  /** The reminders about unanswered questions to the advisors; a pass can be run for a chosen moment (tests). */
  questionReminders: Pick<QuestionReminderScheduler, 'runOnce'>;
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

/**
 * Opens the shared infrastructure, opens each capability on it, registers what they add (their Teams handlers, outbox
 * jobs and routes), starts them and the outbox, and listens. Closing goes the other way round.
 */
export async function startApp(config: AppConfig, logger: Logger): Promise<RunningApp> {
  const shared = await openInfrastructure(config, logger);

  const suggestions = await openSuggestions(shared);
  const advisorQuestions = await openAdvisorQuestions(shared, suggestions);
  // After the questions to the advisors, whose shared answers complement its replies.
  const questions = openQuestions(shared, { sharedAnswers: advisorQuestions.sharedAnswers });
  const events = await openEventsAndAnnouncements(shared);
  const capabilities: Capability[] = [
    questions,
    suggestions,
    advisorQuestions,
    events,
    // Teams and HTTP surfaces over the capabilities above.
    openMessageExtension(shared, { questions, suggestions, advisorQuestions, events }),
    openDownloads(shared, { suggestions, events, advisorQuestions }),
    openTabs(shared, { suggestions, events, advisorQuestions }),
  ];
  // Last: "slett mine data" reaches the personal data of every capability above.
  const privacy = await openPrivacy(shared, capabilities);
  capabilities.push(privacy);

  const bot = createBotApplication({
    adapter: shared.adapter,
    botAppId: config.bot?.id,
    assistant: questions.assistant,
    directory: shared.directory,
    logger,
    memory: shared.memory,
    conversationContexts: shared.conversationContexts,
    capabilities,
  });
  for (const capability of capabilities) if (capability.outboxJobs) shared.outboxWorker.register(capability.outboxJobs);
  const server = createHttpServer({ adapter: shared.adapter, bot, health: shared.health, logger, capabilities });

  for (const capability of capabilities) await capability.start?.();
  shared.outboxWorker.start(config.outboxPollMs);
  const stopBackgroundWork = async (): Promise<void> => {
    await shared.outboxWorker.stop();
    for (const capability of [...capabilities].reverse()) await capability.stop?.();
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
    await shared.close();
    throw (error as NodeJS.ErrnoException).code === 'EADDRINUSE' ? new PortInUseError(config.port) : error;
  }
  const port = server.address().port;
  logger.info({ host, port }, 'bot listening');
  const url = `http://${config.localMode ? '127.0.0.1' : 'localhost'}:${port}`;
  shared.address.listening(url);
  if (!config.publicBaseUrl && !config.localMode) logger.warn({ url }, 'PUBLIC_BASE_URL is not set: export download links point at this local address');

  return {
    url,
    port,
    directory: shared.directory,
    followUp: suggestions.followUp,
    questionReminders: advisorQuestions.reminders,
    announcementScheduler: events.scheduler,
    personalData: privacy.service,
    close: async () => {
      await stopBackgroundWork();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
      });
      await shared.close();
    },
  };
}
