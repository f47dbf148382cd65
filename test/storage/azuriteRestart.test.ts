import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { startEmbeddedAzurite } from '../../src/storage/azurite';
import { azuriteAnswers, azuritePids, eventually, freeAzuritePorts } from '../support/azuriteProcesses';

/** A logger whose lines the test reads. */
function capturedLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

describe('embedded Azurite started with restart', () => {
  it('is started again when it dies, after a pause that grows while it keeps dying, and says so in the log', async () => {
    const ports = await freeAzuritePorts();
    const { logger, lines } = capturedLogger();
    const azurite = await startEmbeddedAzurite({ ports, restart: { logger } });
    try {
      const [first] = azuritePids(ports.table);
      expect(first).toBeDefined();
      process.kill(first ?? 0, 'SIGKILL');
      await eventually(async () => azuritePids(ports.table).some((pid) => pid !== first) && (await azuriteAnswers(ports)), 20_000, 'Azurite answers again');

      const [second] = azuritePids(ports.table);
      process.kill(second ?? 0, 'SIGKILL');
      await eventually(async () => azuritePids(ports.table).some((pid) => pid !== second) && (await azuriteAnswers(ports)), 20_000, 'Azurite answers after a second death');

      // The log line follows the first answer by a moment.
      await eventually(() => lines.filter((line) => line.msg === 'Azurite (embedded storage) started again').length === 2, 5000, 'both restarts logged');
      const stopped = lines.filter((line) => line.msg === 'Azurite (embedded storage) stopped; starting it again');
      expect(stopped.map((line) => line.restartInMs)).toEqual([1000, 2000]);
      expect(stopped[0]).toMatchObject({ signal: 'SIGKILL', level: 50 });
    } finally {
      await azurite.stop();
    }
    // Stopped on purpose, it stays stopped.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(azuritePids(ports.table)).toEqual([]);
  });

  it('is not started again without restart (the import command, the tests)', async () => {
    const ports = await freeAzuritePorts();
    const azurite = await startEmbeddedAzurite({ ports });
    try {
      const [pid] = azuritePids(ports.table);
      process.kill(pid ?? 0, 'SIGKILL');
      await eventually(async () => !(await azuriteAnswers(ports)), 10_000, 'Azurite is down');
      await new Promise((resolve) => setTimeout(resolve, 2000));
      expect(azuritePids(ports.table)).toEqual([]);
    } finally {
      await azurite.stop();
    }
  });
});
