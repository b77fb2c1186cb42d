/**
 * docs/openapi.yaml is kept true: the document is valid OpenAPI 3.1, and every answer the reference
 * server gives here (bodies of every operation, error bodies, the stream's events) validates
 * against the schema the document gives for that operation and status.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { RunningServer } from '../../examples/server/server.js';
import { PHONE } from '../support/seed.js';
import { testServer, until } from './support.js';

type Doc = {
  paths: Record<
    string,
    Record<string, { operationId: string; responses: Record<string, unknown> }>
  >;
};
const doc = parse(readFileSync(new URL('../../docs/openapi.yaml', import.meta.url), 'utf8')) as Doc;
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addSchema(doc, 'openapi.json');
const pointer = (...parts: string[]) =>
  parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

/** The operation of the spec that a method and concrete path hit. */
function operation(method: string, path: string) {
  for (const [template, item] of Object.entries(doc.paths)) {
    const re = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    const op = item[method.toLowerCase()];
    if (op && re.test(path)) return { template, op };
  }
  throw new Error(`${method} ${path} is not in docs/openapi.yaml`);
}

const exercised = new Set<string>();

describe('docs/openapi.yaml against the reference server', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await testServer();
  });
  afterAll(() => server.close());

  /** Calls the server and checks the answer against the spec; returns the body. */
  async function call(
    user: string | null,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON, checked by the schema
  ): Promise<{ status: number; body: any }> {
    const response = await fetch(new URL(path.slice(1), server.url.replace(/\/?$/, '/')), {
      method,
      headers: {
        ...(user && { authorization: `Bearer ${user}` }),
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await response.json();
    const { template, op } = operation(method, path.split('?')[0]!);
    exercised.add(op.operationId);
    const status = String(response.status) in op.responses ? String(response.status) : 'default';
    const declared = op.responses[status] as { $ref?: string };
    const at =
      declared.$ref?.slice(1) ??
      `/${pointer('paths', template, method.toLowerCase(), 'responses', status)}`;
    const validate = ajv.compile({
      $ref: `openapi.json#${at}/${pointer('content', 'application/json', 'schema')}`,
    });
    const valid = validate(json);
    expect(valid, `${method} ${path} ${response.status}: ${ajv.errorsText(validate.errors)}`).toBe(
      true,
    );
    return { status: response.status, body: json };
  }

  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(doc as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('every operation answers as the document says, success and refusal, with the stream events', async () => {
    // The event stream, read in the background while the calls below make events.
    const events: unknown[] = [];
    const abort = new AbortController();
    const stream = await fetch(new URL('events', server.url.replace(/\/?$/, '/')), {
      headers: { authorization: 'Bearer alice', accept: 'text/event-stream' },
      signal: abort.signal,
    });
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    exercised.add(operation('GET', '/events').op.operationId);
    const reading = (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of stream.body!) {
          buffer += decoder.decode(chunk as Uint8Array, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (data && !/^event: reset$/m.test(block)) events.push(JSON.parse(data));
          }
        }
      } catch {
        // aborted at the end
      }
    })();

    await call('alice', 'GET', '/session');
    await call('alice', 'GET', '/users');
    await call('alice', 'GET', '/sender-ids');
    await call('alice', 'GET', '/templates');
    const first = await call('alice', 'GET', '/contacts?limit=1');
    expect(first.body.nextCursor).not.toBeNull();
    await call(
      'alice',
      'GET',
      `/contacts?limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`,
    );
    await call('alice', 'GET', '/contacts/search?q=dan&limit=5');
    const key = { 'idempotency-key': 'contact-gus' };
    const created = await call(
      'alice',
      'POST',
      '/contacts',
      { firstName: 'Gus', phone: '+14155550177' },
      key,
    );
    expect(created.status).toBe(201);
    const replay = await call(
      'alice',
      'POST',
      '/contacts',
      { firstName: 'Gus', phone: '+14155550177' },
      key,
    );
    expect(replay.status).toBe(200);
    await call('alice', 'PATCH', `/contacts/${created.body.id}`, { lastName: 'Grant' });
    await call('alice', 'GET', `/recipients/${encodeURIComponent(PHONE.dana)}`);

    const incoming = await fetch(new URL('simulate/incoming', server.url.replace(/\/?$/, '/')), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer alice' },
      body: JSON.stringify({ senderId: 'alice-sms', from: PHONE.dana, text: 'Hi' }),
    });
    const { conversation } = await incoming.json();
    await call('alice', 'GET', '/conversations?limit=10');
    await call('admin', 'GET', '/conversations?teamMember=alice');
    await call('alice', 'GET', `/conversations/${conversation.id}/messages?limit=10`);
    const sent = await call(
      'alice',
      'POST',
      '/messages',
      { target: { conversationId: conversation.id }, content: { text: 'Hello' } },
      { 'idempotency-key': 'send-1' },
    );
    expect(sent.status).toBe(201);
    await call('alice', 'POST', '/conversations/read', {
      conversationIds: [conversation.id],
      read: true,
      mode: 'owner',
    });
    await call('admin', 'POST', '/conversations/assign', {
      conversationIds: [conversation.id],
      assigneeId: 'bob',
    });

    // Refusals carry the error body, with a code from the union.
    const refusals = [
      await call(
        'bob',
        'POST',
        '/messages',
        { target: { conversationId: conversation.id }, content: { text: '  ' } },
        { 'idempotency-key': 'send-2' },
      ),
      await call('alice', 'GET', '/conversations?teamMember=bob'),
      await call('alice', 'GET', '/conversations/nope/messages'),
      await call(null, 'GET', '/session'),
      await call(
        'alice',
        'POST',
        `/messages/${sent.body.message.id}/retry`,
        {},
        { 'idempotency-key': 'retry-1' },
      ),
    ];
    expect(refusals.map((r) => [r.status, r.body.error.code])).toEqual([
      [400, 'invalid_input'],
      [403, 'forbidden'],
      [404, 'not_found'],
      [401, 'unauthorized'],
      [409, 'not_retryable'],
    ]);

    const types = () => new Set(events.map((e) => (e as { type: string }).type));
    await until(() => types().has('message.status'), 'a status event arrives');
    abort.abort();
    await reading;
    const validate = ajv.compile({ $ref: 'openapi.json#/components/schemas/ServerEvent' });
    for (const event of events) {
      expect(validate(event), `${JSON.stringify(event)}: ${ajv.errorsText(validate.errors)}`).toBe(
        true,
      );
    }
    expect([...types()]).toEqual(
      expect.arrayContaining([
        'message.created',
        'message.status',
        'conversation.updated',
        'conversation.assigned',
        'contact.saved',
        'notification',
      ]),
    );

    // Every operation of the document was exercised here.
    const all = Object.values(doc.paths).flatMap((item) =>
      Object.values(item).map((op) => op.operationId),
    );
    expect([...exercised].sort()).toEqual([...all].sort());
  });
});
