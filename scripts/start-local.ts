/**
 * `npm start`: the bot (which starts its own Azurite storage) and the
 * Microsoft 365 Agents Playground, the offline Teams-like client, together.
 * Ctrl+C stops both; if either stops, so does the other.
 */
import { spawn, type ChildProcess } from 'node:child_process';
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
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(exitCode), 3000).unref();
}

children.push(start('bot', process.execPath, [path.join(root, 'dist/src/index.js')], { ...process.env, PORT: botPort }));
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

process.once('SIGINT', () => stopAll(0));
process.once('SIGTERM', () => stopAll(0));
