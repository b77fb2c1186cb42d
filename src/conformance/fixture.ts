/** The conformance suite's account, its assertions (no test framework needed), and helpers. */
import type { BackendAdapter, ServerEvent } from '../adapter.js';
import { isDeskError, type DeskErrorCode } from '../errors.js';
import type { SeedData } from '../engine/commands/directory.js';
import type { Media, User } from '../types.js';

export const PHONE = {
  dana: '+14155550101',
  eli: '+14155550102',
  fay: '+447911123456',
  gus: '+14155550103',
  unknown: '+14155550199',
};

const user = (id: string, role: User['role'], portalLicense = true): User => ({
  id,
  name: id[0]!.toUpperCase() + id.slice(1),
  role,
  portalLicense,
});

/** One admin, three standard users; owned and shared sender IDs on both channels. */
export function conformanceSeed(): SeedData {
  return {
    users: [
      user('admin', 'admin'),
      user('alice', 'standard'),
      user('bob', 'standard'),
      user('carol', 'standard', false),
    ],
    senders: [
      {
        id: 'alice-sms',
        channel: 'sms',
        address: '+14155550001',
        label: 'Alice SMS',
        access: { type: 'owned', userId: 'alice' },
      },
      {
        id: 'bob-wa',
        channel: 'whatsapp',
        address: '+14155550002',
        label: 'Bob WhatsApp',
        access: { type: 'owned', userId: 'bob' },
      },
      {
        id: 'team-sms',
        channel: 'sms',
        address: '+14155550003',
        label: 'Team SMS',
        access: { type: 'shared', userIds: ['alice', 'bob'] },
      },
      {
        id: 'team-wa',
        channel: 'whatsapp',
        address: '+14155550004',
        label: 'Team WhatsApp',
        access: { type: 'shared', userIds: ['alice', 'bob'] },
      },
    ],
    settings: { defaultAdminId: 'admin' },
    contacts: [
      { id: 'c-dana', phone: PHONE.dana, firstName: 'Dana', lastName: 'Díaz' },
      { id: 'c-eli', phone: PHONE.eli, firstName: 'Eli', lastName: '' },
    ],
    templates: [
      {
        id: 't-wa-hello',
        name: 'Hello',
        type: 'conversation',
        channel: 'whatsapp',
        registered: true,
        body: 'Hi {{contact.firstName}}, how can we help?',
      },
      {
        id: 't-sms-hi',
        name: 'SMS hi',
        type: 'conversation',
        channel: 'sms',
        registered: false,
        body: 'Hi {{contact.firstName}}!',
      },
      {
        id: 't-sms-promo',
        name: 'Promo',
        type: 'campaign',
        channel: 'sms',
        registered: false,
        body: 'Sale today',
      },
    ],
    recipients: [
      { phone: PHONE.dana, whatsappConsent: true, optedOut: [] },
      { phone: PHONE.fay, whatsappConsent: false, optedOut: ['sms'] },
    ],
  };
}

/** Business hours that are closed now and open in about six hours, every day (SN6). */
export function closedNowSeed(now = Date.now()): SeedData {
  const opens = new Date(now + 6 * 3_600_000);
  const hh = String(opens.getUTCHours()).padStart(2, '0');
  const slot: [string, string] = [`${hh}:00`, `${hh}:30`];
  const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
  const base = conformanceSeed();
  return {
    ...base,
    settings: {
      ...base.settings,
      businessHours: { timeZone: 'UTC', weekly: Object.fromEntries(days.map((d) => [d, [slot]])) },
    },
  };
}

export class ConformanceError extends Error {
  override readonly name = 'ConformanceError';
}

export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new ConformanceError(message);
}

export function equal<T>(actual: T, expected: T, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new ConformanceError(`${what}: expected ${e}, got ${a}`);
}

/** The promise rejects with `DeskError(code)`. */
export async function refuses(promise: Promise<unknown>, code: DeskErrorCode, what: string) {
  let error: unknown;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  check(error !== undefined, `${what}: expected DeskError('${code}'), but it succeeded`);
  check(isDeskError(error), `${what}: expected DeskError('${code}'), got ${String(error)}`);
  equal(error.code, code, `${what}: error code`);
}

/** Polls until `condition` holds (events and provider updates cross real I/O on a server). */
export async function eventually(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 3000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new ConformanceError(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Records the events a user receives. */
export function recordEvents(adapter: BackendAdapter): { events: ServerEvent[]; stop(): void } {
  const events: ServerEvent[] = [];
  const stop = adapter.subscribe((event) => events.push(event));
  return { events, stop };
}

/** C2: every function an object offers: its own keys and those up its prototype chain. */
export function operationNames(adapter: object): string[] {
  const names = new Set<string>();
  for (let o: object | null = adapter; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const key of Object.getOwnPropertyNames(o)) {
      if (typeof Object.getOwnPropertyDescriptor(o, key)?.value === 'function') names.add(key);
    }
  }
  return [...names];
}

/** C2: the names an operation that deletes would have. */
export const DELETING = /delete|remove|destroy|erase|purge|drop/i;

/**
 * C2: the operations of `surface` named as deleting something, except the pruning of expired
 * idempotency keys (SN7's 7 days), which deletes no conversation or message.
 */
export function deletingOperations(surface: object): string[] {
  return operationNames(surface).filter((n) => DELETING.test(n) && !/idempotency/i.test(n));
}

let keys = 0;
export const newKey = (what = 'key') => `${what}-${Date.now().toString(36)}-${++keys}`;

export const IMAGE: Media = {
  url: 'https://example.com/a.png',
  mimeType: 'image/png',
  fileName: 'a.png',
  size: 1000,
};

/**
 * Waits until every recorder's event stream is live: a probe contact (saved for everyone) is
 * saved again until its latest version reaches them all. Events sent before a server stream is
 * connected are not replayed to it, so a case listens first.
 */
export async function listening(
  adapter: BackendAdapter,
  ...recorders: Array<{ events: ServerEvent[] }>
): Promise<void> {
  const probe = await adapter.createContact({ firstName: 'Probe', phone: PHONE.unknown });
  const deadline = Date.now() + 5000;
  for (let n = 1; Date.now() < deadline; n++) {
    const name = `Probe ${n}`;
    await adapter.updateContact(probe.id, { firstName: name });
    const seen = () =>
      recorders.every((r) =>
        r.events.some((e) => e.type === 'contact.saved' && e.contact.firstName === name),
      );
    const until = Date.now() + 100;
    while (!seen() && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
    if (seen()) return;
  }
  throw new ConformanceError('the event streams did not start');
}
