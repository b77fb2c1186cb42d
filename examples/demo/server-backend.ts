/**
 * The demo on the team server (`npm start`): tokens from the server's demo issuer, the desk
 * through the HTTP adapter, and the phone simulator's buttons as `/simulate/*` calls (signed in;
 * a customer's message, STOP included, is signed there by the simulated carrier and enters
 * through `/webhooks/simulator` like any carrier's webhook). Each signed-in user gets its own
 * adapter (and tab scope), so two windows as two agents share a desk. The server keeps real
 * time: no clock to jump here.
 */
import { createDeskClient, type DeskClient } from 'converse-desk';
import { createHttpAdapter, errorFromBody, type HttpAdapter } from 'converse-desk/http';
import type { DemoMode } from './demo-mode.js';
import { deleteDatabase } from './demo-mode.js';
import type { SimulatorBackend } from './phone-simulator.js';

const databases = (user: string) => ({
  cache: `converse-desk-demo-cache-${user}`,
  outbox: `converse-desk-demo-outbox-${user}`,
});

/**
 * `onReset`: the server's data started again (the Reset button, here or in another window, or
 * a fresh data folder): what this page shows is gone, so it forgets its copy and reloads.
 */
export function serverBackend(baseUrl: string, onReset: () => void = () => undefined) {
  let userId = 'ada';
  const call = async (path: string, body: unknown, as = userId) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(path !== '/demo/token' && { authorization: `Bearer ${await token(as)}` }),
      },
      body: JSON.stringify(body),
    });
    const answer: unknown = await response.json().catch(() => null);
    if (!response.ok) throw errorFromBody(response.status, answer);
    return answer as never;
  };
  const tokens = new Map<string, Promise<string>>();
  const token = (user: string, refresh = false) => {
    if (refresh || !tokens.has(user)) {
      const next = call('/demo/token', { userId: user }).then((a: { token: string }) => a.token);
      next.catch(() => tokens.delete(user));
      tokens.set(user, next);
    }
    return tokens.get(user)!;
  };

  const simulator: SimulatorBackend = {
    simulateIncoming: (input) => call('/simulate/incoming', input),
    sendCampaign: (input) => call('/simulate/campaign', { input }),
    setConsent: (phone, consent) => call('/simulate/consent', { phone, consent }),
    failNextSend: (phone, reason) => call('/simulate/fail-next', { phone, reason }),
    setBusinessHours: (hours) => call('/simulate/business-hours', { hours }),
  };

  let current: { client: DeskClient; adapter: HttpAdapter; stop: () => void } | undefined;
  const signOut = async () => {
    const was = current;
    current = undefined;
    if (!was) return;
    was.stop();
    was.client.disconnect();
    await was.adapter.close();
  };

  return {
    simulator,
    /** A desk client signed in as `user` on the server. */
    connect(user: string): DeskClient {
      userId = user;
      const names = databases(user);
      const adapter = createHttpAdapter({
        baseUrl,
        token: ({ refresh }) => token(user, refresh),
        cache: { databaseName: names.cache, userId: user },
        outbox: { databaseName: names.outbox },
        tabs: { scope: `converse-desk-demo-${user}` },
      });
      const client = createDeskClient({ adapter });
      current = { client, adapter, stop: () => undefined };
      return client;
    },
    /** After `connect()` (the client subscribes first, with its options): calls `onReset`. */
    watchReset() {
      if (!current) return;
      current.stop = current.adapter.subscribe((event) => {
        if (event.type === 'reset') onReset();
      });
    },
    signOut,
    /** `POST /demo/reset`, then this window's copy of the old data goes. */
    async reset() {
      await call('/demo/reset', {});
      await forget();
    },
    forget,
  };

  /**
   * This user's copy of the old data goes. Only this user's: another window may be signed in as
   * someone else, and a deleted database is closed under it. Another user's copy left here is
   * found out when that user next loads (the server answers its old position with `reset`).
   */
  async function forget() {
    const user = userId;
    await signOut();
    const names = databases(user);
    await Promise.all([deleteDatabase(names.cache), deleteDatabase(names.outbox)]);
  }
}

/** The demo page's mode on the team server at `baseUrl`; `reload` after a reset anywhere. */
export function serverDemo(baseUrl: string, reload: () => void): DemoMode {
  let forgetting: Promise<void> | undefined;
  const server = serverBackend(baseUrl, () => {
    forgetting ??= server.forget().then(reload);
  });
  return {
    simulator: server.simulator,
    async signIn(userId) {
      await server.signOut();
      const client = server.connect(userId);
      await client.connect();
      server.watchReset();
      return client;
    },
    reset: server.reset,
  };
}
