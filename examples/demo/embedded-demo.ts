/**
 * `?backend=embedded`: the whole desk in this browser (the embedded backend on IndexedDB), no
 * server. Tabs of the demo share their events, so a second tab sees what the first did; the
 * simulator's clock can jump forward.
 */
import { createDeskClient, type DeskClient } from 'converse-desk';
import { EmbeddedBackend } from 'converse-desk/embedded';
import { withTabLeader } from 'converse-desk/offline';
import { createDemoClock } from './demo-clock.js';
import { deleteDatabase, type DemoMode } from './demo-mode.js';
import { demoHistory, demoSeed } from './seed.js';

const DATABASE = 'converse-desk-demo';
const OFFSET_KEY = 'converse-desk-demo-time-offset';

export async function embeddedDemo(): Promise<DemoMode> {
  // Time jumps survive a reload, so the demo's clock never goes backwards.
  const clock = createDemoClock(Number(localStorage.getItem(OFFSET_KEY) ?? 0), (offset) =>
    localStorage.setItem(OFFSET_KEY, String(offset)),
  );
  const backend = await EmbeddedBackend.open({ databaseName: DATABASE, clock });
  if (!backend.seeded) {
    await backend.seed(demoSeed);
    // The history arrived over the last few hours.
    clock.jump(-demoHistory.length * 40 * 60_000);
    for (const message of demoHistory) {
      await backend.simulateIncoming(message);
      clock.jump(40 * 60_000);
    }
    await backend.flush();
  }
  let client: DeskClient | undefined;
  return {
    simulator: backend,
    clock,
    async signIn(userId) {
      client?.disconnect();
      const adapter = withTabLeader(backend.connect(userId), {
        scope: `${DATABASE}:${userId}`,
        mode: 'share',
      });
      client = createDeskClient({ adapter, clock });
      await client.connect();
      return client;
    },
    async reset() {
      client?.disconnect();
      await backend.close();
      localStorage.removeItem(OFFSET_KEY);
      await deleteDatabase(DATABASE);
    },
  };
}
