import type { TeamsAdapter } from '@microsoft/teams-ai';
import { AnnouncementScheduler } from '../../announcements/announcementScheduler';
import { AnnouncementService } from '../../announcements/announcementService';
import type { AnnouncementStore } from '../../announcements/announcementStore';
import { installedChannels } from '../../announcements/installedChannels';
import { SubscriberAudience } from '../../announcements/audience';
import type { Subscriptions } from '../../announcements/subscriptions';
import type { ConversationStore } from '../../conversations/conversationStore';
import type { DeliveryHandler } from '../../delivery/outboxWorker';
import type { DirectoryService } from '../../directory/directoryService';
import type { Logger } from '../../logger';
import type { UserProfile } from '../../profiles/userProfileStore';
import type { ConversationMemory } from '../conversationMemory';
import { announcementCard, type CalendarUrl } from './announcementCards';
import { TableBroadcastRecipients } from './broadcastRecipients';
import type { AnnouncementTeamsDependencies } from './composeHandlers';
import { coordinatorStatusCards } from './coordinatorStatusCards';
import { OutboxAnnouncementDelivery } from './outboxDelivery';
import type { AnnouncementDelivery } from '../../announcements/announcementPorts';
import { proactiveMessenger } from './proactiveMessenger';

export interface AnnouncementWiringDependencies {
  connectionString: string;
  /** The table name with the configured prefix. */
  table: (name: string) => string;
  store: AnnouncementStore;
  adapter: TeamsAdapter;
  botAppId: string;
  directory: DirectoryService;
  conversations: ConversationStore;
  /** All profiles in one read, for matching audiences by unit. */
  profiles: { list(): Promise<UserProfile[]> };
  subscriptions: { list(): Promise<Subscriptions[]> };
  memory: ConversationMemory;
  coordinators: ReadonlySet<string>;
  /** The app's durable outbox, for the dispatch jobs and (for now) the cards themselves. */
  outbox: { enqueue(message: { id: string; kind: string; payload: unknown }): Promise<unknown>; kick(): void };
  calendarUrl: CalendarUrl;
  logger: Logger;
}

export interface AnnouncementWiring {
  service: AnnouncementService;
  teams: AnnouncementTeamsDependencies;
  /** The outbox handlers of the service's jobs and of the cards' delivery. */
  outboxHandlers: Record<string, DeliveryHandler>;
  scheduler: AnnouncementScheduler;
  /** The delivery port, for the delivery figures the Forvaltning tab shows. */
  delivery: AnnouncementDelivery;
}

/**
 * Puts announcements together: the service with its ports, the Teams handlers
 * and the scheduler. The delivery and audience are the interim ones (outbox per
 * recipient; everyone and units); the broadcast engine and the subscriptions'
 * resolver replace them here, behind the same ports.
 */
export async function wireAnnouncements(deps: AnnouncementWiringDependencies): Promise<AnnouncementWiring> {
  const messenger = proactiveMessenger(deps.adapter, deps.botAppId);
  const card = (announcement: Parameters<typeof announcementCard>[0]) => announcementCard(announcement, deps.calendarUrl);
  const delivery = new OutboxAnnouncementDelivery({
    recipients: await TableBroadcastRecipients.open(deps.connectionString, deps.table('announcementbroadcasts')),
    outbox: deps.outbox,
    messenger,
    current: async (id) => (await deps.store.get(id))?.announcement ?? null,
    card,
    logger: deps.logger,
  });
  const service = new AnnouncementService({
    store: deps.store,
    directory: () => deps.directory.index,
    coordinators: deps.coordinators,
    audience: new SubscriberAudience({
      personalChats: () => deps.conversations.list('personal'),
      profiles: deps.profiles,
      subscriptions: deps.subscriptions,
      directory: () => deps.directory.index,
    }),
    channels: installedChannels(deps.conversations),
    delivery,
    outbox: deps.outbox,
    statusCards: coordinatorStatusCards({ messenger, conversations: deps.conversations, calendarUrl: deps.calendarUrl, logger: deps.logger }),
    logger: deps.logger,
  });
  return {
    service,
    teams: { service, directory: deps.directory, memory: deps.memory, calendarUrl: deps.calendarUrl },
    outboxHandlers: { ...service.jobHandlers(), ...delivery.handlers() },
    scheduler: new AnnouncementScheduler(service, deps.logger),
    delivery,
  };
}
