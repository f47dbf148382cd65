import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

/**
 * The built app (`dist/src/index.js`, as in production) in a child process of
 * its own, so that its memory, its temporary folder and its life can be
 * observed apart from the test runner's. `npm test` builds first; run
 * `npm run build` before running such a test alone.
 */
export interface AppProcess {
  url: string;
  process: ChildProcess;
  /** The child's own temporary folder (TMPDIR): whatever the app writes there shows up here. */
  tmpDir: string;
  /** Resident memory of the child, in bytes. */
  residentBytes(): number;
  alive(): boolean;
  /** Everything the app logged. */
  output(): string;
  stop(): Promise<void>;
}

export async function startAppProcess(environment: Record<string, string>): Promise<AppProcess> {
  const entry = assertBuilt();
  const tmpDir = mkdtempSync(path.join(os.tmpdir(), 'app-process-'));
  const child = spawn(process.execPath, [entry], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'info', LOG_FORMAT: 'json', TMPDIR: tmpDir, TEMP: tmpDir, TMP: tmpDir, ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the app did not start in time:\n${output}`)), 60_000);
    const look = () => {
      const listening = /"port":(\d+)[^\n]*"msg":"bot listening"/.exec(output);
      if (listening?.[1]) {
        clearTimeout(timer);
        resolve(Number(listening[1]));
      }
    };
    child.stdout?.on('data', look);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the app exited (${code}) while starting:\n${output}`));
    });
  });

  return {
    url: `http://127.0.0.1:${port}`,
    process: child,
    tmpDir,
    residentBytes: () => residentBytesOf(child.pid ?? 0),
    alive: () => child.exitCode === null && child.signalCode === null,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(tmpDir, { recursive: true, force: true });
    },
  };
}

/** Resident set size from ps (Linux and macOS), in bytes. */
function residentBytesOf(pid: number): number {
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) * 1024;
}

/** A child runs the compiled app: refuse to test a build older than the source. Returns the built entry's path. */
export function assertBuilt(entry = 'dist/src/index.js'): string {
  const built = path.join(root, entry);
  if (!existsSync(built)) throw new Error(`${entry} is missing: run \`npm run build\` first (npm test does)`);
  const newest = Math.max(newestMtime(path.join(root, 'src')), newestMtime(path.join(root, 'scripts')));
  if (newest > statSync(built).mtimeMs + 1000) throw new Error('dist/ is older than src/ or scripts/: run `npm run build` first (npm test does)');
  return built;
}

function newestMtime(folder: string): number {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}
