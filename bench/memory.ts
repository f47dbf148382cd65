/**
 * Resident memory with a large directory (the sample plus 10,000 generated
 * people), and the time to resolve and to understand + resolve a question.
 *
 * Every memory figure comes from a child node process started with
 * --expose-gc, measured after forced collections:
 *  - baseline:   the app's modules loaded, nothing else;
 *  - structures: the same, plus the directory and the in-memory structures
 *                the running app holds for it (DirectoryIndex, the assistant's
 *                MessageInterpreter), built from the directory as imported;
 *  - app:        the real app running (startApp), having read the directory
 *                from table storage (written there with TableDirectoryStore.replace),
 *                after answering some turns; and the same with the sample directory only.
 * Timings run in the structures child, after its memory was measured.
 *
 *   npm run build && node dist/bench/memory.js
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startApp } from '../src/app';
import { loadConfig } from '../src/config';
import { DirectoryIndex } from '../src/directory/directoryIndex';
import { TableDirectoryStore } from '../src/directory/directoryStore';
import { ROLE, type Directory } from '../src/directory/model';
import { resolveAdvisors, resolveRoleHolders, type Resolution } from '../src/directory/resolveContacts';
import { createLogger } from '../src/logger';
import { DirectoryAssistant } from '../src/questions/directoryAssistant';
import { Understander } from '../src/understanding/understandTurn';
import { chatIntentOrder } from './support/chatIntents';
import { turnLanguage } from '../src/language/detectLanguage';
import { freePort, startEmbeddedAzurite } from '../src/storage/azurite';
import { ReplyCards } from '../src/teams/cards/replyCards';
import { generatedDirectory } from './support/generatedDirectory';
import { InMemoryUserProfileStore } from './support/memoryProfileStore';
import { loadEvalCases, localeFor, messageActivity, realisticTurns, type EvalCase } from './support/questions';
import { BenchConnector } from './support/standInConnector';
import { fixed, megabytes, summarize, table, verdict, type Summary } from './support/stats';

export const GENERATED_PEOPLE = 10_000;
export const TARGETS = { totalRssBytes: 250 * 1024 * 1024, resolutionMs: 1 };
const CHILD_FLAG = '--memory-bench-child';
/** Turns the app child answers before it is measured, so its caches and pools are as in service. */
const APP_TURNS = 300;

type ChildMode = 'baseline' | 'structures' | 'app';

