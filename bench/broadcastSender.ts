/**
 * One app instance of the broadcast benchmark (bench/broadcast.ts starts it,
 * and may kill it): the app's announcement sending (the service, its dispatch
 * job, the audience from the stored personal chats, the broadcast engine and
 * the coordinator's status card) on the benchmark's storage, talking to the
 * stand-in Teams through a TeamsAdapter with the app's one rate limit.
 *
 *   node dist/bench/broadcastSender.js '<json: SenderArguments>'
 *
 * Tells its parent over IPC: `ready` (once it sends, or at once if it waits for
 * the lease), `confirmed` (when told to confirm: the dispatch job begins),
 * `progress` (every 2 s) and `done`. Times are epoch milliseconds
 * (performance.timeOrigin + performance.now()), comparable across processes.
 */
import { TeamsAdapter } from '@microsoft/teams-ai';
import { TableAnnouncementStore } from '../src/announcements/announcementStore';
import { openAnnouncementSending } from '../src/capabilities/eventsAndAnnouncements';
import { ANNOUNCEMENT_JOBS, type DispatchPayload } from '../src/announcements/announcementService';
import { TableSubscriptionStore } from '../src/announcements/subscriptionStore';
import { AppRateLimit } from '../src/broadcast/appRateLimit';
import type { BroadcastProgress } from '../src/broadcast/model';
import { TableConversationStore } from '../src/conversations/conversationStore';
import { GraphClient } from '../src/graph/graphClient';
import { TeamsAppInstaller } from '../src/graph/teamsAppInstaller';
import { TableRoleHolderStore } from '../src/roleHolders/roleHolderStore';
import type { OutboxMessage } from '../src/delivery/outbox';
import type { DirectoryService } from '../src/directory/directoryService';
import { createLogger } from '../src/logger';
import { TableUserProfileStore } from '../src/profiles/userProfileStore';
import { TeamsMessenger } from '../src/teams/broadcast/teamsMessenger';
import { rateLimitedSends } from '../src/teams/rateLimitedSends';

export interface SenderArguments {
  connectionString: string;
  /** The run's own tables (broadcasts, announcements); the conversations are shared by the runs. */
  tablePrefix: string;
  conversationsTable: string;
  announcementId: string;
  instanceId: string;
  requestsPerSecond: number;
  /**
   * The installation run: the audience is also the role-holder list (the run's `roleholders` table), and the app
   * installs itself through this stand-in Graph for those in it it has no chat with.
   */
  installation?: { graphBaseUrl: string; catalogAppId: string; graphRequestsPerSecond: number; serviceUrl: string };
}

export type SenderMessage =
  | { type: 'ready'; pid: number; sending: boolean }
  | { type: 'confirmed'; at: number }
  | { type: 'progress'; progress: BroadcastProgress }
  | { type: 'done'; progress: BroadcastProgress };

export type ParentMessage = { type: 'confirm' };

const epochNow = () => performance.timeOrigin + performance.now();

function tell(message: SenderMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, () => resolve());
  });
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as SenderArguments;
  const logger = createLogger(process.env.BROADCAST_BENCH_LOG_LEVEL === 'info' ? 'info' : 'warn');
  const storage = args.connectionString;
  const table = (name: string) => `${args.tablePrefix}${name}`;
  const rateLimit = new AppRateLimit({ limits: { requestsPerSecond: args.requestsPerSecond } });
  const adapter = new TeamsAdapter({});
  adapter.use(rateLimitedSends(rateLimit));
  const conversations = await TableConversationStore.open(storage, args.conversationsTable);
  let finished: (progress: BroadcastProgress) => void = () => undefined;
  const done = new Promise<BroadcastProgress>((resolve) => (finished = resolve));

  const installation = args.installation;
  const roleHolders = installation ? await TableRoleHolderStore.open(storage, table('roleholders')) : null;
  const sending = await openAnnouncementSending({
    storage,
    table,
    store: await TableAnnouncementStore.open(storage, table('announcements')),
    messenger: new TeamsMessenger({ adapter, botAppId: '', logger }),
    rateLimit,
    broadcast: { maxAttempts: 6 },
    // Everyone is the audience: no unit matters (the list's units have no chain here).
    directory: { index: { unitChain: () => [] } } as unknown as DirectoryService,
    conversations,
    profiles: await TableUserProfileStore.open(storage, table('userprofiles')),
    subscriptions: await TableSubscriptionStore.open(storage, table('subscriptions')),
    coordinators: new Set(),
    outbox: { enqueue: async () => undefined, kick: async () => undefined },
    calendarUrl: (id) => `https://okonomi.example/calendar/${id}.ics`,
    logger,
    ...(installation && roleHolders
      ? {
          roleHolders: async () => (await roleHolders.current())?.holders ?? [],
          installer: new TeamsAppInstaller({
            graph: new GraphClient({ baseUrl: installation.graphBaseUrl, credential: null, requestsPerSecond: installation.graphRequestsPerSecond }),
            catalogAppId: installation.catalogAppId,
            bot: { id: 'okonomi-og-lonn-bot', tenantId: 'tenant', serviceUrl: installation.serviceUrl },
            conversations,
            logger,
          }),
        }
      : {}),
  });
  const { engine } = sending;
  // Watched beside the delivery (which updates the coordinator's card): live figures while this instance sends.
  let lastProgressAt = 0;
  const watch = setInterval(() => {
    if (!engine.sending) return;
    void engine.progress(`${args.announcementId}.send`).then((progress) => {
      if (progress === null) return;
      if (progress.done) finished(progress);
      else if (epochNow() - lastProgressAt >= 2000) {
        lastProgressAt = epochNow();
        void tell({ type: 'progress', progress });
      }
    });
  }, 200);

  process.on('message', (message: ParentMessage) => {
    if (message.type !== 'confirm') return;
    // What confirming does once the announcement is saved as sending: the outbox runs its dispatch job.
    const at = epochNow();
    void tell({ type: 'confirmed', at });
    const dispatch = sending.announcements.jobs()[ANNOUNCEMENT_JOBS.dispatch];
    const payload: DispatchPayload = { announcementId: args.announcementId, sendAt: null };
    void dispatch
      .deliver({ id: `dispatch:${args.announcementId}:now`, kind: ANNOUNCEMENT_JOBS.dispatch, payload } as OutboxMessage<DispatchPayload>, {
        recordProgress: async () => undefined,
      })
      .catch((error: unknown) => {
        console.error(error);
        process.exit(1);
      });
  });

  engine.start();
  const waitingFor = Date.now() + 2000;
  while (!engine.sending && Date.now() < waitingFor) await new Promise((resolve) => setTimeout(resolve, 20));
  await tell({ type: 'ready', pid: process.pid, sending: engine.sending });
  const report = await done;
  clearInterval(watch);
  // The coordinator's card shows the end a moment after it (coalesced, one update a second).
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await engine.stop();
  await sending.announcements.stop();
  await tell({ type: 'done', progress: report });
}

main().then(
  // Idle keep-alive sockets to storage would hold the process for a while.
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
