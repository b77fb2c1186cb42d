import { describe, expect, it } from 'vitest';
import { routeIncoming } from '../src/rules/routing.js';
import type { Conversation, SenderId } from '../src/types.js';

const owned: SenderId = {
  id: 's1',
  channel: 'sms',
  address: '+1',
  label: 'A',
  access: { type: 'owned', userId: 'alice' },
};
const shared: SenderId = {
  id: 's2',
  channel: 'sms',
  address: '+2',
  label: 'T',
  access: { type: 'shared', userIds: ['alice', 'bob'] },
};
const conv = (patch: Partial<Conversation>): Conversation => ({
  id: 'c',
  senderId: 's2',
  channel: 'sms',
  customer: '+14155550101',
  ownerId: 'admin',
  unread: false,
  hasIncoming: true,
  lastActivityAt: 0,
  outgoingBy: [],
  createdAt: 0,
  revision: 1,
  ...patch,
});
const base = { defaultAdminId: 'admin', now: 1000 };

describe('routing (pure)', () => {
  it('RT1: a new number on an owned sender ID goes to its owner', () => {
    const r = routeIncoming({ ...base, sender: owned });
    expect(r).toMatchObject({
      rule: 'RT1',
      ownerId: 'alice',
      facts: { created: true, senderAccess: 'owned' },
    });
  });

  it('RT2: on a shared sender ID the sender of the last outgoing message owns the reply', () => {
    const existing = conv({ ownerId: 'bob', lastOutgoing: { by: 'bob', at: 500 } });
    const r = routeIncoming({ ...base, sender: shared, existing });
    expect(r).toMatchObject({
      rule: 'RT2',
      ownerId: 'bob',
      facts: { lastOutgoingBy: 'bob', lastOutgoingAt: 500 },
    });
  });

  it('RT3: a first message from a never-messaged number on a shared sender ID goes to the default admin', () => {
    const r = routeIncoming({ ...base, sender: shared, defaultAdminId: 'root' });
    expect(r).toMatchObject({ rule: 'RT3', ownerId: 'root', facts: { created: true } });
  });

  it('RT4: an assignment after the last outgoing message decides the owner', () => {
    const existing = conv({
      senderId: 's1',
      ownerId: 'bob',
      lastOutgoing: { by: 'alice', at: 500 },
      lastAssignment: { to: 'bob', by: 'admin', at: 600 },
    });
    const r = routeIncoming({ ...base, sender: owned, existing });
    expect(r).toMatchObject({
      rule: 'RT4',
      ownerId: 'bob',
      facts: { assignedTo: 'bob', lastOutgoingBy: 'alice' },
    });
  });

  it('RT4: an outgoing message after an assignment takes ownership back', () => {
    const existing = conv({
      lastOutgoing: { by: 'alice', at: 700 },
      lastAssignment: { to: 'bob', by: 'admin', at: 600 },
    });
    const r = routeIncoming({ ...base, sender: shared, existing });
    expect(r.ownerId).toBe('alice');
  });

  it('RT4: on an owned sender ID an admin who replied owns the next message', () => {
    const existing = conv({
      senderId: 's1',
      ownerId: 'admin',
      lastOutgoing: { by: 'admin', at: 700 },
    });
    const r = routeIncoming({ ...base, sender: owned, existing });
    expect(r).toMatchObject({ rule: 'RT4', ownerId: 'admin' });
  });

  it('C3: a reply to a campaign on a shared sender ID goes to the campaign sender (RT2)', () => {
    const r = routeIncoming({ ...base, sender: shared, campaign: { by: 'bob', at: 10 } });
    expect(r).toMatchObject({
      rule: 'RT2',
      ownerId: 'bob',
      facts: { campaign: true, created: true },
    });
  });
});
