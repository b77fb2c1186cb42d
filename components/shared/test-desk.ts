/** Test support for the elements: a seeded embedded backend and a connected client. */
import {
  createDeskClient,
  createManualClock,
  type DeskClient,
  type ManualClock,
} from '../../src/index.js';
import { EmbeddedBackend } from '../../src/embedded/index.js';
import { seed } from '../../test/support/seed.js';

export { createDeskClient };

export async function EmbeddedBackendForTests(
  userId: string,
  options: { clock?: ManualClock } = {},
): Promise<{
  client: DeskClient;
  backend: EmbeddedBackend;
  clock: ManualClock;
  connect(userId: string): Promise<DeskClient>;
}> {
  const clock = options.clock ?? createManualClock(Date.UTC(2026, 10, 23, 15, 0));
  const backend = await EmbeddedBackend.open({ clock });
  await backend.seed(seed());
  const connect = async (id: string) => {
    const client = createDeskClient({ adapter: backend.connect(id), clock });
    await client.connect();
    return client;
  };
  return { client: await connect(userId), backend, clock, connect };
}
