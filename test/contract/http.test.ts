/** The conformance suite against the HTTP adapter, talking to the reference server in process. */
import { describe, it } from 'vitest';
import { startServer } from '../../examples/server/server.js';
import { conformanceSuite } from 'converse-desk/conformance';
import { adapterFor } from '../http/support.js';

conformanceSuite(
  { describe, it },
  {
    async open(seed) {
      const server = await startServer({
        port: 0,
        seed,
        statusDelayMs: 1,
        heartbeatMs: 60_000,
        reconnectMs: 10,
      });
      const adapters: Array<{ close?: () => void }> = [];
      return {
        connect(userId) {
          const adapter = adapterFor(server.url, userId);
          adapters.push(adapter as { close?: () => void });
          return adapter;
        },
        receive: (input) => server.backend.simulateIncoming(input),
        campaign: (input) => server.backend.sendCampaign(input),
        settle: () => new Promise((resolve) => setTimeout(resolve, 50)),
        async close() {
          for (const adapter of adapters) adapter.close?.();
          await server.close();
        },
      };
    },
  },
  'HTTP adapter on the reference server conformance',
);
