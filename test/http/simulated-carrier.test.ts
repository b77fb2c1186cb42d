/**
 * The reference server's phone simulator writes through the simulated carrier's signed webhook
 * (`POST /webhooks/simulator`), the same verification and pipeline as Twilio's and Meta's: a
 * customer's message and STOP reach the engine that way; `/simulate/*` needs a signed-in user; a
 * webhook without the carrier's signature is refused and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../examples/server/server.js';
import { PHONE } from '../support/seed.js';
import { testServer } from './support.js';

let server: RunningServer;
beforeAll(async () => {
  server = await testServer();
});
afterAll(() => server.close());

const write = (text: string, from: string, token: string | null = 'alice') =>
  fetch(`${server.url}/simulate/incoming`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token && { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify({ senderId: 'alice-sms', from, text }),
  });

describe('reference server: the phone simulator through the simulated carrier', () => {
  it("a customer's message is signed, verified, and routed by the engine", async () => {
    const response = await write('Is my order ready?', PHONE.eli);
    expect(response.status).toBe(201);
    const { conversation, message, routing } = await response.json();
    expect(routing.rule).toMatch(/^RT[1-5]$/);
    expect(message).toMatchObject({ direction: 'in', text: 'Is my order ready?' });
    const { items } = await server.backend.connect('alice').listMessages(conversation.id);
    expect(items.map((m) => m.text)).toEqual(['Is my order ready?']);
  });

  it('SN5: STOP from the simulator opts the number out; START lifts it', async () => {
    expect((await write('STOP', PHONE.unknown)).status).toBe(201);
    const api = server.backend.connect('alice');
    expect((await api.getRecipient(PHONE.unknown)).optedOut).toEqual(['sms']);
    expect((await write('START', PHONE.unknown)).status).toBe(201);
    expect((await api.getRecipient(PHONE.unknown)).optedOut).toEqual([]);
  });

  it('/simulate/* needs a signed-in user; a bad field is still invalid_input', async () => {
    const anonymous = await write('Hi', PHONE.eli, null);
    expect(anonymous.status).toBe(401);
    const stats = await fetch(`${server.url}/simulate/stats`);
    expect(stats.status).toBe(401);
    const bad = await fetch(`${server.url}/simulate/incoming`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer alice' },
      body: JSON.stringify({ senderId: 'alice-sms', from: PHONE.eli, text: 42 }),
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe('invalid_input');
  });

  it("a webhook without the simulator's signature is refused with 403 and stores nothing", async () => {
    const api = server.backend.connect('alice');
    const before = (await api.listConversations()).items.length;
    const body = JSON.stringify({
      type: 'message',
      id: 'sim-in-forged',
      channel: 'sms',
      from: '+14155550123',
      to: '+14155550100',
      text: 'Forged',
    });
    for (const signature of [undefined, '00'.repeat(32)]) {
      const response = await fetch(`${server.url}/webhooks/simulator`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(signature && { 'x-simulator-signature': signature }),
        },
        body,
      });
      expect(response.status).toBe(403);
    }
    expect((await api.listConversations()).items).toHaveLength(before);
  });
});
