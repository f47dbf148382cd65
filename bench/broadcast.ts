/**
 * Broadcast delivery at Teams' limits, measured from outside: 5,000 people
 * have the app installed (their personal chats stored), and a coordinator's
 * announcement to everyone is confirmed. Each app instance is a child process
 * (bench/broadcastSender.ts) with the app's announcement sending on an Azurite
 * this benchmark starts; Teams is a stand-in connector here, on loopback,
 * enforcing 50 requests a second for the app and 7 a second per conversation
 * (429 with Retry-After beyond them), answering 2% of sends 429 (Retry-After
 * 1 s) and 1% 503 at random, and counting what each conversation got.
 *  1. clean: from the confirmation (the dispatch job begins) to the last card;
 *  2. crash: a second instance waits beside the sender, which is killed
 *     (SIGKILL, its lease not given up) half-way; measured from the kill to the next card.
 *  3. installation: 2,000 people in the role-holder list, half of whom have a
 *     chat with the bot; the app installs itself for the other half through a
 *     stand-in Microsoft Graph (on loopback, answering every 400th request 429
 *     with Retry-After 1 s), paced at INSTALL_GRAPH_PER_SECOND, and delivers to
 *     everyone through the same engine; measured from the confirmation to the last card.
 * The coordinator's status card is updated in place as the delivery goes on,
 * within the same budget: the connector counts those updates and any it refused.
 *
 *   npm run build && node dist/bench/broadcast.js
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { TableAnnouncementStore } from '../src/announcements/announcementStore';
import type { EventDetails } from '../src/announcements/validateAnnouncement';
import type { BroadcastProgress } from '../src/broadcast/model';
import { TableConversationStore, type KnownConversation } from '../src/conversations/conversationStore';
import { freePort, startEmbeddedAzurite } from '../src/storage/azurite';
import { safeKey, transactionBatches } from '../src/storage/tables';
import { TableClient, type TransactionAction } from '@azure/data-tables';
import type { RoleHolder } from '../src/roleHolders/model';
import { TableRoleHolderStore } from '../src/roleHolders/roleHolderStore';
import type { ParentMessage, SenderArguments, SenderMessage } from './broadcastSender';
import { StandInGraph } from './support/standInGraph';
import { fixed, table, verdict } from './support/stats';
import { TEAMS_LIKE, ThrottlingConnector, type ConnectorCounts } from './support/throttlingConnector';

/** 5,000 as in the issue; BROADCAST_BENCH_RECIPIENTS for a quick look. */
export const RECIPIENTS = Number(process.env.BROADCAST_BENCH_RECIPIENTS ?? 5000);
export const ALLOWED_PER_SECOND = TEAMS_LIKE.appLimit.limit;
/** The installation run: people with a chat, and as many without (BROADCAST_BENCH_INSTALL_PEOPLE for a quick look). */
export const INSTALL_PEOPLE = Number(process.env.BROADCAST_BENCH_INSTALL_PEOPLE ?? 2000);
/**
 * Graph's pace in the installation run. The app's default (GRAPH_REQUESTS_PER_SECOND) is 10, at which an
 * installation (four requests) takes 0.4 s and a thousand of them seven minutes; here it is faster so the run
 * shows the engine and the Teams sends beside the installations rather than the pace alone.
 */
export const INSTALL_GRAPH_PER_SECOND = 100;
export const TARGETS = { shareOfAllowedRate: 0.95, firstCardSeconds: 1, resumeSeconds: 10, lost: 0, duplicates: 0, provoked429: 0 };
const COORDINATOR_CHAT = 'a:bench-coordinator';
/** The announcement delivered; its broadcast is the one the app makes for it. */
const ANNOUNCEMENT: EventDetails = {
  kind: 'fagkafe',
  title: 'Fagkafé: EU-søknader i praksis',
  description:
    'Vi går gjennom hvordan en EU-søknad registreres i prosjektsøknadsmodulen i Unit4, fra budsjett til innsending, og svarer på spørsmål fra prosjektøkonomer og søknadsregistrerere. Ta gjerne med egne eksempler.',
  startsAt: '2027-03-11T11:00:00.000Z',
  endsAt: '2027-03-11T12:00:00.000Z',
  place: 'Sentralbygg 1, rom 405',
  meetingUrl: 'https://teams.microsoft.com/l/meetup-join/fagkafe-eu',
  registrationUrl: 'https://innsida.ntnu.no/kurs/fagkafe-eu',
};