interface MemoryFigures {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

interface TimingFigures {
  /** µs per call. */
  resolution: Summary;
  /** µs per message. */
  handleMessage: Summary;
  /** µs per message, the replies turned into Teams cards (not part of the target; for scale). */
  cards: Summary;
  /** The slowest messages by median µs of handleMessage. */
  slowest: Array<{ text: string; medianUs: number }>;
}

interface ChildReport {
  mode: ChildMode;
  gcExposed: boolean;
  memory: MemoryFigures;
  people?: number;
  units?: number;
  /** µs per question, with the generated directory and with the sample directory. */
  timings?: { generated: TimingFigures; sample: TimingFigures };
  appTurnsFailed?: number;
}

export interface MemoryReport {
  generatedPeople: number;
  totalAssignments: number;
  generateSeconds: number;
  importSeconds: number;
  baseline: ChildReport;
  structures: ChildReport;
  app: ChildReport;
  appSample: ChildReport;
  targets: { totalRss: { value: number; met: boolean }; resolution: { valueUs: number; met: boolean } };
  totalSeconds: number;
}

// ---------------------------------------------------------------- children

function collectGarbage(): void {
  for (let i = 0; i < 3; i++) globalThis.gc?.();
}

async function measuredMemory(): Promise<MemoryFigures> {
  collectGarbage();
  await new Promise((resolve) => setTimeout(resolve, 200));
  collectGarbage();
  const usage = process.memoryUsage();
  return { rss: usage.rss, heapUsed: usage.heapUsed, heapTotal: usage.heapTotal, external: usage.external, arrayBuffers: usage.arrayBuffers };
}

/** Keeps what a child built reachable while it is measured. */
const retained: unknown[] = [];

async function structuresChild(directoryFile: string): Promise<ChildReport> {
  const directory = JSON.parse(readFileSync(directoryFile, 'utf8')) as Directory;
  // What the running app holds per directory version: the directory itself,
  // its index, and the assistant's interpreter (the cards read the index).
  const index = new DirectoryIndex(directory);
  const assistant = new DirectoryAssistant(index, new InMemoryUserProfileStore());
  const cards = new ReplyCards(() => index);
  retained.push(directory, index, assistant, cards);
  const memory = await measuredMemory();

  const cases = loadEvalCases();
  const generated = await timeQuestions(index, cases);
  const sampleIndex = new DirectoryIndex(sampleOnly(directory));
  const sample = await timeQuestions(sampleIndex, cases);
  return {
    mode: 'structures',
    gcExposed: typeof globalThis.gc === 'function',
    memory,
    people: directory.people.length,
    units: directory.units.length,
    timings: { generated, sample },
  };
}

/** The directory without the generated people (they all come after the sample's in people.csv). */
function sampleOnly(directory: Directory): Directory {
  const firstGenerated = directory.people.length - GENERATED_PEOPLE;
  return { ...directory, people: directory.people.slice(0, Math.max(0, firstGenerated)) };
}

interface ResolutionCase {
  run: () => Resolution;
}

/**
 * What the assistant resolves for each question: for advisor questions the
 * process and unit the question set names, for role questions the role and
 * process the interpreter finds.
 */
function resolutionCases(index: DirectoryIndex, cases: EvalCase[]): ResolutionCase[] {
  const understander = Understander.for(index);
  const result: ResolutionCase[] = [];
  for (const c of cases) {
    const text = c.turns[c.turns.length - 1] ?? '';
    if (c.kind === 'role') {
      const understood = understander.read(text);
      const role = understood.roles.find((code) => code !== ROLE.processAdvisor);
      const process = understood.processes[0] ?? c.process ?? null;
      if (role) result.push({ run: () => resolveRoleHolders(index, role, process) });
      else if (process) result.push({ run: () => resolveAdvisors(index, process, null) });
    } else if (c.process) {
      const process = c.process;
      const unit = c.unit;
      result.push({ run: () => resolveAdvisors(index, process, unit) });
    }
  }
  return result;
}

/** Repeats `rounds` over the items, timing each call; returns µs per call. */
async function timeEach<T>(items: readonly T[], minRounds: number, minMs: number, call: (item: T, round: number) => unknown): Promise<{ all: number[]; perItem: number[][] }> {
  const all: number[] = [];
  const perItem: number[][] = items.map(() => []);
  const started = performance.now();
  for (let round = 0; round < minRounds || performance.now() - started < minMs; round++) {
    for (let i = 0; i < items.length; i++) {
      const t0 = performance.now();
      const value = call(items[i] as T, round);
      if (value instanceof Promise) await value;
      const us = (performance.now() - t0) * 1000;
      all.push(us);
      perItem[i]?.push(us);
    }
  }
  return { all, perItem };
}

async function timeQuestions(index: DirectoryIndex, cases: EvalCase[]): Promise<TimingFigures> {
  // Resolution alone: warm up, then time.
  const resolutions = resolutionCases(index, cases);
  await timeEach(resolutions, 50, 0, (c) => c.run());
  const resolution = await timeEach(resolutions, 200, 300, (c) => c.run());

  // Understanding + resolution: DirectoryAssistant.handleMessage with profiles in memory.
  // Each round uses fresh users; a two-turn case states the unit first, as in a chat.
  const assistant = new DirectoryAssistant(index, new InMemoryUserProfileStore());
  const cards = new ReplyCards(() => index);
  const messages: Array<{ text: string; locale: string; userKey: string }> = [];
  cases.forEach((c, n) => c.turns.forEach((text) => messages.push({ text, locale: localeFor(c.lang), userKey: `case${n}` })));
  // As the bot does it per turn: understand once, then the directory answers its intent (other capabilities' intents count as understood only).
  const handleMessage = async (userId: string, text: string, locale: string) => {
    const { language, reading, intent } = assistant.understander.understand(text, chatIntentOrder);
    const replyIn = turnLanguage(language, null, locale);
    if (intent.capability !== 'directory') return { language: replyIn, replies: [], question: null };
    return assistant.answer({ userId, reading, request: intent.request, language: replyIn, previous: async () => null });
  };
  const handle = (m: (typeof messages)[number], round: number) => handleMessage(`${m.userKey}-r${round}`, m.text, m.locale);
  await timeEach(messages, 20, 0, handle);
  const handled = await timeEach(messages, 30, 1500, handle);

  // For scale: the replies as Teams cards (ReplyCards.toActivity), which the bot does next in a turn.
  const results = await Promise.all(messages.map((m) => handleMessage(`cards-${m.userKey}`, m.text, m.locale)));
  const render = (result: (typeof results)[number]) => result.replies.map((reply) => cards.toActivity(reply, result.language));
  await timeEach(results, 20, 0, render);
  const rendered = await timeEach(results, 30, 500, render);

  const slowest = messages
    .map((m, i) => ({ text: m.text, medianUs: summarize(handled.perItem[i] ?? []).p50 }))
    .sort((a, b) => b.medianUs - a.medianUs)
    .slice(0, 5);
  return { resolution: summarize(resolution.all), handleMessage: summarize(handled.all), cards: summarize(rendered.all), slowest };
}

function postActivity(agent: http.Agent, url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${url}/api/messages`,
      { agent, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

async function appChild(): Promise<ChildReport> {
  const config = loadConfig(process.env);
  const app = await startApp(config, createLogger(config.logLevel));
  const connector = new BenchConnector();
  await connector.start();
  const agent = new http.Agent({ keepAlive: true });
  let failed = 0;
  const turns = realisticTurns(APP_TURNS);
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < turns.length) {
        const turn = turns[next++];
        if (!turn) break;
        const status = await postActivity(agent, app.url, JSON.stringify(messageActivity(turn.text, turn.user, connector.url))).catch(() => 0);
        if (status < 200 || status >= 300) failed += 1;
      }
    }),
  );
  const memory = await measuredMemory();
  const report: ChildReport = {
    mode: 'app',
    gcExposed: typeof globalThis.gc === 'function',
    memory,
    people: app.directory.index.directory.people.length,
    units: app.directory.index.directory.units.length,
    appTurnsFailed: failed,
  };
  agent.destroy();
  await connector.stop();
  await app.close();
  return report;
}

async function runChild(mode: ChildMode, directoryFile: string): Promise<void> {
  let report: ChildReport;
  if (mode === 'baseline') report = { mode, gcExposed: typeof globalThis.gc === 'function', memory: await measuredMemory() };
  else if (mode === 'structures') report = await structuresChild(directoryFile);
  else report = await appChild();
  process.stdout.write(`\n${JSON.stringify(report)}\n`);
}

// ---------------------------------------------------------------- parent

function spawnChild(mode: ChildMode, directoryFile: string, env: Record<string, string> = {}): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', __filename, CHILD_FLAG, mode, directoryFile], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        if (code !== 0) throw new Error(`exit code ${code}`);
        resolve(JSON.parse(line) as ChildReport);
      } catch (error) {
        reject(new Error(`memory bench child "${mode}" failed (${String(error)}): ${stderr.trim()}`));
      }
    });
  });
}

export async function runMemory(log: (line: string) => void = console.log): Promise<MemoryReport> {
  const begun = performance.now();
  log(`memory: generating the sample directory + ${GENERATED_PEOPLE} people (CSV → product's import validation)…`);
  const t0 = performance.now();
  const { directory } = await generatedDirectory(GENERATED_PEOPLE);
  const generateSeconds = (performance.now() - t0) / 1000;
  const directoryFile = path.join(os.tmpdir(), `bench-directory-${process.pid}.json`);
  writeFileSync(directoryFile, JSON.stringify(directory));

  const azurite = await startEmbeddedAzurite({ ports: { blob: await freePort(), queue: await freePort(), table: await freePort() } });
  try {
    const prefix = `benchmem${randomBytes(3).toString('hex')}`;
    const store = await TableDirectoryStore.open(azurite.connectionString, `${prefix}directory`);
    log(`memory: importing it into table storage (TableDirectoryStore.replace, ${directory.people.length} assignments)…`);
    const t1 = performance.now();
    await store.replace(directory, `bench: sample + ${GENERATED_PEOPLE} generated people`, { expectedVersion: null });
    const importSeconds = (performance.now() - t1) / 1000;

    const appEnv = (tablePrefix: string): Record<string, string> => ({
      PORT: '0',
      STORAGE_CONNECTION_STRING: azurite.connectionString,
      TABLE_PREFIX: tablePrefix,
      LOG_LEVEL: 'silent',
    });
    log('memory: measuring child processes (baseline, structures + timings, app with 10k, app with the sample)…');
    // One at a time: on two cores, parallel children would disturb each other's timings.
    const baseline = await spawnChild('baseline', directoryFile);
    const structures = await spawnChild('structures', directoryFile);
    const app = await spawnChild('app', directoryFile, appEnv(prefix));
    // A fresh prefix: the app seeds the shipped sample directory itself.
    const appSample = await spawnChild('app', directoryFile, appEnv(`benchsample${randomBytes(3).toString('hex')}`));

    const resolutionUs = structures.timings?.generated.resolution.mean ?? NaN;
    const report: MemoryReport = {
      generatedPeople: GENERATED_PEOPLE,
      totalAssignments: directory.people.length,
      generateSeconds,
      importSeconds,
      baseline,
      structures,
      app,
      appSample,
      targets: {
        totalRss: { value: app.memory.rss, met: app.memory.rss < TARGETS.totalRssBytes },
        resolution: { valueUs: resolutionUs, met: resolutionUs < TARGETS.resolutionMs * 1000 },
      },
      totalSeconds: (performance.now() - begun) / 1000,
    };
    printMemory(report, log);
    return report;
  } finally {
    rmSync(directoryFile, { force: true });
    await azurite.stop();
  }
}

function timingRows(label: string, t: TimingFigures): string[][] {
  const row = (what: string, s: Summary): string[] => [`${label}: ${what}`, fixed(s.mean, 1), fixed(s.p50, 1), fixed(s.p90, 1), fixed(s.p99, 1), fixed(s.max, 0), String(s.count)];
  return [row('resolveAdvisors/resolveRoleHolders', t.resolution), row('handleMessage (understand + resolve)', t.handleMessage), row('reply cards (toActivity)', t.cards)];
}

export function printMemory(report: MemoryReport, log: (line: string) => void = console.log): void {
  const { baseline, structures, app, appSample } = report;
  log('');
  log(`Memory (RSS after global.gc() in a child started with --expose-gc; gc exposed: ${String(baseline.gcExposed && structures.gcExposed && app.gcExposed)})`);
  log(
    `directory: sample + ${report.generatedPeople} generated people = ${report.totalAssignments} assignments, ${structures.units ?? '?'} units ` +
      `(generated and validated in ${fixed(report.generateSeconds, 1)} s; TableDirectoryStore.replace took ${fixed(report.importSeconds, 1)} s)`,
  );
  const row = (label: string, child: ChildReport): string[] => [
    label,
    megabytes(child.memory.rss),
    megabytes(child.memory.rss - baseline.memory.rss),
    megabytes(child.memory.heapUsed),
    megabytes(child.memory.heapUsed - baseline.memory.heapUsed),
    megabytes(child.memory.external),
  ];
  log(
    table([
      ['process', 'RSS', 'RSS − baseline', 'heap used', 'heap − baseline', 'external'],
      row('baseline (modules loaded only)', baseline),
      row(`structures (directory + index + interpreter, ${structures.people ?? '?'} assignments)`, structures),
      row(`app running, ${app.people ?? '?'} assignments, after ${APP_TURNS} turns`, app),
      row(`app running, sample only (${appSample.people ?? '?'} assignments), after ${APP_TURNS} turns`, appSample),
    ]),
  );
  if ((app.appTurnsFailed ?? 0) + (appSample.appTurnsFailed ?? 0) > 0) log(`(warning: ${(app.appTurnsFailed ?? 0) + (appSample.appTurnsFailed ?? 0)} app turns failed)`);
  log(`10,000 people cost the running app ${megabytes(app.memory.rss - appSample.memory.rss)} RSS (${megabytes(app.memory.heapUsed - appSample.memory.heapUsed)} heap)`);
  log(`target total RSS < ${megabytes(TARGETS.totalRssBytes)}: ${megabytes(report.targets.totalRss.value)} → ${verdict(report.targets.totalRss.met)}`);

  const timings = structures.timings;
  if (timings) {
    log('');
    log('Time per question (µs), in the structures child');
    log(
      table([
        ['', 'mean', 'p50', 'p90', 'p99', 'max', 'calls'],
        ...timingRows(`${structures.people ?? '?'} assignments`, timings.generated),
        ...timingRows('sample only', timings.sample),
      ]),
    );
    log(
      `target resolution < ${TARGETS.resolutionMs} ms per question (10k directory): mean ${fixed(report.targets.resolution.valueUs, 1)} µs → ${verdict(report.targets.resolution.met)}`,
    );
    log('slowest messages through handleMessage (median µs, 10k directory):');
    for (const slow of timings.generated.slowest) log(`  ${fixed(slow.medianUs, 0).padStart(6)}  ${slow.text}`);
  }
  log(`(memory bench took ${fixed(report.totalSeconds, 1)} s)`);
}

if (require.main === module) {
  const flag = process.argv.indexOf(CHILD_FLAG);
  if (flag >= 0) {
    runChild(process.argv[flag + 1] as ChildMode, process.argv[flag + 2] ?? '').then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  } else {
    runMemory().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  }
}
