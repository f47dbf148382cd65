/**
 * `npm start`: the bot (which starts its own Azurite storage) and the
 * Microsoft 365 Agents Playground, the offline Teams-like client, together.
 * Ctrl+C stops both; if either stops, so does the other.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const botPort = process.env.PORT ?? '3978';
const playgroundPort = process.env.PLAYGROUND_PORT ?? '56150';

function start(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(command, args, { cwd: root, env, stdio: 'inherit' });
  child.on('exit', (code, signal) => {
    console.log(`[start] ${name} stopped (${signal ?? `exit code ${code}`}); stopping the rest.`);
    stopAll(code ?? 1);
  });
  return child;
}

const children: ChildProcess[] = [];
let stopping = false;
function stopAll(exitCode: number): void {
  if (stopping) return;
  stopping = true;
  // The exit code stands even when the children are gone before the timer (which then never runs).
  process.exitCode = exitCode;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(exitCode), 3000).unref();
}

/** Whether something already listens on the port (on loopback, where the bot listens in local mode). */
function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'EADDRINUSE'));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(false)));
  });
}

async function main(): Promise<void> {
  // Checked before anything starts, so a taken port costs no Azurite and no playground (the bot checks again itself).
  if (await portInUse(Number(botPort))) {
    console.error(`[start] Port ${botPort} is in use; set PORT to another port (for example PORT=${Number(botPort) + 1} npm start).`);
    process.exit(1);
  }
  // DEP0111: restify loads spdy, whose http-deceiver reads process.binding('http_parser') at start; nothing the app
  // does with it is affected, so the warning is silenced rather than shown to everyone who starts the bot.
  children.push(start('bot', process.execPath, ['--disable-warning=DEP0111', path.join(root, 'dist/src/index.js')], { SAMPLE_EVENTS: 'on', ...process.env, PORT: botPort }));
  children.push(
    start(
      'Agents Playground',
      path.join(root, 'node_modules/.bin/agentsplayground'),
      ['-e', `http://127.0.0.1:${botPort}/api/messages`, '-c', 'msteams', '-p', playgroundPort, '--disable-telemetry'],
      // The playground would open a browser itself; the link below is printed instead, which also works on a headless machine.
      { ...process.env, TEAMSAPPTESTER_BROWSER: 'none' },
    ),
  );
  console.log(`[start] Chat with the bot in the Agents Playground: http://localhost:${playgroundPort}`);
  console.log(`[start] The tabs, with the development sign-in: http://127.0.0.1:${botPort}/tabs/mine-saker and http://127.0.0.1:${botPort}/tabs/forvaltning`);
}

process.once('SIGINT', () => stopAll(0));
process.once('SIGTERM', () => stopAll(0));
void main();
