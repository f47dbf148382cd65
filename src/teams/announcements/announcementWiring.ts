import { ActivityTypes } from 'botbuilder';
import { AnnouncementScheduler } from '../../announcements/announcementScheduler';
import { AnnouncementService } from '../../announcements/announcementService';
import type { AnnouncementStore } from '../../announcements/announcementStore';
import { installedChannels } from '../../announcements/installedChannels';
import { SubscriberAudience } from '../../announcements/audience';
import type { RoleHolder } from '../../roleHolders/model';
import type { Subscriptions } from '../../announcements/subscriptions';
import type { ConversationStore } from '../../conversations/conversationStore';
import type { DeliveryHandler } from '../../delivery/outboxWorker';
import type { DirectoryService } from '../../directory/directoryService';
import type { Logger } from '../../logger';
import type { ExportLinks } from '../../suggestions/exportLinks';
import type { UserProfile } from '../../profiles/userProfileStore';
import type { TableStorage } from '../../storage/tables';
import type { ConversationMemory } from '../conversationMemory';
import { announcementCard, type CalendarUrl } from './announcementCards';
import type { AnnouncementTeamsDependencies } from './composeHandlers';
import { coordinatorStatusCards } from './coordinatorStatusCards';
import { AnnouncementActivities, BroadcastAnnouncementDelivery, announcementOf } from '../../announcements/broadcastDelivery';
import { BroadcastEngine } from '../../broadcast/broadcastEngine';
import { TableBroadcastStore } from '../../broadcast/broadcastStore';
import type { BroadcastMessenger } from '../../broadcast/messenger';
import { TableSenderLease } from '../../broadcast/senderLease';
import type { AppRateLimit } from '../../broadcast/appRateLimit';

export interface AnnouncementWiringDependencies {
  storage: TableStorage;
  /** The table name with the configured prefix. */
  table: (name: string) => string;
  store: AnnouncementStore;
  /** Posts and replaces messages in Teams (the TeamsMessenger). */
  messenger: BroadcastMessenger;
  /** The app's rate limit (BROADCAST_RATE_PER_SECOND), shared by the engine and everything else the app sends. */
  rateLimit: AppRateLimit;
  /** BROADCAST_MAX_ATTEMPTS. */
  broadcast: { maxAttempts: number };
  directory: DirectoryService;
  conversations: ConversationStore;
  /** All profiles in one read, for matching audiences by unit. */
  profiles: { list(): Promise<UserProfile[]> };
  subscriptions: { list(): Promise<Subscriptions[]> };
  memory: ConversationMemory;
  coordinators: ReadonlySet<string>;
  /** The app's durable outbox, for the dispatch and change jobs. */
  outbox: { enqueue(message: { id: string; kind: string; payload: unknown }): Promise<unknown>; kick(): void };
  calendarUrl: CalendarUrl;
  exportLinks: Pick<ExportLinks, 'createUndelivered'>;
  logger: Logger;
  // ---- Issue 14: audiences from the role-holder list ----
  /** The coordinator's role-holder list, matched beside the roles people declared. */
  roleHolders?: () => Promise<readonly RoleHolder[]>;
}

export interface AnnouncementWiring {
  service: AnnouncementService;
  teams: AnnouncementTeamsDependencies;
  /** The outbox handlers of the service's jobs. */
  outboxHandlers: Record<string, DeliveryHandler>;
  scheduler: AnnouncementScheduler;
  /** The broadcast engine that delivers announcements (and reminders); started and stopped with the app. */
  engine: BroadcastEngine;
  delivery: BroadcastAnnouncementDelivery;
  /** Whom an audience reaches (issue 14): the Forvaltning tab's figures and list, the same as the preview's. */
  audience: SubscriberAudience;
}

/**
 * Puts announcements together: the service with its ports, the Teams handlers,
 * the scheduler, and the broadcast engine that delivers the cards at the rate
 * Teams allows (one sender across instances, chosen by its lease).
 */
export async function wireAnnouncements(deps: AnnouncementWiringDependencies): Promise<AnnouncementWiring> {
  const card = (announcement: Parameters<typeof announcementCard>[0]) => announcementCard(announcement, deps.calendarUrl);
  const activities = new AnnouncementActivities({
    current: async (id) => (await deps.store.get(id))?.announcement ?? null,
    activity: (announcement) => ({ type: ActivityTypes.Message, attachments: [card(announcement)] }),
  });
  const broadcasts = await TableBroadcastStore.open(deps.storage, deps.table('broadcasts'));
  // Declared before the engine, whose progress it passes on; assigned right after.
  let delivery: BroadcastAnnouncementDelivery | null = null;
  let service: AnnouncementService | null = null;
  const engine = new BroadcastEngine({
    store: broadcasts,
    lease: await TableSenderLease.open(deps.storage, deps.table('broadcasts')),
    messenger: deps.messenger,
    logger: deps.logger,
    rateLimit: deps.rateLimit,
    retry: { maxAttempts: deps.broadcast.maxAttempts },
    prepare: (activity, kind) => activities.prepare(activity, kind),
    onProgress: (progress) => delivery?.progressed(progress),
    // Recipient rows lost by storage (see BroadcastEngine): an announcement's send is worked out again from its audience.
    restoreRecipients: async (broadcast) => {
      const announcementId = announcementOf(broadcast.id);
      return announcementId === null || service === null ? null : service.recipientsAgain(announcementId);
    },
    onRecipientsLost: async (report) => {
      const announcementId = announcementOf(report.broadcastId);
      if (announcementId !== null) await service?.recipientsLost(announcementId, report);
    },
  });
  delivery = new BroadcastAnnouncementDelivery({ engine, broadcasts });
  const audience = new SubscriberAudience({
    personalChats: () => deps.conversations.list('personal'),
    personalChatPages: () => deps.conversations.listPages('personal'),
    profiles: deps.profiles,
    subscriptions: deps.subscriptions,
    directory: () => deps.directory.index,
    roleHolders: deps.roleHolders,
  });
  service = new AnnouncementService({
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
  return {
    service,
    teams: {
      service,
      directory: deps.directory,
      memory: deps.memory,
      calendarUrl: deps.calendarUrl,
      undeliveredLink: (coordinator, id, language) => deps.exportLinks.createUndelivered({ id: coordinator.id, name: coordinator.name, email: coordinator.email ?? null }, id, language),
    },
    outboxHandlers: service.jobHandlers(),
    scheduler: new AnnouncementScheduler(service, deps.logger),
    engine,
    delivery,
    audience,
  };
}
