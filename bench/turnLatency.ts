/**
 * Turn latency over HTTP: the real app against a minimal echo bot on the same
 * stack (restify, the app's own /api/messages route with its body reader,
 * TeamsBotAdapter and its authentication, the activity checks, a teams-ai
 * Application), both replying through a stand-in Bot Framework connector on
 * loopback. The real app's storage is an embedded Azurite in a child process.
 *
 * A turn is one POST of a Teams message activity to /api/messages until its
 * HTTP response arrives; the bot's replies to the connector happen inside it.
 * The targets are ratios of the real app to the echo bot in the same run.
 *
 *   npm run build && node dist/bench/turnLatency.js
 */
import http from 'node:http';
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import restify from 'restify';
import { ActivityTypes } from 'botbuilder';
import { Application, TurnState } from '@microsoft/teams-ai';
import { startApp } from '../src/app';
import { registerMessagesRoute } from '../src/server';
import { TeamsBotAdapter } from '../src/teams/teamsBotAdapter';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { freePort, startEmbeddedAzurite } from '../src/storage/azurite';
import { BenchConnector } from './support/standInConnector';
import { loadEvalCases, messageActivity, newReturningUsers, realisticTurns, type ReturningUsers, type Turn } from './support/questions';
import { fixed, summarize, table, type Summary } from './support/stats';

export const TURNS = 2000;
/** Above what closed-loop load reaches here: the bench measures a turn's work, not the app-wide limit (50/s by default). */
const BENCH_RATE_PER_SECOND = 1000;
/** Enough for every returning user's first turn (their conversation reference stored) before the measured runs. */
export const WARM_UP_TURNS = 1600;
export const CONCURRENCY_LEVELS = [1, 20] as const;
/** Each bot's turns per concurrency level are run in this many alternating blocks. */
const BLOCKS = 4;

/** The targets (issue 12), as ratios of the real app to the echo bot in the same run. */
export const TARGETS = { p50Ratio: 1.3, p99RatioAtConcurrency20: 1.5, throughputShareAtConcurrency20: 0.75 };

/** One target, as the bench checks it. */
export interface TargetCheck {
  measure: string;
  value: string;
  target: string;
  met: boolean;
}

export interface BotTarget {
  name: 'echo' | 'real';
  url: string;
  connector: BenchConnector;
  close(): Promise<void>;
}

export interface LoadResult {
  bot: 'echo' | 'real';
  concurrency: number;
  latency: Summary;
  /** Latency by kind of turn. */
  byKind: Record<string, Summary>;
  /** Turns per second over the whole run. */
  throughput: number;
  failed: number;
  /** Activities the connector received per turn (replies; 1 for the echo bot). */
  repliesPerTurn: number;
  /** Turns whose conversation got no reply at all. */
  unanswered: number;
  /** Replies naming a person, per turn (0 for the echo bot). */
  namingPeoplePerTurn: number;
}

export interface TurnLatencyReport {
  results: LoadResult[];
  ratios: Array<{ concurrency: number; p50: number; p99: number; throughput: number }>;
  targets: TargetCheck[];
  totalSeconds: number;
  loadAverage: { before: number; after: number };
}

/**
 * The minimal echo bot: the real app's HTTP stack (its /api/messages route: body reader,
 * TeamsBotAdapter and its authentication, the activity checks) and a teams-ai Application
 * configured as the real one is, with no directory, storage or understanding behind it.
 */
export async function startEchoBot(connector: BenchConnector): Promise<BotTarget> {
  const adapter = new TeamsBotAdapter({});
  const bot = new Application<TurnState>({ adapter, removeRecipientMention: true, startTypingTimer: false, longRunningMessages: false });
  bot.activity(ActivityTypes.Message, async (context) => {
    await context.sendActivity(context.activity.text);
  });
  const server = restify.createServer({ name: 'echo-bot', handleUncaughtExceptions: false });
  registerMessagesRoute(server, { adapter, bot, logger: createLogger('silent') });
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = server.address().port;
  return {
    name: 'echo',
    url: `http://127.0.0.1:${port}`,
    connector,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
      }),
  };
}

/** The real app, with an in-memory Azurite of its own on free ports. */
export async function startRealBot(connector: BenchConnector): Promise<BotTarget> {
  const azurite = await startEmbeddedAzurite({ ports: { blob: await freePort(), queue: await freePort(), table: await freePort() } });
  const config = loadConfig({
    PORT: '0',
    STORAGE_CONNECTION_STRING: azurite.connectionString,
    TABLE_PREFIX: `bench${randomBytes(3).toString('hex')}`,
    LOG_LEVEL: 'silent',
    // Every request to Teams waits for the app-wide limit (50/s by default, what Teams allows an app), which closed-loop
    // load at concurrency 20 far exceeds; the bench measures a turn's own work, so the limit is set above its reach.
    BROADCAST_RATE_PER_SECOND: String(BENCH_RATE_PER_SECOND),
  });
  const app = await startApp(config, createLogger(config.logLevel));
  return {
    name: 'real',
    url: app.url,
    connector,
    close: async () => {
      await app.close();
      await azurite.stop();
    },
  };
}

