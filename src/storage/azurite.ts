import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { TableServiceClient } from '@azure/data-tables';

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
  return [
    'DefaultEndpointsProtocol=http',
    `AccountName=${DEV_ACCOUNT}`,
    `AccountKey=${DEV_KEY}`,
    `BlobEndpoint=http://${host}:${ports.blob}/${DEV_ACCOUNT}`,
    `QueueEndpoint=http://${host}:${ports.queue}/${DEV_ACCOUNT}`,
    `TableEndpoint=http://${host}:${ports.table}/${DEV_ACCOUNT}`,
  ].join(';') + ';';
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
}

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
    '--blobHost', '127.0.0.1', '--blobPort', String(options.ports.blob),
    '--queueHost', '127.0.0.1', '--queuePort', String(options.ports.queue),
    '--tableHost', '127.0.0.1', '--tablePort', String(options.ports.table),
  ];
  if (options.location) {
    const location = path.resolve(options.location);
    mkdirSync(location, { recursive: true });
    args.push('--location', location);
  } else {
    args.push('--inMemoryPersistence');
  }

  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });

  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  while (!(await tableServiceAnswers(connectionString))) {
    if (exited) throw new Error(`Azurite exited while starting: ${stderr.trim() || 'no output'}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Azurite did not answer on port ${options.ports.table} in time: ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    connectionString,
    startedHere: true,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
