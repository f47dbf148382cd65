import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/storage/azurite';

/**
 * The Microsoft 365 Agents Playground (@microsoft/m365agentsplayground) as a
 * child process, confined to loopback.
 *
 * What the package does by default (0.2.28, read from its bundle):
 * - `server.listen(port)` with no host, i.e. on every interface, port 56150
 *   (falls back to a random port when that one is taken);
 * - the mocked connector's service URL is `http://localhost:<port>/_connector`;
 * - it sets up Application Insights with its own key (events are not sent with
 *   --disable-telemetry, but the SDK is still started);
 * - it writes its log to ./devTools/m365agentsplayground.log and reads
 *   ./.m365agentsplayground.yml, both relative to its working directory;
 * - it opens a browser unless TEAMSAPPTESTER_BROWSER=none.
 *
 * So it is started in a fresh temporary directory, with --disable-telemetry,
 * an explicit loopback service URL, and a preloaded guard (NODE_OPTIONS
 * --require) that makes every server listen on 127.0.0.1 and refuses every
 * outgoing TCP connection to anything but loopback. Refused attempts are
 * reported in `blockedConnections`.
 */
export interface Playground {
  url: string;
  port: number;
  process: ChildProcess;
  /** Outgoing connections the loopback guard refused (host names or addresses). */
  blockedConnections(): string[];
  /** Everything the playground wrote to stdout and stderr. */
  output(): string;
  stop(): Promise<void>;
}

const playgroundBin = path.resolve(__dirname, '../../node_modules/.bin/agentsplayground');

const BLOCK_MARK = '[loopback-guard] blocked ';

/** Preloaded into the playground's Node process (CommonJS, no dependencies). */
const loopbackGuard = String.raw`'use strict';
const net = require('node:net');
function isLoopback(host) {
  if (host === undefined || host === null || host === '') return false;
  const h = String(host).replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\./.test(h) || /^::ffff:127\./.test(h);
}
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  let options = args[0];
  if (Array.isArray(options)) options = options[0];
  let host;
  let pipe = false;
  if (options !== null && typeof options === 'object') {
    if (options.path) pipe = true;
    host = options.host === undefined ? 'localhost' : options.host;
  } else if (typeof options === 'string' && !/^\d+$/.test(options)) {
    pipe = true;
  } else {
    host = typeof args[1] === 'string' ? args[1] : 'localhost';
  }
  if (!pipe && !isLoopback(host)) {
    process.stderr.write('${BLOCK_MARK}' + host + '\n');
    const error = new Error('loopback guard: connection to ' + host + ' refused');
    error.code = 'ECONNREFUSED';
    process.nextTick(() => this.destroy(error));
    return this;
  }
  return connect.apply(this, args);
};
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const first = args[0];
  if (args.length === 0 || typeof first === 'function') {
    args.unshift(0, '127.0.0.1');
  } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    if (typeof args[1] === 'string') args[1] = '127.0.0.1';
    else args.splice(1, 0, '127.0.0.1');
  } else if (first !== null && typeof first === 'object' && first.path === undefined && first.fd === undefined && first._handle === undefined && first.handle === undefined) {
    args[0] = { ...first, host: '127.0.0.1' };
  }
  return listen.apply(this, args);
};
`;

/** Starts the playground against the bot at `botEndpoint` (…/api/messages) and waits until its page answers. */
export async function startPlayground(botEndpoint: string, options: { timeoutMs?: number } = {}): Promise<Playground> {
  if (!existsSync(playgroundBin)) throw new Error(`${playgroundBin} is missing: run npm install (@microsoft/m365agentsplayground is a devDependency)`);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'playground-'));
  const guardFile = path.join(workDir, 'loopback-guard.cjs');
  await writeFile(guardFile, loopbackGuard);
  const port = await freePort();

  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // No proxies (the guard would refuse them anyway), no inherited playground settings.
    if (/^(https?|all|no)_proxy$/i.test(key) || /^(TEAMSAPPTESTER_|M365_AGENTS_PLAYGROUND_|TEAMS_APP_TEST_TOOL_)/.test(key)) continue;
    env[key] = value;
  }
  Object.assign(env, {
    TEAMSAPPTESTER_BROWSER: 'none',
    M365_AGENTS_PLAYGROUND_LOGFILE: path.join(workDir, 'playground.log'),
    APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
    APPLICATION_INSIGHTS_NO_DIAGNOSTIC_CHANNEL: 'true',
    NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --require "${guardFile}"`.trim(),
  });

  const args = ['-e', botEndpoint, '-c', 'msteams', '-p', String(port), '--service-url', `http://127.0.0.1:${port}/_connector`, '--disable-telemetry'];
  // detached: its own process group, so stop() can end it and anything it started.
  const child = spawn(playgroundBin, args, { cwd: workDir, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let hasExited = false;
  void exited.then(() => (hasExited = true));

  // Should the test process end without stop() (a crash, a killed worker), take the playground along.
  const killOnExit = () => {
    if (!hasExited && child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
  };
  process.once('exit', killOnExit);

  const stop = async () => {
    process.off('exit', killOnExit);
    if (!hasExited && child.pid !== undefined) {
      signalGroup(child.pid, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(child.pid as number, 'SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
      // Anything left in its group.
      signalGroup(child.pid, 'SIGKILL');
    }
    await rm(workDir, { recursive: true, force: true });
  };

  try {
    const deadline = Date.now() + timeoutMs;
    let listeningPort: number | null = null;
    while (Date.now() < deadline) {
      if (hasExited) throw new Error(`the playground exited early (code ${child.exitCode}):\n${output}`);
      listeningPort ??= Number(/Listening on (\d+)/.exec(output)?.[1] ?? NaN) || null;
      if (listeningPort !== null && (await answers(`http://127.0.0.1:${listeningPort}/`))) break;
      await sleep(100);
    }
    if (listeningPort === null || !(await answers(`http://127.0.0.1:${listeningPort}/`))) {
      throw new Error(`the playground did not answer within ${timeoutMs} ms:\n${output}`);
    }
    if (listeningPort !== port) throw new Error(`the playground listens on ${listeningPort}, not on the requested ${port}:\n${output}`);
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    process: child,
    blockedConnections: () =>
      output
        .split('\n')
        .filter((line) => line.includes(BLOCK_MARK))
        .map((line) => line.slice(line.indexOf(BLOCK_MARK) + BLOCK_MARK.length).trim()),
    output: () => output,
    stop,
  };
}

/** True when a TCP connection to host:port is accepted. */
export function acceptsConnections(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** This machine's non-loopback IPv4 addresses. */
export function externalAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((info): info is os.NetworkInterfaceInfo => !!info && info.family === 'IPv4' && !info.internal)
    .map((info) => info.address);
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
