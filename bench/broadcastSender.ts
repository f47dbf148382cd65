/**
 * The sending process of the broadcast benchmark (bench/broadcast.ts starts
 * it, and may kill it): one app instance's broadcast engine with the Teams
 * messenger and the announcement's cards made as in the app, on the
 * benchmark's storage, until the broadcast is done.
 *
 *   node dist/bench/broadcastSender.js '<json: SenderArguments>'
 *
 * Tells its parent over IPC: `started`, `progress` (every 2 s) and `done`.
 */
import { TeamsAdapter } from '@microsoft/teams-ai';
import { ActivityTypes } from 'botbuilder';
import { TableAnnouncementStore } from '../src/announcements/announcementStore';
import { AnnouncementActivities } from '../src/announcements/broadcastDelivery';
import { BroadcastEngine } from '../src/broadcast/broadcastEngine';
import { announcementCard } from '../src/teams/announcements/announcementCards';
import { TableBroadcastStore } from '../src/broadcast/broadcastStore';
import type { BroadcastProgress } from '../src/broadcast/model';
import { TableSenderLease } from '../src/broadcast/senderLease';
import { createLogger } from '../src/logger';
import { TeamsMessenger } from '../src/teams/broadcast/teamsMessenger';

export interface SenderArguments {
  connectionString: string;
  tableName: string;
  /** Where the announcement is, whose card each batch of recipients is sent (made as in the app). */
  announcementTable: string;
  broadcastId: string;
  instanceId: string;
  leaseMs: number;
}

export type SenderMessage =
  | { type: 'started'; pid: number }
  | { type: 'progress'; progress: BroadcastProgress }
  | { type: 'done'; progress: BroadcastProgress };

function tell(message: SenderMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, () => resolve());
  });
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as SenderArguments;
  const logger = createLogger('warn');
  const messenger = new TeamsMessenger({ adapter: new TeamsAdapter({}), botAppId: '', logger });
  const announcements = await TableAnnouncementStore.open(args.connectionString, args.announcementTable);
  const activities = new AnnouncementActivities({
    current: async (id) => (await announcements.get(id))?.announcement ?? null,
    activity: (announcement) => ({ type: ActivityTypes.Message, attachments: [announcementCard(announcement, (id) => `https://okonomi.example/calendar/${id}.ics`)] }),
  });
  let finished: (progress: BroadcastProgress) => void = () => undefined;
  const done = new Promise<BroadcastProgress>((resolve) => (finished = resolve));
  const engine = new BroadcastEngine({
    store: await TableBroadcastStore.open(args.connectionString, args.tableName),
    lease: await TableSenderLease.open(args.connectionString, args.tableName),
    messenger,
    logger,
    instanceId: args.instanceId,
    leaseMs: args.leaseMs,
    prepare: (activity, kind) => activities.prepare(activity, kind),
    onProgress: (progress) => {
      if (progress.broadcastId !== args.broadcastId) return;
      if (progress.done) finished(progress);
      else void tell({ type: 'progress', progress });
    },
  });
  // The engine's timers do not hold the process; this does, until the broadcast is done.
  const keepAlive = setInterval(() => undefined, 1000);
  engine.start();
  await tell({ type: 'started', pid: process.pid });
  const report = await done;
  await engine.stop();
  clearInterval(keepAlive);
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
