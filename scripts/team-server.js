/**
 * Starts the team server of the demo (examples/server/team-server.ts: demo mode, the simulated
 * carrier, PGlite in `DESK_DATA_DIR` or `.desk-data/`) as a child process and answers its URL
 * once it listens. Used by `npm start` and by the e2e tests, so both run it the same way.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** `env` is added to this process's environment (PORT 0 picks a free port). */
// PGlite's first start (initdb) takes seconds, minutes on a loaded machine.
export function startTeamServer({ env = {}, timeoutMs = 300_000, stderr = 'inherit' } = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'examples/server/team-server.ts'], {
    cwd: root,
    stdio: ['ignore', 'pipe', stderr],
    env: { LOG_LEVEL: 'warn', ...process.env, ...env },
  });
  const url = new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`team server: not listening after ${timeoutMs} ms; ${out}`));
    }, timeoutMs);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`team server exited (${code})${out ? `: ${out}` : ''}`));
    });
  });
  /** SIGTERM: the server ends its streams and closes the database; resolves when it exited. */
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { child, url, stop };
}
