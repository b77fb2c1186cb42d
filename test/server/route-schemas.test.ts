/**
 * Issue 8/9: the team server checks bodies and queries with the engine's own schemas, so the same
 * input gets the same answer (accepted, or refused with the same code and `details.field`) from
 * the embedded backend and from the server (docs/protocol.md section 4).
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BackendAdapter } from '../../src/adapter.js';
import { EmbeddedBackend } from '../../src/embedded/index.js';
import { isDeskError } from '../../src/errors.js';
import type { Database } from '../../src/server/db.js';
import { type RunningServer } from '../../src/server/index.js';
import { api, openPglite, seed, startTestServer } from './support.js';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

// The adapter's types forbid most of these values; a server receives them anyway, as JSON.
type Raw = Record<string, (...args: unknown[]) => Promise<unknown>>;
interface Probe {
  name: string;
  as: string;
  http: { path: string; method?: string; body?: unknown; key?: string };
  engine: (api: Raw) => Promise<unknown>;
}

const file = (fileName = 'a.jpg') => ({
  url: 'https://example.com/a.jpg',
  mimeType: 'image/jpeg',
  fileName,
  size: 1000,
});
const sendProbe = (name: string, customer: string, content: unknown, target?: unknown): Probe => {
  const to = target ?? { senderId: 'sam-sms', customer };
  return {
    name,
    as: 'sam',
    http: { path: '/messages', body: { target: to, content }, key: `key-${name}` },
    engine: (a) => a.send!({ idempotencyKey: `key-${name}`, target: to, content }),
  };
};

const long = (n: number) => 'x'.repeat(n);
const probes: Probe[] = [
  {
    name: 'conversationIds as text',
    as: 'sam',
    http: { path: '/conversations/read', body: { conversationIds: 'c1', read: true } },
    engine: (a) => a.markRead!('c1', true, 'owner'),
  },
  {
    name: 'a __proto__ id',
    as: 'sam',
    http: { path: '/conversations/read', body: { conversationIds: ['__proto__'], read: true } },
    engine: (a) => a.markRead!(['__proto__'], true, 'owner'),
  },
  {
    name: 'an unknown mode',
    as: 'ada',
    http: { path: '/conversations/read', body: { conversationIds: ['c1'], read: true, mode: 'x' } },
    engine: (a) => a.markRead!(['c1'], true, 'x'),
  },
  {
    name: 'read as text',
    as: 'sam',
    http: { path: '/conversations/read', body: { conversationIds: ['c1'], read: 'yes' } },
    engine: (a) => a.markRead!(['c1'], 'yes', 'owner'),
  },
  {
    name: 'an id of 250 characters',
    as: 'ada',
    http: {
      path: '/conversations/assign',
      body: { conversationIds: [long(250)], assigneeId: 'sam' },
    },
    engine: (a) => a.assign!([long(250)], 'sam'),
  },
  sendProbe('text of 50,000 characters', '+14155550171', { text: long(50_000) }),
  sendProbe('text of 100,001 characters', '+14155550172', { text: long(100_001) }),
  sendProbe('text as a number', '+14155550173', { text: 42 }),
  sendProbe('eleven files', '+14155550174', { media: Array.from({ length: 11 }, () => file()) }),
  sendProbe('fifty-one files', '+14155550175', { media: Array.from({ length: 51 }, () => file()) }),
  sendProbe('a file name of 600 characters', '+14155550176', { media: [file(long(600))] }),
  sendProbe('a target as a list', '', { text: 'x' }, []),
  sendProbe(
    'a conversation id of 250 characters',
    '',
    { text: 'x' },
    { conversationId: long(250) },
  ),
  {
    name: 'a first name as a number',
    as: 'sam',
    http: { path: '/contacts', body: { firstName: 7 }, key: 'contact-1' },
    engine: (a) => a.createContact!({ firstName: 7 }),
  },
  {
    name: 'a cursor of 510 characters',
    as: 'sam',
    http: { path: `/contacts?cursor=${long(510)}` },
    engine: (a) => a.listContacts!({ cursor: long(510) }),
  },
  {
    name: 'a limit of 0',
    as: 'sam',
    http: { path: '/conversations?limit=0' },
    engine: (a) => a.listConversations!({ limit: 0 }),
  },
  {
    name: 'a search of 201 characters',
    as: 'sam',
    http: { path: `/contacts/search?q=${long(201)}` },
    engine: (a) => a.searchContacts!(long(201)),
  },
];

type Outcome = 'accepted' | { code: string; field?: unknown };
const outcomeOf = (error: unknown): Outcome => {
  if (!isDeskError(error)) throw error;
  return { code: error.code, field: error.details?.field };
};

let database: Database;
let server: RunningServer;
let embedded: EmbeddedBackend;
beforeAll(async () => {
  database = await openPglite();
  server = await startTestServer(database, { rateLimit: { max: 100_000, windowMs: 60_000 } });
  embedded = await EmbeddedBackend.open({
    provider: { sentAfterMs: 1, deliveredAfterMs: 2, readAfterMs: 3 },
  });
  await embedded.seed(seed);
});
afterAll(async () => {
  await embedded?.close();
  await server?.close();
  await database?.close();
});

describe('route schemas shared with the engine', () => {
  it('gives the same code and details.field as the embedded backend for the same probes', async () => {
    const seen: Array<{ name: string; engine: Outcome; server: Outcome }> = [];
    for (const probe of probes) {
      const adapter = embedded.connect(probe.as) as unknown as BackendAdapter as unknown as Raw;
      const engine = await probe.engine(adapter).then((): Outcome => 'accepted', outcomeOf);
      const { path, method, body, key } = probe.http;
      const answer = await api(server.url, probe.as, path, {
        ...(method && { method }),
        ...(body !== undefined && { body }),
        ...(key && { headers: { 'idempotency-key': key } }),
      });
      const onServer: Outcome =
        answer.status < 300
          ? 'accepted'
          : { code: answer.body.error.code, field: answer.body.error.details?.field };
      seen.push({ name: probe.name, engine, server: onServer });
    }
    expect(seen.map((s) => ({ name: s.name, server: s.server }))).toEqual(
      seen.map((s) => ({ name: s.name, server: s.engine })),
    );
    // The probes reach both sides of the limits: some are accepted, the refusals name a field.
    expect(seen.filter((s) => s.engine === 'accepted').length).toBeGreaterThan(0);
    const fieldOf = (name: string) =>
      (seen.find((s) => s.name === name)!.server as Outcome & { field?: unknown }).field;
    expect(fieldOf('conversationIds as text')).toBe('conversationIds');
    expect(fieldOf('a __proto__ id')).toBe('conversationIds.0');
    expect(fieldOf('text of 100,001 characters')).toBe('content.text');
    expect(fieldOf('a first name as a number')).toBe('firstName');
    // Within the engine's limits, refused by the old hand-written route schemas.
    const accepted = seen.filter((s) => s.server === 'accepted').map((s) => s.name);
    expect(accepted).toEqual(['a file name of 600 characters', 'a cursor of 510 characters']);
  });

  it('names the field of a bad query value or a missing Idempotency-Key', async () => {
    const limit = await api(server.url, 'sam', '/contacts?limit=abc');
    expect(limit.status).toBe(400);
    expect(limit.body.error).toMatchObject({ code: 'invalid_input', details: { field: 'limit' } });
    const twice = await api(server.url, 'sam', '/conversations?teamMember=a&teamMember=b');
    expect(twice.body.error.details.field).toBe('teamMember');
    const noKey = await api(server.url, 'sam', '/messages', {
      body: { target: { conversationId: 'c1' }, content: { text: 'hi' } },
    });
    expect(noKey.status).toBe(400);
    expect(noKey.body.error.details.field).toBe('idempotencyKey');
  });
});
