/** The seeded account on an embedded backend with a manual clock, and clients for its users. */
import {
  createDeskClient,
  createManualClock,
  type DeskClient,
  type ManualClock,
} from '../../src/index.js';
import { EmbeddedBackend, type SeedData } from '../../src/embedded/index.js';
import { seed, T0 } from './seed.js';

export { PHONE, seed, T0 } from './seed.js';

export interface Desk {
  clock: ManualClock;
  backend: EmbeddedBackend;
  client(userId: string): Promise<DeskClient>;
}

export async function createDesk(
  options: { databaseName?: string; seed?: SeedData } = {},
): Promise<Desk> {
  const clock = createManualClock(T0);
  let n = 0;
  const prefix = Math.random().toString(36).slice(2, 6); // ids stay unique across reloads
  const backend = await EmbeddedBackend.open({
    clock,
    databaseName: options.databaseName,
    createId: () => `${prefix}${++n}`,
  });
  // The account loads in the background (issue 11); `settle()` counts turns, so wait for it here.
  await backend.loaded;
  if (!backend.seeded) await backend.seed(options.seed ?? seed());
  return {
    clock,
    backend,
    async client(userId) {
      let k = 0;
      const client = createDeskClient({
        adapter: backend.connect(userId),
        clock,
        createKey: () => `${userId}-key${++k}`,
      });
      await client.connect();
      return client;
    },
  };
}

/** Runs pending backend commands (they are async) and server events into every client. */
export async function settle(...clients: DeskClient[]): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    for (const c of clients) await c.idle();
  }
}
