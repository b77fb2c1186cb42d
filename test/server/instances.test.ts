/**
 * Several instances on one real PostgreSQL: every event reaches the streams of every instance
 * exactly once (LISTEN/NOTIFY fan-out), a key acts once across instances, and when an instance is
 * SIGKILLed its desks resume on the other with nothing missed and nothing twice.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  api,
  incoming,
  openDesk,
  spawnServer,
  startPostgres,
  until,
  type Desk,
  type Postgres,
  type ServerProcess,
} from './support.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

let postgres: Postgres;
let a: ServerProcess;
let b: ServerProcess;
let env: Record<string, string>;
const desks: Desk[] = [];

beforeAll(async () => {
  postgres = await startPostgres();
  // No safety poll: only NOTIFY can carry an event from one instance to the other.
  env = {
    DATABASE_URL: await postgres.createDatabase(),
    DESK_STATUS_DELAY_MS: '60000',
    DESK_POLL_MS: '3600000',
  };
  a = await spawnServer(env);
  b = await spawnServer(env);
});

afterAll(async () => {
  for (const desk of desks) desk.stop();
  for (const server of [a, b]) server?.child.kill('SIGKILL');
  await Promise.all([a?.exited, b?.exited]);
  postgres?.stop();
});

/** The texts of a thread, oldest first, as an instance lists them. */
async function threadTexts(url: string, conversationId: string): Promise<string[]> {
  const answer = await api(url, 'ada', `/conversations/${conversationId}/messages?limit=1000`);
  expect(answer.status).toBe(200);
  return answer.body.items.map((m: { text: string }) => m.text);
}

const created = (desk: Desk) =>
  desk.messages.filter((m) => m.event === 'message.created').map((m) => JSON.parse(m.data));

describe('two instances on one PostgreSQL', () => {
  it('shares the state, fans every event out to both once, and survives a SIGKILL and a restart with 0 missed, 0 duplicated, 0 lost', async () => {
    let alive = [a.url, b.url];
    // Four desks on each instance; each resumes on whichever instance still answers.
    for (const first of [a.url, b.url]) {
      for (const user of ['ada', 'sam', 'ada', 'sam']) {
        const desk = openDesk(() => [first, ...alive.filter((u) => u !== first)], user);
        desks.push(desk);
      }
    }
    await until(() => desks.every((d) => d.stream.connections === 1), 20_000, 'desks connected');

    // Customers write in on both instances, interleaved, some at the same moment.
    const texts: string[] = [];
    for (let i = 0; i < 30; i++) {
      const batch = [`a${i}`, `b${i}`];
      texts.push(...batch);
      const answers = await Promise.all([incoming(a.url, batch[0]!), incoming(b.url, batch[1]!)]);
      expect(answers.map((x) => x.status)).toEqual([201, 201]);
    }
    await until(() => desks.every((d) => created(d).length >= 60), 20_000, 'first 60 events');

    // The account's state is shared: what was accepted on one instance is listed on the other.
    const sent = await api(a.url, 'sam', '/messages', {
      body: {
        target: { senderId: 'sam-sms', customer: '+14155550100' },
        content: { text: 'Sent through A' },
      },
      headers: { 'idempotency-key': 'through-a' },
    });
    expect(sent.status).toBe(201);
    const conversationId = sent.body.conversation.id as string;
    const onB = await threadTexts(b.url, conversationId);
    expect(onB.filter((t) => texts.includes(t)).sort()).toEqual([...texts].sort());
    expect(onB.at(-1)).toBe('Sent through A');
    await until(() => desks.every((d) => created(d).length >= 61), 20_000, 'the send');
    texts.push('Sent through A');

    // Instance A dies mid-stream; its desks move to B with their Last-Event-ID.
    a.child.kill('SIGKILL');
    await a.exited;
    alive = [b.url];
    for (let i = 30; i < 60; i++) {
      texts.push(`b${i}`);
      expect((await incoming(b.url, `b${i}`)).status).toBe(201);
    }
    await until(() => desks.every((d) => created(d).length >= 91), 30_000, 'all 91 events');
    await new Promise((r) => setTimeout(r, 300)); // room for a duplicate to show up

    for (const desk of desks) {
      const got = created(desk).map((e) => e.message.text as string);
      expect(got).toHaveLength(texts.length); // 0 missed, 0 duplicated
      expect(new Set(got)).toEqual(new Set(texts));
      const ids = desk.ids();
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort((x, y) => x - y)).toEqual(ids); // in id order on every stream
      expect(desk.messages.some((m) => m.event === 'reset')).toBe(false);
    }
    // The desks first connected to A did reconnect (to B).
    expect(desks.slice(0, 4).every((d) => d.stream.connections >= 2)).toBe(true);

    // A restarted instance starts from the database: nothing was lost, nothing seeded twice.
    a = await spawnServer(env);
    const afterRestart = await threadTexts(a.url, conversationId);
    expect(afterRestart.filter((t) => texts.includes(t)).sort()).toEqual([...texts].sort());
    expect(afterRestart.length).toBe(onB.length + 30); // the history once, not seeded again
    const listed = await api(a.url, 'ada', '/conversations?limit=1000');
    expect(listed.body.items.filter((c: { id: string }) => c.id === conversationId)).toHaveLength(
      1,
    );
  });

  it('acts once for one Idempotency-Key sent to both instances at once', async () => {
    const env = { DATABASE_URL: await postgres.createDatabase() };
    const [c, d] = await Promise.all([spawnServer(env), spawnServer(env)]); // migrate once
    try {
      const send = (url: string) =>
        api(url, 'sam', '/messages', {
          body: {
            target: { senderId: 'sam-sms', customer: '+14155550123' },
            content: { text: 'Once' },
          },
          headers: { 'idempotency-key': 'same-key' },
        });
      const answers = await Promise.all([send(c.url), send(d.url)]);
      expect(answers.map((x) => x.status).sort()).toEqual([200, 201]);
      expect(answers[0]!.body.message.id).toBe(answers[1]!.body.message.id);
    } finally {
      c.child.kill('SIGTERM');
      d.child.kill('SIGTERM');
      expect(await c.exited).toBe(0); // graceful shutdown
      await d.exited;
    }
  });
});
