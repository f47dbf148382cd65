import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { TableServiceClient } from '@azure/data-tables';
import type { Logger } from '../logger';

/** Azurite's well-known development account (public, documented by Microsoft; not a secret). */
const DEV_ACCOUNT = 'devstoreaccount1';
const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface AzuritePorts {
  blob: number;
  queue: number;
  table: number;
}

export interface EmbeddedAzurite {
  connectionString: string;
  /** True when this process started Azurite (and so stops it); false when one was already running. */
  startedHere: boolean;
  stop(): Promise<void>;
}

export function azuriteConnectionString(ports: AzuritePorts, host = '127.0.0.1'): string {
  return (
    [
      'DefaultEndpointsProtocol=http',
      `AccountName=${DEV_ACCOUNT}`,
      `AccountKey=${DEV_KEY}`,
      `BlobEndpoint=http://${host}:${ports.blob}/${DEV_ACCOUNT}`,
      `QueueEndpoint=http://${host}:${ports.queue}/${DEV_ACCOUNT}`,
      `TableEndpoint=http://${host}:${ports.table}/${DEV_ACCOUNT}`,
    ].join(';') + ';'
  );
}

async function tableServiceAnswers(connectionString: string): Promise<boolean> {
  const client = TableServiceClient.fromConnectionString(connectionString, {
    allowInsecureConnection: true,
    retryOptions: { maxRetries: 0 },
  });
  try {
    const tables = client.listTables();
    await tables.next();
    return true;
  } catch {
    return false;
  }
}

/** A free loopback port, for tests that run their own Azurite. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface StartAzuriteOptions {
  ports: AzuritePorts;
  /** Folder for Azurite's data; omitted means in-memory (tests). */
  location?: string;
  startTimeoutMs?: number;
  /**
   * Start Azurite again whenever it dies, after a pause that doubles from one
   * second to half a minute while it keeps dying; each death and restart is
   * logged. The app's embedded storage uses this: without it, storage that
   * died stayed dead (/healthz 503) until someone restarted the app.
   */
  restart?: { logger: Logger };
}

const FIRST_RESTART_DELAY_MS = 1000;
const MAX_RESTART_DELAY_MS = 30_000;
/** A child that ran this long before dying was not crash-looping: the next restart waits the shortest pause again. */
const STABLE_AFTER_MS = 60_000;

/**
 * Starts Azurite (the real Azure Storage emulator) as a child process, or reuses
 * one already listening on the same ports (for example the running app's, when
 * the import command runs beside it).
 */
export async function startEmbeddedAzurite(options: StartAzuriteOptions): Promise<EmbeddedAzurite> {
  const connectionString = azuriteConnectionString(options.ports);
  if (await tableServiceAnswers(connectionString)) {
    return { connectionString, startedHere: false, stop: async () => undefined };
  }

  const args = [
    require.resolve('azurite/dist/src/azurite.js'),
    '--silent',
    '--skipApiVersionCheck',
    '--disableTelemetry',
    '--blobHost',
    '127.0.0.1',
    '--blobPort',
    String(options.ports.blob),
    '--queueHost',
    '127.0.0.1',
    '--queuePort',
    String(options.ports.queue),
    '--tableHost',
    '127.0.0.1',
    '--tablePort',
    String(options.ports.table),
  ];
  if (options.location) {
    const location = path.resolve(options.location);
    mkdirSync(location, { recursive: true });
    args.push('--location', location);
  } else {
    args.push('--inMemoryPersistence');
  }
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;

  let current = await startChild(args, connectionString, options.ports.table, startTimeoutMs);
  let stopping = false;
  let restartDelayMs = FIRST_RESTART_DELAY_MS;
  let restartTimer: NodeJS.Timeout | undefined;

  const restart = options.restart;
  // Ctrl+C in a terminal reaches Azurite too (one process group): it exits while the app is shutting down, which is
  // not a death to restart from or to log as one.
  const appStopping = (): void => {
    stopping = true;
  };
  if (restart) for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, appStopping);
  const watch = (child: RunningChild): void => {
    if (!restart) return;
    void child.exited.then(({ code, signal }) => {
      if (stopping) return;
      if (Date.now() - child.startedAt > STABLE_AFTER_MS) restartDelayMs = FIRST_RESTART_DELAY_MS;
      restart.logger.error({ code, signal, stderr: child.stderr() || undefined, restartInMs: restartDelayMs }, 'Azurite (embedded storage) stopped; starting it again');
      scheduleRestart();
    });
  };
  const scheduleRestart = (): void => {
    const delay = restartDelayMs;
    restartDelayMs = Math.min(restartDelayMs * 2, MAX_RESTART_DELAY_MS);
    restartTimer = setTimeout(() => {
      if (stopping) return;
      startChild(args, connectionString, options.ports.table, startTimeoutMs).then(
        (child) => {
          if (stopping) return void child.stop();
          current = child;
          restart?.logger.info({ pid: child.pid }, 'Azurite (embedded storage) started again');
          watch(child);
        },
        (error: unknown) => {
          restart?.logger.error({ err: error, restartInMs: restartDelayMs }, 'Azurite (embedded storage) could not be started again; trying later');
          if (!stopping) scheduleRestart();
        },
      );
    }, delay);
    restartTimer.unref();
  };
  watch(current);

  return {
    connectionString,
    startedHere: true,
    stop: async () => {
      stopping = true;
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.off(signal, appStopping);
      clearTimeout(restartTimer);
      await current.stop();
    },
  };
}

interface RunningChild {
  pid: number | undefined;
  startedAt: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
  stop(): Promise<void>;
}

/** Spawns Azurite and waits until its table service answers; a child that does not is killed. */
async function startChild(args: string[], connectionString: string, tablePort: number, startTimeoutMs: number): Promise<RunningChild> {
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  let hasExited = false;
  // Azurite does not outlive the process that started it, whatever way that process exits (short of SIGKILL).
  const stopWithParent = (): void => void child.kill('SIGTERM');
  process.once('exit', stopWithParent);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      hasExited = true;
      process.off('exit', stopWithParent);
      resolve({ code, signal });
    });
  });
  const stop = (): Promise<void> =>
    new Promise<void>((resolve) => {
      if (hasExited) return resolve();
      void exited.then(() => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });

  const deadline = Date.now() + startTimeoutMs;
  while (!(await tableServiceAnswers(connectionString))) {
    if (hasExited) throw new Error(`Azurite exited while starting: ${stderr.trim() || 'no output'}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Azurite did not answer on port ${tablePort} in time: ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { pid: child.pid, startedAt: Date.now(), exited, stderr: () => stderr.trim(), stop };
}
