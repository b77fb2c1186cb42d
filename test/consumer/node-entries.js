/**
 * The Node entries of the installed package (`npm run test:consumer`, after the browser checks):
 * the engine over the memory repository, the conformance suite on the embedded backend (the
 * README's example, run with node:test), the server on PGlite in memory (the README's example),
 * and the `converse-desk-server` bin as the README starts it.
 */
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { readmeBlock } from './expectations.js';

const SECRET = 'consumer-test-secret-consumer-test-secret';

/** A small account: an admin, one standard user and her SMS sender ID. */
const ACCOUNT = {
  users: [
    { id: 'ada', name: 'Ada', role: 'admin', portalLicense: true },
    { id: 'sam', name: 'Sam', role: 'standard', portalLicense: true },
  ],
  senders: [
    {
      id: 'sam-sms',
      channel: 'sms',
      address: '+14155550001',
      label: 'Sam SMS',
      access: { type: 'owned', userId: 'sam' },
    },
  ],
  settings: { defaultAdminId: 'ada' },
};

const ENGINE = `
import { createDeskEngine, createMemoryRepository, reaches, eventFor } from 'converse-desk/engine';
import { readFileSync } from 'node:fs';

const { users, senders, settings } = JSON.parse(readFileSync('account.json', 'utf8'));
const heard = [];
const engine = createDeskEngine({
  repository: createMemoryRepository(),
  clock: { now: Date.now, setTimeout, clearTimeout },
  provider: { dispatch: (message) => heard.push('dispatch ' + message.text) },
  publish: ({ event, audience }) => {
    for (const user of users) {
      if (reaches(audience, user)) heard.push(user.id + ' ' + eventFor(event, user.id).type);
    }
  },
});
await engine.seed({ users, senders, settings });
const { conversation } = await engine.receive({ senderId: 'sam-sms', from: '+14155550101', text: 'Hi' });
const result = await engine.send('sam', {
  idempotencyKey: 'k1',
  target: { conversationId: conversation.id },
  content: { text: 'Hello' },
});
let refused = 'accepted';
try {
  await engine.assign('sam', [conversation.id], 'sam');
} catch (error) {
  refused = error.code;
}
await new Promise((r) => setTimeout(r, 10));
console.log(JSON.stringify({ owner: conversation.ownerId, status: result.message.status, refused, heard }));
`;

/** Runs `command` in the app; resolves to its exit code and output. */
function run(app, command, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: app, env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

export async function checkNodeEntries({ app, repo, check, write }) {
  console.log('--- Node entries');
  write('account.json', JSON.stringify(ACCOUNT));

  write('engine.mjs', ENGINE);
  const engine = await run(app, process.execPath, ['engine.mjs']);
  let facts = {};
  try {
    facts = JSON.parse(engine.out.trim().split('\n').at(-1));
  } catch {
    /* reported below */
  }
  const heard = facts.heard ?? [];
  check(
    engine.code === 0 &&
      facts.owner === 'sam' &&
      facts.status === 'queued' &&
      facts.refused === 'forbidden' &&
      heard.includes('sam message.created') &&
      heard.includes('ada message.created') &&
      heard.includes('dispatch Hello'),
    `converse-desk/engine: a command over the memory repository routes (RT1), sends, refuses (U2) and publishes to its audience${engine.code === 0 ? '' : `:\n${engine.out}`}`,
  );

  write('conformance.test.js', readmeBlock(repo, '### Conformance suite', 'js'));
  const suite = await run(app, process.execPath, ['--test', 'conformance.test.js']);
  const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(suite.out)?.[1]);
  check(
    suite.code === 0 && count('pass') >= 40 && count('fail') === 0,
    `converse-desk/conformance: the README's suite on the embedded backend passes under node:test (${count('pass')} passed, ${count('fail')} failed)${suite.code === 0 ? '' : `:\n${suite.out.slice(-3000)}`}`,
  );

  write('server.mjs', readmeBlock(repo, '## Server (`converse-desk/server`)', 'js'));
  const server = await run(app, process.execPath, ['server.mjs'], { DESK_JWT_SECRET: SECRET });
  check(
    server.code === 0 && /^health 200 \{"ok":true\}$/m.test(server.out),
    `converse-desk/server: the README's example starts it on PGlite in memory, /health answers, it closes${server.code === 0 ? '' : `:\n${server.out}`}`,
  );

  // As the README's quick start runs it, and as its deploy section does at high rates.
  await checkBin(app, check, join(app, 'node_modules/.bin/converse-desk-server'), []);
  await checkBin(app, check, process.execPath, [
    '--initial-old-space-size=256',
    'node_modules/converse-desk/bin/converse-desk-server.js',
  ]);
  // The installed bin is the package's, not the repository's.
  const bin = execFileSync('npm', ['exec', '--', 'which', 'converse-desk-server'], {
    cwd: app,
    encoding: 'utf8',
  }).trim();
  check(
    bin.startsWith(join(app, 'node_modules')),
    `converse-desk-server resolves in the app (${bin})`,
  );
}

/**
 * `DESK_JWT_SECRET=… DESK_SEED=account.json npx converse-desk-server`, as the README says, with
 * `PORT=0` and `DESK_DATA_DIR=memory://` (its configuration table): the installed bin itself
 * (npx would stand between it and the signal), or node with flags and the bin's file.
 */
async function checkBin(app, check, command, args) {
  const env = {
    ...process.env,
    DESK_JWT_SECRET: SECRET,
    DESK_SEED: 'account.json',
    PORT: '0',
    DESK_DATA_DIR: 'memory://',
    LOG_LEVEL: 'warn',
  };
  const child = spawn(command, args, { cwd: app, env });
  let out = '';
  const exited = new Promise((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), 60_000);
    const read = (d) => {
      out += d;
      const found = /listening on (http:\/\/\S+)/.exec(out)?.[1];
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', () => resolve(undefined));
  });
  let health = '';
  if (url) {
    const answer = await fetch(`${url}/health`);
    health = `${answer.status} ${await answer.text()}`;
  }
  child.kill('SIGTERM');
  const { code } = await exited;
  check(
    health === '200 {"ok":true}' && code === 0,
    `${args.length ? `node ${args.join(' ')}` : 'npx converse-desk-server'} (PORT=0, DESK_DATA_DIR=memory://) answers /health (${health}) and exits 0 on SIGTERM (${code})${url ? '' : `:\n${out}`}`,
  );
}
