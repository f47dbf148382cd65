import { execFileSync } from 'node:child_process';
import { azuriteConnectionString, freePort, type AzuritePorts } from '../../src/storage/azurite';

/** Three free loopback ports for an Azurite of a test's own. */
export async function freeAzuritePorts(): Promise<AzuritePorts> {
  return { blob: await freePort(), queue: await freePort(), table: await freePort() };
}

/** The ids of the Azurite processes serving tables on the port (pgrep, Linux and macOS). */
export function azuritePids(tablePort: number): number[] {
  try {
    return execFileSync('pgrep', ['-f', '--', `azurite.*--tablePort ${tablePort}( |$)`], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    // pgrep exits with 1 when nothing matches.
    return [];
  }
}

/** Whether anything answers as Azurite's table service on the ports. */
export async function azuriteAnswers(ports: AzuritePorts): Promise<boolean> {
  const endpoint = /TableEndpoint=([^;]+)/.exec(azuriteConnectionString(ports))?.[1] ?? '';
  try {
    await fetch(`${endpoint}/Tables`, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

/** Polls until the check holds, or fails after the timeout. */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
