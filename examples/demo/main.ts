/**
 * The `npm start` demo: a host CRM page with <cd-desk> on the team server (HTTP adapter), so
 * windows signed in as different agents share one desk; `?backend=embedded` runs it all in the
 * browser instead. `?server=<url>` names the server (default: this host, port 8787).
 */
import { createDeskClient, type DeskClient } from 'converse-desk';
import { EmbeddedBackend } from 'converse-desk/embedded';
import { withTabLeader } from 'converse-desk/offline';
import '../../components/index.js';
import { createDemoClock } from './demo-clock.js';
import { demoHistory, demoSeed } from './seed.js';
import { serverBackend } from './server-backend.js';
import './phone-simulator.js';
import type { DemoPhoneSimulator } from './phone-simulator.js';

const DATABASE = 'converse-desk-demo';
const OFFSET_KEY = 'converse-desk-demo-time-offset';
// Time jumps from the simulator survive a reload, so the demo's clock never goes backwards.
const clock = createDemoClock(Number(localStorage.getItem(OFFSET_KEY) ?? 0), (offset) =>
  localStorage.setItem(OFFSET_KEY, String(offset)),
);
const params = new URLSearchParams(location.search);
const embedded = params.get('backend') === 'embedded';
const server = embedded
  ? undefined
  : serverBackend(params.get('server') ?? `http://${location.hostname}:8787`);
const backend = await EmbeddedBackend.open({
  ...(embedded && { databaseName: DATABASE }),
  clock,
});
if (embedded && !backend.seeded) {
  await backend.seed(demoSeed);
  // The history arrived over the last few hours.
  clock.jump(-demoHistory.length * 40 * 60_000);
  for (const message of demoHistory) {
    await backend.simulateIncoming(message);
    clock.jump(40 * 60_000);
  }
  await backend.flush();
}

const desk = document.querySelector('cd-desk')!;
const who = document.querySelector<HTMLSelectElement>('#user')!;
const simulator = document.querySelector<DemoPhoneSimulator>('demo-phone-simulator')!;
simulator.backend = (server?.simulator ?? backend) as EmbeddedBackend;
simulator.clock = clock;
simulator.senders = demoSeed.senders;

let client: DeskClient | undefined;
async function signIn(userId: string) {
  client?.disconnect();
  if (server) {
    client = server.connect(userId);
  } else {
    // Tabs of the demo share their events: a second tab sees what the first did.
    const adapter = withTabLeader(backend.connect(userId), {
      scope: `${DATABASE}:${userId}`,
      mode: 'share',
    });
    client = createDeskClient({ adapter, clock });
  }
  await client.connect();
  desk.client = client;
  localStorage.setItem('converse-desk-demo-user', userId);
}

for (const user of demoSeed.users) who.add(new Option(user.name, user.id));
who.value = localStorage.getItem('converse-desk-demo-user') ?? 'ada';
who.addEventListener('change', () => void signIn(who.value));
document.querySelector('#reset')!.addEventListener('click', async () => {
  await backend.close();
  localStorage.removeItem(OFFSET_KEY);
  indexedDB.deleteDatabase(DATABASE);
  location.reload();
});
desk.addEventListener('cd-notification', (event) =>
  console.info('notification', (event as CustomEvent).detail),
);
await signIn(who.value);
