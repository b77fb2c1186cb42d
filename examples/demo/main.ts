/** The `npm start` demo: a host CRM page with <cd-desk> on the embedded backend. */
import { createDeskClient, type DeskClient } from 'converse-desk';
import { EmbeddedBackend } from 'converse-desk/embedded';
import '../../components/index.js';
import { createDemoClock } from './demo-clock.js';
import { demoHistory, demoSeed } from './seed.js';
import './phone-simulator.js';
import type { DemoPhoneSimulator } from './phone-simulator.js';

const DATABASE = 'converse-desk-demo';
const clock = createDemoClock();
const backend = await EmbeddedBackend.open({ databaseName: DATABASE, clock });
if (!backend.seeded) {
  await backend.seed(demoSeed);
  for (const message of demoHistory) await backend.simulateIncoming(message);
  await backend.flush();
}

const desk = document.querySelector('cd-desk')!;
const who = document.querySelector<HTMLSelectElement>('#user')!;
const simulator = document.querySelector<DemoPhoneSimulator>('demo-phone-simulator')!;
simulator.backend = backend;
simulator.clock = clock;
simulator.senders = demoSeed.senders;

let client: DeskClient | undefined;
async function signIn(userId: string) {
  client?.disconnect();
  client = createDeskClient({ adapter: backend.connect(userId), clock });
  await client.connect();
  desk.client = client;
  localStorage.setItem('converse-desk-demo-user', userId);
}

for (const user of demoSeed.users) who.add(new Option(user.name, user.id));
who.value = localStorage.getItem('converse-desk-demo-user') ?? 'ada';
who.addEventListener('change', () => void signIn(who.value));
document.querySelector('#reset')!.addEventListener('click', async () => {
  await backend.close();
  indexedDB.deleteDatabase(DATABASE);
  location.reload();
});
desk.addEventListener('cd-notification', (event) =>
  console.info('notification', (event as CustomEvent).detail),
);
await signIn(who.value);
