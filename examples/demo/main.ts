/**
 * The `npm start` demo: a host CRM page with <cd-desk> on the team server (HTTP adapter), so
 * windows signed in as different agents share one desk; `?backend=embedded` runs it all in the
 * browser instead. `?server=<url>` names the server (default: this host, port 8787);
 * `?user=sam` signs in as Sam (each window keeps its own agent in its address).
 */
import type { DeskClient } from 'converse-desk';
import 'converse-desk/components';
import type { DemoMode } from './demo-mode.js';
import { demoSeed } from './seed.js';
import { serverDemo } from './server-backend.js';
import './phone-simulator.js';
import type { DemoPhoneSimulator } from './phone-simulator.js';

const params = new URLSearchParams(location.search);
const embedded = params.get('backend') === 'embedded';
const reload = () => location.reload();
// The embedded backend is loaded only when asked for.
const mode: DemoMode = embedded
  ? await (await import('./embedded-demo.js')).embeddedDemo()
  : serverDemo(params.get('server') ?? `http://${location.hostname}:8787`, reload);

const desk = document.querySelector('cd-desk')!;
const who = document.querySelector<HTMLSelectElement>('#user')!;
const simulator = document.querySelector<DemoPhoneSimulator>('demo-phone-simulator')!;
simulator.backend = mode.simulator;
simulator.clock = mode.clock;
simulator.senders = demoSeed.senders;
document.querySelector('#mode')!.textContent = embedded
  ? 'In this browser only (embedded backend)'
  : 'On the team server: other windows share this desk';

let client: DeskClient | undefined;
async function signIn(userId: string) {
  client = await mode.signIn(userId);
  desk.client = client;
  // In the address, so a reload keeps this window's agent and another window can be someone else.
  params.set('user', userId);
  history.replaceState(null, '', `?${params}`);
}

for (const user of demoSeed.users) who.add(new Option(user.name, user.id));
const asked = params.get('user');
who.value = demoSeed.users.some((u) => u.id === asked) ? asked! : 'ada';
who.addEventListener('change', () => void signIn(who.value));
const reset = document.querySelector<HTMLButtonElement>('#reset')!;
reset.title = embedded
  ? 'Deletes this browser’s demo database and starts again'
  : 'Puts the team server’s demo data back as it was; every window reloads';
reset.addEventListener('click', async () => {
  reset.disabled = true;
  try {
    await mode.reset();
    reload();
  } catch (error) {
    reset.disabled = false;
    document.querySelector('#mode')!.textContent = `Reset failed: ${String(error)}`;
  }
});
desk.addEventListener('cd-notification', (event) =>
  console.info('notification', (event as CustomEvent).detail),
);
await signIn(who.value);