function postActivity(agent: http.Agent, url: URL, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: '/api/messages',
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** Posts the turns with `concurrency` in flight; each latency is one POST until its response ended. */
/** One run of turns against one bot, as measured; runs of the same bot and concurrency are merged into a LoadResult. */
export interface LoadRun {
  latencies: number[];
  /** The same latencies by kind of turn (see turnKind). */
  byKind: Record<string, number[]>;
  seconds: number;
  turns: number;
  failed: number;
  received: number;
  unanswered: number;
  /** Activities that name someone (an address in the .example domain): real answers, not prompts or errors. */
  namingPeople: number;
}

/** Posts the turns with `concurrency` in flight; each latency is one POST until its response ended. */
export async function runLoad(target: BotTarget, turns: readonly Turn[], concurrency: number, agent: http.Agent): Promise<LoadRun> {
  target.connector.reset();
  const url = new URL(target.url);
  const latencies: number[] = [];
  const byKind: Record<string, number[]> = {};
  let failed = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < turns.length) {
      const turn = turns[next++] as Turn;
      const body = JSON.stringify(messageActivity(turn.text, turn.user, target.connector.url));
      const started = performance.now();
      let status = 0;
      try {
        status = await postActivity(agent, url, body);
      } catch {
        status = 0;
      }
      const latency = performance.now() - started;
      latencies.push(latency);
      (byKind[turnKind(turn)] ??= []).push(latency);
      if (status < 200 || status >= 300) failed += 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  const conversations = new Set(turns.map((turn) => turn.user.conversationId));
  let unanswered = 0;
  for (const conversation of conversations) if (!target.connector.countsByConversation.has(conversation)) unanswered += 1;
  return {
    latencies,
    byKind,
    seconds,
    turns: turns.length,
    failed,
    received: target.connector.received,
    unanswered,
    namingPeople: target.connector.namingPeople,
  };
}

/** What a turn asks of the app; the profile kinds go to table storage. */
function turnKind(turn: Turn): string {
  if (turn.source.endsWith(':state-unit')) return 'states own unit (profile write)';
  if (turn.source.endsWith(':own-unit-question')) return 'asks about own unit (profile read)';
  return 'single-turn question';
}

function merge(bot: BotTarget['name'], concurrency: number, runs: LoadRun[]): LoadResult {
  const turns = runs.reduce((sum, run) => sum + run.turns, 0);
  return {
    bot,
    concurrency,
    latency: summarize(runs.flatMap((run) => run.latencies)),
    byKind: Object.fromEntries([...new Set(runs.flatMap((run) => Object.keys(run.byKind)))].map((kind) => [kind, summarize(runs.flatMap((run) => run.byKind[kind] ?? []))])),
    throughput: turns / runs.reduce((sum, run) => sum + run.seconds, 0),
    failed: runs.reduce((sum, run) => sum + run.failed, 0),
    repliesPerTurn: runs.reduce((sum, run) => sum + run.received, 0) / turns,
    unanswered: runs.reduce((sum, run) => sum + run.unanswered, 0),
    namingPeoplePerTurn: runs.reduce((sum, run) => sum + run.namingPeople, 0) / turns,
  };
}

export async function runTurnLatency(log: (line: string) => void = console.log): Promise<TurnLatencyReport> {
  const begun = performance.now();
  const loadBefore = os.loadavg()[0] ?? 0;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const echoConnector = new BenchConnector();
  const realConnector = new BenchConnector();
  await echoConnector.start();
  await realConnector.start();
  const echo = await startEchoBot(echoConnector);
  log('turn latency: starting the real app (embedded in-memory Azurite)…');
  const real = await startRealBot(realConnector);
  const results: LoadResult[] = [];
  const cases = loadEvalCases();
  try {
    // Each bot has its own returning users (the same kind of users, the same texts); the warm-up
    // brings their first turns, and the measured runs bring each round's new users (unit statements).
    const returning: Record<BotTarget['name'], ReturningUsers> = { echo: newReturningUsers(), real: newReturningUsers() };
    const workload = (target: BotTarget, count: number): Turn[] => realisticTurns(count, cases, returning[target.name]);
    for (const target of [echo, real]) {
      // Warm-up: JIT, sockets, the Azurite tables, the returning users' first turns; not measured.
      await runLoad(target, workload(target, WARM_UP_TURNS / 2), 1, agent);
      await runLoad(target, workload(target, WARM_UP_TURNS / 2), 20, agent);
    }
    // Interleaved in blocks, so that drift and other load on the machine (GC of earlier runs,
    // Azurite's growing tables, a build running beside) hit both bots alike.
    for (const concurrency of CONCURRENCY_LEVELS) {
      const runs: Record<BotTarget['name'], LoadRun[]> = { echo: [], real: [] };
      for (let block = 0; block < BLOCKS; block++) {
        for (const target of [echo, real]) runs[target.name].push(await runLoad(target, workload(target, TURNS / BLOCKS), concurrency, agent));
      }
      for (const target of [echo, real]) {
        const result = merge(target.name, concurrency, runs[target.name]);
        results.push(result);
        log(
          `  ${target.name.padEnd(4)} c=${String(concurrency).padStart(2)}: p50 ${fixed(result.latency.p50)} ms, p99 ${fixed(result.latency.p99)} ms, ` +
            `${fixed(result.throughput, 0)} turns/s, ${fixed(result.repliesPerTurn)} replies/turn, ${result.failed} failed`,
        );
      }
    }
  } finally {
    agent.destroy();
    await real.close();
    await echo.close();
    await realConnector.stop();
    await echoConnector.stop();
  }

  const find = (bot: 'echo' | 'real', concurrency: number): LoadResult => {
    const result = results.find((r) => r.bot === bot && r.concurrency === concurrency);
    if (!result) throw new Error(`no result for ${bot} at ${concurrency}`);
    return result;
  };
  const ratios = CONCURRENCY_LEVELS.map((concurrency) => ({
    concurrency,
    p50: find('real', concurrency).latency.p50 / find('echo', concurrency).latency.p50,
    p99: find('real', concurrency).latency.p99 / find('echo', concurrency).latency.p99,
    throughput: find('real', concurrency).throughput / find('echo', concurrency).throughput,
  }));
  const at20 = ratios.find((ratio) => ratio.concurrency === 20);
  if (!at20) throw new Error('no run at concurrency 20');
  const report: TurnLatencyReport = {
    results,
    ratios,
    targets: [
      ...ratios.map((ratio) => ({
        measure: `real/echo p50 at concurrency ${ratio.concurrency}`,
        value: `×${fixed(ratio.p50)}`,
        target: `≤ ×${TARGETS.p50Ratio}`,
        met: ratio.p50 <= TARGETS.p50Ratio,
      })),
      {
        measure: 'real/echo p99 at concurrency 20',
        value: `×${fixed(at20.p99)}`,
        target: `≤ ×${TARGETS.p99RatioAtConcurrency20}`,
        met: at20.p99 <= TARGETS.p99RatioAtConcurrency20,
      },
      {
        measure: 'real/echo throughput at concurrency 20',
        value: `×${fixed(at20.throughput)}`,
        target: `≥ ×${TARGETS.throughputShareAtConcurrency20}`,
        met: at20.throughput >= TARGETS.throughputShareAtConcurrency20,
      },
    ],
    totalSeconds: (performance.now() - begun) / 1000,
    loadAverage: { before: loadBefore, after: os.loadavg()[0] ?? 0 },
  };
  printTurnLatency(report, log);
  return report;
}

export function printTurnLatency(report: TurnLatencyReport, log: (line: string) => void = console.log): void {
  log('');
  log(`Turn latency over HTTP (${TURNS} turns per row after ${WARM_UP_TURNS} warm-up turns per bot; ms)`);
  const rows = [['bot', 'conc.', 'p50', 'p90', 'p99', 'mean', 'max', 'turns/s', 'replies/turn', 'naming people/turn', 'failed', 'unanswered']];
  for (const r of report.results) {
    rows.push([
      r.bot,
      String(r.concurrency),
      fixed(r.latency.p50),
      fixed(r.latency.p90),
      fixed(r.latency.p99),
      fixed(r.latency.mean),
      fixed(r.latency.max),
      fixed(r.throughput, 0),
      fixed(r.repliesPerTurn),
      r.bot === 'echo' ? '-' : fixed(r.namingPeoplePerTurn),
      String(r.failed),
      String(r.unanswered),
    ]);
  }
  log(table(rows));
  log('');
  log('real app by kind of turn (ms)');
  const kindRows = [['kind', 'conc.', 'share', 'p50', 'p90', 'p99', 'mean']];
  for (const r of report.results.filter((result) => result.bot === 'real')) {
    for (const [kind, s] of Object.entries(r.byKind)) {
      kindRows.push([kind, String(r.concurrency), `${fixed((100 * s.count) / r.latency.count, 0)}%`, fixed(s.p50), fixed(s.p90), fixed(s.p99), fixed(s.mean)]);
    }
  }
  log(table(kindRows));
  log('');
  for (const ratio of report.ratios) {
    log(`real/echo at concurrency ${ratio.concurrency}: p50 ×${fixed(ratio.p50)}, p99 ×${fixed(ratio.p99)}, throughput ×${fixed(ratio.throughput)}`);
  }
  log(table([['target', 'value', 'target', 'verdict'], ...report.targets.map((check) => [check.measure, check.value, check.target, passFail(check.met)])]));
  log(
    `(turn latency bench took ${fixed(report.totalSeconds, 1)} s; 1-minute load average ${fixed(report.loadAverage.before)} before, ` +
      `${fixed(report.loadAverage.after)} after, on ${os.cpus().length} cores${report.loadAverage.before > 0.5 ? ': other processes were busy, figures are noisier' : ''})`,
  );
}

export function passFail(met: boolean): string {
  return met ? 'PASS' : 'FAIL';
}

if (require.main === module) {
  runTurnLatency().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
