import { describe, expect, it } from 'vitest';
import {
  STATUS_RANK,
  applyStatus,
  isFinal,
  retryMessage,
  type StatusUpdate,
} from '../../src/rules/status.js';
import type { Message, MessageStatus } from '../../src/types.js';
import { expectDeskError } from '../support/errors.js';

const T0 = Date.UTC(2025, 0, 6, 10, 0);

function message(overrides: Partial<Message> = {}): Message {
  return {
    id: 'm1',
    conversationId: 'c1',
    direction: 'out',
    text: 'Hello',
    media: [],
    status: 'queued',
    statusTimes: { queued: T0 },
    attempt: 1,
    createdAt: T0,
    ...overrides,
  };
}

/** Deep-frozen, so any mutation of the input throws in strict mode. */
function frozen(m: Message): Message {
  Object.freeze(m.statusTimes);
  Object.freeze(m.media);
  return Object.freeze(m);
}

const update = (status: MessageStatus, at: number, attempt = 1, reason?: string): StatusUpdate =>
  reason === undefined ? { status, at, attempt } : { status, at, attempt, reason };

function applyAll(m: Message, updates: StatusUpdate[], channel: 'sms' | 'whatsapp'): Message {
  return updates.reduce((acc, u) => applyStatus(acc, u, channel), m);
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

describe('applyStatus', () => {
  it('SN7: queued → sent → delivered → read on WhatsApp, recording when each was reached', () => {
    const m = frozen(message());
    const sent = applyStatus(m, update('sent', T0 + 1), 'whatsapp');
    const delivered = applyStatus(sent, update('delivered', T0 + 2), 'whatsapp');
    const read = applyStatus(delivered, update('read', T0 + 3), 'whatsapp');
    expect([sent.status, delivered.status, read.status]).toEqual(['sent', 'delivered', 'read']);
    expect(read.statusTimes).toEqual({ queued: T0, sent: T0 + 1, delivered: T0 + 2, read: T0 + 3 });
    expect(m.status).toBe('queued'); // the input is left alone
  });

  it('SN7: status never moves backwards, whatever order the updates arrive in (WhatsApp)', () => {
    const updates = [update('sent', T0 + 1), update('delivered', T0 + 2), update('read', T0 + 3)];
    for (const order of permutations(updates)) {
      const result = applyAll(frozen(message()), order, 'whatsapp');
      expect(result.status, order.map((u) => u.status).join('>')).toBe('read');
      expect(result.statusTimes.read).toBe(T0 + 3);
    }
  });

  it('SN7: status never moves backwards, whatever order the updates arrive in (SMS)', () => {
    const updates = [update('queued', T0), update('sent', T0 + 1), update('delivered', T0 + 2)];
    for (const order of permutations(updates)) {
      expect(applyAll(frozen(message()), order, 'sms').status).toBe('delivered');
    }
  });

  it('SN7: a backwards or repeated update returns the same object', () => {
    const delivered = frozen(
      message({ status: 'delivered', statusTimes: { queued: T0, delivered: T0 + 2 } }),
    );
    expect(applyStatus(delivered, update('sent', T0 + 5), 'sms')).toBe(delivered);
    expect(applyStatus(delivered, update('queued', T0 + 5), 'sms')).toBe(delivered);
    expect(applyStatus(delivered, update('delivered', T0 + 9), 'sms')).toBe(delivered);
    expect(delivered.statusTimes.delivered).toBe(T0 + 2);
  });

  it('SN7: jumping from queued to delivered does not invent a time for sent', () => {
    const result = applyStatus(frozen(message()), update('delivered', T0 + 2), 'sms');
    expect(result.status).toBe('delivered');
    expect(result.statusTimes).toEqual({ queued: T0, delivered: T0 + 2 });
    expect('sent' in result.statusTimes).toBe(false);
  });

  it('SN7: leaving queued clears the queue reason and the expected time', () => {
    const queued = frozen(message({ queueReason: 'business_hours', queuedUntil: T0 + 3600_000 }));
    const sent = applyStatus(queued, update('sent', T0 + 1), 'sms');
    expect(sent).not.toHaveProperty('queueReason');
    expect(sent).not.toHaveProperty('queuedUntil');
    const failed = applyStatus(queued, update('failed', T0 + 1), 'sms');
    expect(failed).not.toHaveProperty('queueReason');
    expect(failed).not.toHaveProperty('queuedUntil');
  });

  it('SN7: read is WhatsApp only; on SMS a read update is ignored', () => {
    const delivered = frozen(message({ status: 'delivered' }));
    expect(applyStatus(delivered, update('read', T0 + 3), 'sms')).toBe(delivered);
    expect(applyStatus(frozen(message()), update('read', T0 + 3), 'sms').status).toBe('queued');
    expect(applyStatus(delivered, update('read', T0 + 3), 'whatsapp').status).toBe('read');
  });

  it('SN7: failed is accepted from queued and from sent, with its reason', () => {
    const fromQueued = applyStatus(
      frozen(message()),
      update('failed', T0 + 1, 1, 'carrier rejected'),
      'sms',
    );
    expect(fromQueued).toMatchObject({ status: 'failed', failureReason: 'carrier rejected' });
    expect(fromQueued.statusTimes.failed).toBe(T0 + 1);
    const sent = frozen(message({ status: 'sent', statusTimes: { queued: T0, sent: T0 + 1 } }));
    const fromSent = applyStatus(sent, update('failed', T0 + 2, 1, 'unreachable'), 'whatsapp');
    expect(fromSent).toMatchObject({ status: 'failed', failureReason: 'unreachable' });
    expect(fromSent.statusTimes).toEqual({ queued: T0, sent: T0 + 1, failed: T0 + 2 });
  });

  it("SN7: a failure without a reason is stored as 'unknown'", () => {
    expect(applyStatus(frozen(message()), update('failed', T0 + 1), 'sms').failureReason).toBe(
      'unknown',
    );
    expect(
      applyStatus(frozen(message()), update('failed', T0 + 1, 1, ''), 'sms').failureReason,
    ).toBe('unknown');
  });

  it('SN7: a late failed after delivered or read is ignored', () => {
    const delivered = frozen(message({ status: 'delivered' }));
    const read = frozen(message({ status: 'read' }));
    expect(applyStatus(delivered, update('failed', T0 + 9, 1, 'late'), 'whatsapp')).toBe(delivered);
    expect(applyStatus(read, update('failed', T0 + 9, 1, 'late'), 'whatsapp')).toBe(read);
  });

  it('SN7: failed is final: later updates of the same attempt are ignored, even another failure', () => {
    const failed = frozen(
      message({
        status: 'failed',
        failureReason: 'first',
        statusTimes: { queued: T0, failed: T0 + 1 },
      }),
    );
    for (const status of ['queued', 'sent', 'delivered', 'read'] as const) {
      expect(applyStatus(failed, update(status, T0 + 5), 'whatsapp')).toBe(failed);
    }
    expect(applyStatus(failed, update('failed', T0 + 5, 1, 'second'), 'whatsapp')).toBe(failed);
  });

  it('SN7: updates of another attempt are ignored as stale', () => {
    const m = frozen(message({ attempt: 2 }));
    expect(applyStatus(m, update('sent', T0 + 1, 1), 'sms')).toBe(m);
    expect(applyStatus(m, update('failed', T0 + 1, 1), 'sms')).toBe(m);
    expect(applyStatus(m, update('sent', T0 + 1, 3), 'sms')).toBe(m);
    expect(applyStatus(m, update('sent', T0 + 1, 2), 'sms').status).toBe('sent');
  });

  it('SN7: an unknown status or an invalid time is refused with invalid_input', () => {
    const m = frozen(message());
    expectDeskError(
      () => applyStatus(m, { status: 'bounced' as MessageStatus, at: T0, attempt: 1 }, 'sms'),
      'invalid_input',
    );
    expectDeskError(
      () => applyStatus(m, { status: 'toString' as MessageStatus, at: T0, attempt: 1 }, 'sms'),
      'invalid_input',
    );
    expectDeskError(() => applyStatus(m, update('sent', Number.NaN), 'sms'), 'invalid_input');
  });
});

describe('retryMessage', () => {
  it('SN7: a failed message goes back to queued as a new attempt, without its failure', () => {
    const failed = frozen(
      message({
        status: 'failed',
        failureReason: 'unreachable',
        statusTimes: { queued: T0, sent: T0 + 1, failed: T0 + 2 },
      }),
    );
    const retried = retryMessage(failed, T0 + 100);
    expect(retried).toMatchObject({ id: 'm1', status: 'queued', attempt: 2 });
    expect(retried.statusTimes).toEqual({ queued: T0 + 100 });
    expect(retried).not.toHaveProperty('failureReason');
    expect(failed.status).toBe('failed');
  });

  it('SN7: after a retry, updates of the old attempt are stale and the new attempt moves on', () => {
    const failed = frozen(message({ status: 'failed', failureReason: 'x' }));
    const retried = frozen(retryMessage(failed, T0 + 100));
    expect(applyStatus(retried, update('delivered', T0 + 101, 1), 'sms')).toBe(retried);
    const sent = applyStatus(retried, update('sent', T0 + 102, 2), 'sms');
    expect(sent.status).toBe('sent');
    expect(sent.statusTimes).toEqual({ queued: T0 + 100, sent: T0 + 102 });
  });

  it('SN7: only a failed message can be retried (not_retryable)', () => {
    for (const status of ['queued', 'sent', 'delivered', 'read'] as const) {
      const error = expectDeskError(() => retryMessage(message({ status }), T0), 'not_retryable');
      expect(error.details).toMatchObject({ messageId: 'm1', status });
    }
  });

  it('SN7: a retry needs a valid time', () => {
    expectDeskError(() => retryMessage(message({ status: 'failed' }), Number.NaN), 'invalid_input');
  });
});

describe('isFinal and STATUS_RANK', () => {
  it('SN7: final means failed, read on WhatsApp, or delivered on SMS', () => {
    const cases: Array<[MessageStatus, boolean, boolean]> = [
      // status, final on SMS, final on WhatsApp
      ['queued', false, false],
      ['sent', false, false],
      ['delivered', true, false],
      ['read', true, true],
      ['failed', true, true],
    ];
    for (const [status, sms, whatsapp] of cases) {
      expect(isFinal(message({ status }), 'sms'), `${status} on SMS`).toBe(sms);
      expect(isFinal(message({ status }), 'whatsapp'), `${status} on WhatsApp`).toBe(whatsapp);
    }
  });

  it('SN7: the rank orders queued < sent < delivered < read and cannot be changed', () => {
    expect(STATUS_RANK.queued).toBeLessThan(STATUS_RANK.sent);
    expect(STATUS_RANK.sent).toBeLessThan(STATUS_RANK.delivered);
    expect(STATUS_RANK.delivered).toBeLessThan(STATUS_RANK.read);
    expect(Object.isFrozen(STATUS_RANK)).toBe(true);
  });
});
