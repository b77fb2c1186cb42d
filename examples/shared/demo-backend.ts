/** The demo's embedded backend, shared by the host examples (one IndexedDB database per page). */
import { createDeskClient, type DeskClient } from 'converse-desk';
import { EmbeddedBackend } from 'converse-desk/embedded';
import { demoHistory, demoSeed } from '../demo/seed.js';

export async function openDemoBackend(databaseName: string): Promise<EmbeddedBackend> {
  const backend = await EmbeddedBackend.open({ databaseName });
  if (!backend.seeded) {
    await backend.seed(demoSeed);
    for (const message of demoHistory) await backend.simulateIncoming(message);
    await backend.flush();
  }
  return backend;
}

export async function connectDemoUser(
  backend: EmbeddedBackend,
  userId: string,
): Promise<DeskClient> {
  const client = createDeskClient({ adapter: backend.connect(userId) });
  await client.connect();
  return client;
}
