/** The conformance suite against the embedded backend (engine + repository + simulated provider). */
import { describe, it } from 'vitest';
import { conformanceSuite } from 'converse-desk/conformance';
import { EmbeddedBackend } from 'converse-desk/embedded';

conformanceSuite(
  { describe, it },
  {
    async open(seed) {
      const backend = await EmbeddedBackend.open({
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
  'embedded backend conformance',
);
