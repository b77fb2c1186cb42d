/**
 * The demo on the team server (`npm start`): tokens from the server's demo issuer, the desk
 * through the HTTP adapter, and the phone simulator's buttons as `/simulate/*` calls (signed in;
 * a customer's message, STOP included, is signed there by the simulated carrier and enters
 * through `/webhooks/simulator` like any carrier's webhook). Each
 * signed-in user gets its own adapter (and tab scope), so two windows as two agents share a desk.
 */
import { createDeskClient, type DeskClient } from 'converse-desk';
import type { EmbeddedBackend } from 'converse-desk/embedded';
import { createHttpAdapter, errorFromBody } from 'converse-desk/http';

/** What the phone simulator calls, over HTTP. */
export type SimulatorBackend = Pick<
  EmbeddedBackend,
  'simulateIncoming' | 'sendCampaign' | 'setConsent' | 'failNextSend' | 'setBusinessHours'
>;

export function serverBackend(baseUrl: string) {
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

  return {
    simulator,
    /** A desk client signed in as `user` on the server. */
    connect(user: string): DeskClient {
      userId = user;
      const adapter = createHttpAdapter({
        baseUrl,
        token: ({ refresh }) => token(user, refresh),
        cache: { databaseName: `converse-desk-demo-cache-${user}`, userId: user },
        outbox: { databaseName: `converse-desk-demo-outbox-${user}` },
        tabs: { scope: `converse-desk-demo-${user}` },
      });
      return createDeskClient({ adapter });
    },
  };
}
