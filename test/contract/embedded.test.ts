/**
 * The conformance suite against the embedded backend (engine + repository + simulated provider),
 * in memory and over IndexedDB (fake-indexeddb: messages read from the database, the first screen
 * answered before the account has loaded, issue 11).
 */
import 'fake-indexeddb/auto';
import { describe, it } from 'vitest';
import { conformanceSuite } from 'converse-desk/conformance';
import { EmbeddedBackend } from 'converse-desk/embedded';

let n = 0;

for (const [title, database] of [
  ['embedded backend conformance', false],
  ['embedded backend conformance over IndexedDB', true],
] as const) {
  conformanceSuite(
    { describe, it },
    {
      async open(seed) {
        const backend = await EmbeddedBackend.open({
          databaseName: database ? `conformance-${++n}-${Math.random()}` : undefined,
          provider: { sentAfterMs: 1, deliveredAfterMs: 2, readAfterMs: 3 },
        });
        await backend.seed(seed);
        return {
          connect: (userId) => backend.connect(userId),
          receive: (input) => backend.simulateIncoming(input),
          campaign: (input) => backend.sendCampaign(input),
          settle: () => new Promise((resolve) => setTimeout(resolve, 20)),
          close: () => backend.close(),
        };
      },
    },
    title,
  );
}