export interface DeliveryRun {
  name: 'clean' | 'crash';
  /** End to end: from the confirmation to the last card. */
  seconds: number;
  /** Conversations that got the message at least once. */
  reached: number;
  lost: number;
  /** Conversations that got it more than once. */
  duplicates: number;
  /** Reached conversations a second, end to end, as a share of the app's allowed requests a second. */
  shareOfAllowed: number;
  /** Requests Teams counted against the app a second, end to end, as a share of the allowed. */
  requestShareOfAllowed: number;
  /** The most requests Teams counted in any one-second window. */
  busiestSecond: number;
  /** From the confirmation to the first card. */
  firstCardSeconds: number;
  /** 429s the app provoked (exceeding the app's or a conversation's limit), whatever the request. */
  provoked429: number;
  /** The coordinator's status card: updates made, and refused. */
  progressUpdates: number;
  counts: ConnectorCounts;
  report: BroadcastProgress;
  crash: { deliveredAtKill: number; resumeSeconds: number } | null;
}

/** The installation run's figures. */
export interface InstallationRun {
  people: number;
  withChat: number;
  installed: number;
  seconds: number;
  reached: number;
  lost: number;
  duplicates: number;
  /** Requests Teams counted a second, confirmation to last card: installations take none of its budget. */
  teamsRequestsPerSecond: number;
  /** From the first Graph request to the last card to someone installed for. */
  installingSeconds: number;
  graphRequests: number;
  graph429: number;
  provoked429: number;
  report: BroadcastProgress;
}

export interface BroadcastBenchReport {
  clean: DeliveryRun;
  crash: DeliveryRun;
  installation: InstallationRun;
  totalSeconds: number;
  loadAverage: number[];
}

/** Epoch milliseconds (as the senders report them) on this process's performance clock. */
const local = (epochMs: number) => epochMs - performance.timeOrigin;

function personalChats(count: number, serviceUrl: string): KnownConversation[] {
  return Array.from({ length: count }, (_, index) => {
    const id = `${index}-${randomBytes(6).toString('hex')}`;
    const conversationId = `a:bench-${id}`;
    const user = { id: `29:user-${id}`, name: `Ansatt ${index}`, email: `ansatt${index}@ntnu.example` };
    return {
      conversationId,
      kind: 'personal',
      user,
      updatedAt: new Date().toISOString(),
      reference: {
        activityId: `incoming-${id}`,
        user: { id: user.id, aadObjectId: id },
        bot: { id: '28:okonomi-og-lonn-bot', name: 'Økonomi og lønn' },
        conversation: { id: conversationId, conversationType: 'personal', tenantId: 'tenant' },
        channelId: 'msteams',
        locale: 'nb-NO',
        serviceUrl,
      },
    };
  });
}

/**
 * Stores the installs: the conversation rows as TableConversationStore.remember writes them, a hundred to a
 * transaction (one transaction each, as the app writes them, takes Azurite minutes for 5,000). Without the rows
 * that find a chat by user: nothing here looks people up.
 */
async function install(connectionString: string, tableName: string, chats: readonly KnownConversation[]): Promise<void> {
  const client = TableClient.fromConnectionString(connectionString, tableName, { allowInsecureConnection: true });
  const rows = chats.map(
    (chat) =>
      [
        'upsert',
        { partitionKey: 'conversations', rowKey: `conversation:${safeKey(chat.conversationId)}`, body: JSON.stringify(chat), kind: chat.kind },
        'Replace',
      ] as TransactionAction,
  );
  for (const batch of transactionBatches(rows, 1_500_000)) await client.submitTransaction(batch);
}

interface Sender {
  child: ChildProcess;
  ready: Promise<boolean>;
  confirmedAt: Promise<number>;
  done: Promise<BroadcastProgress>;
  exited: Promise<void>;
}

