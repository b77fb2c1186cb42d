/**
 * RT5: the records routing builds have the shapes whose number fields the engine shares
 * (src/engine/number-fields.ts): the same keys in the same order, or the sharing silently stops.
 */
import { describe, expect, it } from 'vitest';
import { createDeskEngine, createMemoryRepository } from 'converse-desk/engine';
import { createManualClock } from '../src/index.js';
import { shareNumberFields } from '../src/engine/number-fields.js';
import { routeIncoming } from '../src/rules/routing.js';
import { PHONE, seed, T0 } from './support/desk.js';

describe('number fields shared by routing', () => {
  it('RT5: a routed message, its status times, preview and conversation have the samples’ keys in order', async () => {
    const desk = createDeskEngine({
      repository: createMemoryRepository(),
      clock: createManualClock(T0),
    });
    await desk.seed(seed());
    const samples = shareNumberFields();
    for (const text of ['Hi', 'Again']) {
      // The first message makes the conversation, the second finds it: both build the same shapes.
      const { message, conversation } = await desk.receive({
        senderId: 'alice-sms',
        from: PHONE.dana,
        text,
      });
      expect(Object.keys(message)).toEqual(Object.keys(samples.message));
      expect(Object.keys(message.statusTimes)).toEqual(Object.keys(samples.statusTimes));
      expect(Object.keys(conversation.lastMessage!)).toEqual(Object.keys(samples.preview));
      expect(Object.keys(conversation)).toEqual(Object.keys(samples.conversation));
      expect(conversation.lastActivityAt).toBe(message.createdAt);
      expect(conversation.lastIncomingAt).toBe(message.createdAt);
      expect(Object.keys(conversation.routing!)).toEqual(Object.keys(samples.explanation));
    }
  });

  it('RT1–RT3: decisions that depend on the access only share frozen facts; others get their own', () => {
    const sender = {
      id: 's',
      channel: 'sms' as const,
      address: '+1',
      label: 'S',
      access: { type: 'shared' as const, userIds: ['a'] },
    };
    const first = routeIncoming({ sender, defaultAdminId: 'admin', now: 1 });
    const again = routeIncoming({ sender, defaultAdminId: 'admin', now: 2 });
    expect(first.facts).toEqual({ senderAccess: 'shared', created: true });
    expect(again.facts).toBe(first.facts);
    expect(Object.isFrozen(first.facts)).toBe(true);
    const campaign = routeIncoming({
      sender,
      defaultAdminId: 'admin',
      now: 3,
      campaign: { by: 'a', at: 0 },
    });
    expect(campaign.facts).toEqual({
      senderAccess: 'shared',
      created: true,
      campaign: true,
      lastOutgoingBy: 'a',
      lastOutgoingAt: 0,
    });
    expect(Object.isFrozen(campaign.facts)).toBe(false);
  });
});
