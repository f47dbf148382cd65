import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import type { AzuritePorts } from '../../src/storage/azurite';
import { assertBuilt } from '../support/appProcess';
import { azuriteAnswers, azuritePids, eventually, freeAzuritePorts } from '../support/azuriteProcesses';

/**
 * The app with its own embedded Azurite, as `npm start` runs it locally: no
 * STORAGE_CONNECTION_STRING, Azurite on ports of the test's choosing, its data
 * in a temporary DATA_DIR.
 */
async function embeddedEnvironment(ports: AzuritePorts, dataDir: string, port: number): Promise<Record<string, string>> {
  return {
    PORT: String(port),
    DATA_DIR: dataDir,
    AZURITE_BLOB_PORT: String(ports.blob),
    AZURITE_QUEUE_PORT: String(ports.queue),
    AZURITE_TABLE_PORT: String(ports.table),
    LOG_LEVEL: 'silent',
  };
}

/** A loopback port something else listens on. */
async function occupiedPort(): Promise<{ port: number; release(): Promise<void> }> {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  return { port: (blocker.address() as net.AddressInfo).port, release: () => new Promise<void>((resolve) => blocker.close(() => resolve())) };
}

/** Runs a built entry point to its end; its output and exit code. */
function runToEnd(entry: string, environment: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [entry], { env: { PATH: process.env.PATH ?? '', ...environment }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

describe('the embedded Azurite', () => {
  it('is started again when it dies: /healthz answers 200 again', async () => {
    const ports = await freeAzuritePorts();
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'embedded-'));
    const app = await startApp(loadConfig(await embeddedEnvironment(ports, dataDir, 0)), createLogger('silent'));
    try {
      expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
      const [before] = azuritePids(ports.table);
      expect(before).toBeDefined();
      process.kill(before ?? 0, 'SIGKILL');
      await eventually(async () => !(await azuriteAnswers(ports)), 10_000, 'Azurite is down');
      await eventually(async () => (await fetch(`${app.url}/healthz`)).status === 200, 30_000, '/healthz answers 200 again');
      expect(azuritePids(ports.table)).not.toContain(before);
    } finally {
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    }
    expect(azuritePids(ports.table)).toEqual([]);
  });
});

describe('a port that is in use', () => {
  it('makes the app refuse to start with a message naming PORT, and leaves no Azurite running', async () => {
    const ports = await freeAzuritePorts();
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'embedded-'));
    const taken = await occupiedPort();
    try {
      await expect(startApp(loadConfig(await embeddedEnvironment(ports, dataDir, taken.port)), createLogger('silent'))).rejects.toThrow(
        `Port ${taken.port} is in use; set PORT to another port`,
      );
      expect(azuritePids(ports.table)).toEqual([]);
      expect(await azuriteAnswers(ports)).toBe(false);
    } finally {
      await taken.release();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it.each([
    ['the bot (npm run start:bot)', 'dist/src/index.js'],
    ['npm start (the bot and the Agents Playground)', 'dist/scripts/start-local.js'],
  ])('makes %s print what to do and exit with an error, leaving no Azurite running', async (_name, entry) => {
    const built = assertBuilt(entry);
    const ports = await freeAzuritePorts();
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'embedded-'));
    const taken = await occupiedPort();
    try {
      const { code, output } = await runToEnd(built, { ...(await embeddedEnvironment(ports, dataDir, taken.port)), PLAYGROUND_PORT: String((await freeAzuritePorts()).blob) });
      expect(output).toContain(`Port ${taken.port} is in use; set PORT to another port`);
      expect(output).not.toMatch(/\n\s+at /);
      expect(code).toBe(1);
      expect(azuritePids(ports.table)).toEqual([]);
      expect(await azuriteAnswers(ports)).toBe(false);
    } finally {
      await taken.release();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