function startSender(args: SenderArguments, onProgress: (progress: BroadcastProgress) => void): Sender {
  const child = fork(path.join(__dirname, 'broadcastSender.js'), [JSON.stringify(args)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let ready: (sending: boolean) => void = () => undefined;
  let confirmed: (at: number) => void = () => undefined;
  let done: (progress: BroadcastProgress) => void = () => undefined;
  let failed: (error: Error) => void = () => undefined;
  const sender: Sender = {
    child,
    ready: new Promise((resolve) => (ready = resolve)),
    confirmedAt: new Promise((resolve) => (confirmed = resolve)),
    done: new Promise((resolve, reject) => {
      done = resolve;
      failed = reject;
    }),
    exited: new Promise((resolve) => child.once('exit', () => resolve())),
  };
  // Only a killed sender has no report to give; it is not waited for.
  sender.done.catch(() => undefined);
  child.on('message', (message: SenderMessage) => {
    if (message.type === 'ready') ready(message.sending);
    else if (message.type === 'confirmed') confirmed(local(message.at));
    else if (message.type === 'progress') onProgress(message.progress);
    else done(message.progress);
  });
  child.once('exit', (code, signal) => failed(new Error(`the sender ${args.instanceId} exited (${signal ?? code}) before finishing`)));
  return sender;
}

/** An announcement to everyone, saved as sending (as once the coordinator confirmed it), its status on the coordinator's card. */
async function sendingAnnouncement(connectionString: string, tablePrefix: string, formId: string): Promise<string> {
  const announcements = await TableAnnouncementStore.open(connectionString, `${tablePrefix}announcements`);
  const { stored } = await announcements.createDraft({
    details: ANNOUNCEMENT,
    distribution: { audience: { everyone: true, roles: [], processes: [], units: [] }, channels: [], sendAt: null },
    createdBy: { id: 'bench', name: 'Forvaltningskoordinator', email: null },
    now: new Date(),
    formId,
  });
  await announcements.update(
    { ...stored.announcement, state: 'sending', coordinatorCard: { conversationId: COORDINATOR_CHAT, activityId: 'coordinator-card', language: 'nb' } },
    stored.etag,
  );
  return stored.announcement.id;
}

/** The installation run: half the role-holder list has a chat, the app installs itself for the other half through Graph. */
async function deliverWithInstallation(connector: ThrottlingConnector, connectionString: string, log: (line: string) => void): Promise<InstallationRun> {
  connector.reset();
  const graph = new StandInGraph();
  await graph.start();
  graph.throttleEvery = 400;
  try {
    const tablePrefix = `bench${randomBytes(3).toString('hex')}`;
    const conversationsTable = `${tablePrefix}conversations`;
    await TableConversationStore.open(connectionString, conversationsTable);
    const withChat = Math.floor(INSTALL_PEOPLE / 2);
    const chats = personalChats(withChat, connector.url);
    const coordinator = personalChats(1, connector.url)[0] as KnownConversation;
    await install(connectionString, conversationsTable, [
      ...chats,
      {
        ...coordinator,
        conversationId: COORDINATOR_CHAT,
        user: null,
        reference: { ...coordinator.reference, conversation: { id: COORDINATOR_CHAT, conversationType: 'personal', tenantId: 'tenant' } },
      },
    ]);
    const holders: RoleHolder[] = chats.map((chat) => ({ email: chat.user?.email ?? '', name: chat.user?.name ?? '', role: 'innkjoper', unit: 'IE', process: null }));
    const installedChats = new Set<string>();
    for (let index = 0; index < INSTALL_PEOPLE - withChat; index++) {
      const email = `uten.chat.${index}@ntnu.example`;
      holders.push({ email, name: `Uten Chat ${index}`, role: 'innkjoper', unit: 'IE', process: null });
      installedChats.add(StandInGraph.chatIdOf(graph.addUser(email, `Uten Chat ${index}`).id));
    }
    const roleHolders = await TableRoleHolderStore.open(connectionString, `${tablePrefix}roleholders`);
    await roleHolders.replace(holders, 'bench.csv');
    const announcementId = await sendingAnnouncement(connectionString, tablePrefix, 'bench-installation');
    log(
      `  installation: ${INSTALL_PEOPLE} people in the role-holder list, ${withChat} with a chat; Graph paced at ${INSTALL_GRAPH_PER_SECOND}/s, every 400th request answered 429…`,
    );

    const chatIds = new Set(chats.map((chat) => chat.conversationId));
    let firstGraphAt = 0;
    const graphWatch = setInterval(() => {
      if (firstGraphAt === 0 && graph.requests > 0) firstGraphAt = performance.now();
    }, 20);
    let lastLine = 0;
    const sender = startSender(
      {
        connectionString,
        tablePrefix,
        conversationsTable,
        announcementId,
        requestsPerSecond: ALLOWED_PER_SECOND,
        instanceId: 'installation-instance',
        installation: { graphBaseUrl: graph.baseUrl, catalogAppId: graph.catalogAppId, graphRequestsPerSecond: INSTALL_GRAPH_PER_SECOND, serviceUrl: connector.url },
      },
      (progress) => {
        if (performance.now() - lastLine < 10_000) return;
        lastLine = performance.now();
        log(`    installation: ${progress.sent}/${progress.total} sent, ${graph.installed} installed, ${graph.throttled} Graph 429s, ${fixed(progress.ratePerSecond ?? 0, 1)}/s`);
      },
    );
    if (!(await sender.ready)) throw new Error('the installation instance did not take the sender lease');
    sender.child.send({ type: 'confirm' } satisfies ParentMessage);
    const confirmedAt = await sender.confirmedAt;
    const report = await sender.done;
    await sender.exited;
    clearInterval(graphWatch);

    const lastCardAt = connector.deliveryTimes.at(-1) ?? Number.NaN;
    const seconds = (lastCardAt - confirmedAt) / 1000;
    let lost = 0;
    let duplicates = 0;
    for (const conversationId of [...chatIds, ...installedChats]) {
      const count = connector.deliveries.get(conversationId) ?? 0;
      if (count === 0) lost += 1;
      if (count > 1) duplicates += 1;
    }
    return {
      people: INSTALL_PEOPLE,
      withChat,
      installed: graph.installed,
      seconds,
      reached: INSTALL_PEOPLE - lost,
      lost,
      duplicates,
      teamsRequestsPerSecond: connector.counts.admitted / seconds,
      installingSeconds: (lastCardAt - firstGraphAt) / 1000,
      graphRequests: graph.requests,
      graph429: graph.throttled,
      provoked429: connector.counts.overAppLimit + connector.counts.overConversationLimit,
      report,
    };
  } finally {
    await graph.stop();
  }
}

async function deliver(
  name: DeliveryRun['name'],
  connector: ThrottlingConnector,
  connectionString: string,
  conversationsTable: string,
  recipients: readonly KnownConversation[],
  log: (line: string) => void,
): Promise<DeliveryRun> {
  connector.reset();
  const tablePrefix = `bench${randomBytes(3).toString('hex')}`;
  // Confirmed by the coordinator: saved as sending, with the card the status is shown on.
  const announcementId = await sendingAnnouncement(connectionString, tablePrefix, `bench-${name}`);

  let lastLine = 0;
  const onProgress = (progress: BroadcastProgress) => {
    if (performance.now() - lastLine < 10_000) return;
    lastLine = performance.now();
    log(
      `    ${name}: ${progress.sent}/${progress.total} sent, ${progress.failed} failed, ${fixed(progress.ratePerSecond ?? 0, 1)}/s, ` +
        `ETA ${progress.etaSeconds === null ? '?' : `${fixed(progress.etaSeconds, 0)} s`}`,
    );
  };
  const base = { connectionString, tablePrefix, conversationsTable, announcementId, requestsPerSecond: ALLOWED_PER_SECOND };
  const first = startSender({ ...base, instanceId: `${name}-instance-a` }, onProgress);
  if (!(await first.ready)) throw new Error('the first instance did not take the sender lease');
  // A second instance beside it, asking for the lease.
  const second = name === 'crash' ? startSender({ ...base, instanceId: `${name}-instance-b` }, onProgress) : null;
  if (second) await second.ready;

  let killedAt = 0;
  let deliveredAtKill = 0;
  const killed = new Promise<void>((resolve) => {
    if (second === null) return;
    connector.onDelivery = (delivered) => {
      if (delivered < RECIPIENTS / 2 || killedAt > 0) return;
      killedAt = performance.now();
      deliveredAtKill = delivered;
      first.child.kill('SIGKILL');
      resolve();
    };
  });
  first.child.send({ type: 'confirm' } satisfies ParentMessage);
  const confirmedAt = await first.confirmedAt;

  let report: BroadcastProgress;
  let crash: DeliveryRun['crash'] = null;
  if (second !== null) {
    await killed;
    await first.exited;
    log(`    crash: killed the sender (SIGKILL) after ${deliveredAtKill} deliveries; the other instance takes over once the lease runs out`);
    report = await second.done;
    await second.exited;
    const firstAfter = connector.deliveryTimes.find((time) => time > killedAt) ?? Number.NaN;
    crash = { deliveredAtKill, resumeSeconds: (firstAfter - killedAt) / 1000 };
  } else {
    report = await first.done;
    await first.exited;
  }
  const lastCardAt = connector.deliveryTimes.at(-1) ?? Number.NaN;
  const seconds = (lastCardAt - confirmedAt) / 1000;

  let lost = 0;
  let duplicates = 0;
  for (const recipient of recipients) {
    const count = connector.deliveries.get(recipient.conversationId) ?? 0;
    if (count === 0) lost += 1;
    if (count > 1) duplicates += 1;
  }
  const reached = RECIPIENTS - lost;
  return {
    name,
    seconds,
    reached,
    lost,
    duplicates,
    shareOfAllowed: reached / seconds / ALLOWED_PER_SECOND,
    requestShareOfAllowed: connector.counts.admitted / seconds / ALLOWED_PER_SECOND,
    busiestSecond: connector.busiestWindow(),
    firstCardSeconds: ((connector.deliveryTimes[0] ?? Number.NaN) - confirmedAt) / 1000,
    provoked429: connector.counts.overAppLimit + connector.counts.overConversationLimit,
    progressUpdates: connector.counts.updated,
    counts: { ...connector.counts },
    report,
    crash,
  };
}

export async function runBroadcast(log: (line: string) => void = console.log): Promise<BroadcastBenchReport> {
  const begun = performance.now();
  const loadAverage = os.loadavg();
  const azurite = await startEmbeddedAzurite({ ports: { blob: await freePort(), queue: await freePort(), table: await freePort() } });
  const connector = new ThrottlingConnector(TEAMS_LIKE);
  await connector.start();
  try {
    log(`broadcast delivery: ${RECIPIENTS} personal chats, ${ALLOWED_PER_SECOND} requests/s allowed (about ${fixed(RECIPIENTS / ALLOWED_PER_SECOND, 0)} s per run at best)…`);
    const conversationsTable = `bench${randomBytes(3).toString('hex')}conversations`;
    // Opened (and so created) as the app does.
    await TableConversationStore.open(azurite.connectionString, conversationsTable);
    const recipients = personalChats(RECIPIENTS, connector.url);
    const coordinator = personalChats(1, connector.url)[0] as KnownConversation;
    // The coordinator's chat is known, as it is once they have written to the bot; not part of the audience (no user).
    await install(azurite.connectionString, conversationsTable, [
      ...recipients,
      {
        ...coordinator,
        conversationId: COORDINATOR_CHAT,
        kind: 'personal',
        user: null,
        reference: { ...coordinator.reference, conversation: { id: COORDINATOR_CHAT, conversationType: 'personal', tenantId: 'tenant' } },
      },
    ]);
    const clean = await deliver('clean', connector, azurite.connectionString, conversationsTable, recipients, log);
    const crash = await deliver('crash', connector, azurite.connectionString, conversationsTable, recipients, log);
    const installation = await deliverWithInstallation(connector, azurite.connectionString, log);
    const report = { clean, crash, installation, totalSeconds: (performance.now() - begun) / 1000, loadAverage };
    printBroadcast(report, log);
    return report;
  } finally {
    await connector.stop();
    await azurite.stop();
  }
}

export function printBroadcast(report: BroadcastBenchReport, log: (line: string) => void = console.log): void {
  const { clean, crash } = report;
  log('');
  log(
    `Broadcast delivery, from the coordinator's confirmation to the last card (${RECIPIENTS} personal chats; stand-in Teams: ${TEAMS_LIKE.appLimit.limit}/s per app, ` +
      `${TEAMS_LIKE.conversationLimit.limit}/s per conversation, ${TEAMS_LIKE.randomThrottleShare * 100}% random 429, ${TEAMS_LIKE.randomUnavailableShare * 100}% random 503)`,
  );
  const rows = [
    [
      'run',
      'seconds',
      'reached/s',
      'of 50/s',
      'requests/s',
      'of 50/s',
      'first card s',
      'busiest 1 s',
      '429 provoked',
      '429 random',
      '503',
      'status updates',
      'lost',
      'duplicates',
      'possible dup.',
    ],
  ];
  for (const run of [clean, crash]) {
    rows.push([
      run.name,
      fixed(run.seconds, 1),
      fixed(run.reached / run.seconds, 1),
      `${fixed(run.shareOfAllowed * 100, 1)}%`,
      fixed(run.counts.admitted / run.seconds, 1),
      `${fixed(run.requestShareOfAllowed * 100, 1)}%`,
      fixed(run.firstCardSeconds, 2),
      String(run.busiestSecond),
      `${run.provoked429} (${run.counts.overAppLimit} app)`,
      String(run.counts.randomThrottles),
      String(run.counts.randomUnavailable),
      `${run.progressUpdates} (${run.counts.refusedUpdates} refused)`,
      String(run.lost),
      String(run.duplicates),
      String(run.report.possibleDuplicates),
    ]);
  }
  log(table(rows));
  log('');
  log(`engine's final report (clean): ${clean.report.sent} sent, ${clean.report.failed} failed, ${clean.report.unreachable} unreachable`);
  log(
    `target: first card ≤ ${TARGETS.firstCardSeconds} s after the confirmation: ${fixed(clean.firstCardSeconds, 2)} s → ${verdict(clean.firstCardSeconds <= TARGETS.firstCardSeconds)}`,
  );
  log(
    `target: reached per second, confirmation to last card, ≥ ${TARGETS.shareOfAllowedRate * 100}% of the configured ${ALLOWED_PER_SECOND}/s: ${fixed(clean.shareOfAllowed * 100, 1)}% → ${verdict(clean.shareOfAllowed >= TARGETS.shareOfAllowedRate)}` +
      ` (requests Teams counted: ${fixed(clean.requestShareOfAllowed * 100, 1)}%; ${fixed(((clean.counts.randomThrottles + clean.counts.randomUnavailable) / clean.counts.admitted) * 100, 1)}% of them refused at random, which caps reached/s at that share below the requests)`,
  );
  log(
    `target: lost ${TARGETS.lost}, duplicates ${TARGETS.duplicates}: ${clean.lost}, ${clean.duplicates} → ${verdict(clean.lost === TARGETS.lost && clean.duplicates === TARGETS.duplicates)}`,
  );
  log(
    `target: no 429 provoked (cards and the coordinator's ${clean.progressUpdates} status updates): ${clean.provoked429} (${clean.counts.refusedUpdates} status updates refused) → ${verdict(clean.provoked429 === TARGETS.provoked429)}`,
  );
  if (crash.crash) {
    log(
      `target: after the kill (at ${crash.crash.deliveredAtKill} deliveries), the next card within ${TARGETS.resumeSeconds} s: ${fixed(crash.crash.resumeSeconds, 1)} s → ${verdict(crash.crash.resumeSeconds <= TARGETS.resumeSeconds)}`,
    );
  }
  log(`target: lost ${TARGETS.lost} after the kill: ${crash.lost} → ${verdict(crash.lost === 0)}`);
  log(
    `target: duplicates no more than the sends in flight at the kill: ${crash.duplicates} duplicates; the app reports ${crash.report.possibleDuplicates} possible ` +
      `(in flight or claimed, outcome not recorded; ${crash.report.possibleDuplicates - crash.duplicates} of them claimed but never sent) → ${verdict(crash.duplicates <= crash.report.possibleDuplicates)}`,
  );
  log(`target: no 429 provoked in the crash run: ${crash.provoked429} (${crash.counts.refusedUpdates} status updates refused) → ${verdict(crash.provoked429 === 0)}`);
  const installation = report.installation;
  log('');
  log(
    `Proactive installation: ${installation.people} people in the role-holder list, ${installation.withChat} with a chat, the app installed for the rest through a stand-in Graph ` +
      `(paced at ${INSTALL_GRAPH_PER_SECOND}/s, every 400th request 429 with Retry-After 1 s), confirmation to last card`,
  );
  log(
    table([
      [
        'seconds',
        'reached/s',
        'Teams requests/s',
        'clean run requests/s',
        'reached',
        'installed',
        'installs/s',
        'Graph requests',
        'Graph 429',
        'Teams 429 provoked',
        'lost',
        'duplicates',
      ],
      [
        fixed(installation.seconds, 1),
        fixed(installation.reached / installation.seconds, 1),
        fixed(installation.teamsRequestsPerSecond, 1),
        fixed(report.clean.counts.admitted / report.clean.seconds, 1),
        String(installation.reached),
        String(installation.installed),
        fixed(installation.installed / installation.installingSeconds, 1),
        String(installation.graphRequests),
        String(installation.graph429),
        String(installation.provoked429),
        String(installation.lost),
        String(installation.duplicates),
      ],
    ]),
  );
  log(
    `target: everyone reached, lost ${TARGETS.lost}, duplicates ${TARGETS.duplicates}, through Graph's 429s: ${installation.lost}, ${installation.duplicates} (${installation.graph429} Graph 429s) → ` +
      verdict(installation.lost === 0 && installation.duplicates === 0),
  );
  log('(for scale: Company Communicator users report 12–19 messages a second)');
  log(
    `(broadcast bench took ${fixed(report.totalSeconds, 1)} s on ${os.cpus().length} cores; load average at its start ${report.loadAverage.map((load) => fixed(load, 2)).join(', ')})`,
  );
}

if (require.main === module) {
  runBroadcast().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
