/**
 * The group commit's rows go to PostgreSQL as one JSON array each (`json_to_recordset`), their
 * `data` a JSON text inside it; what is stored must be that text, unchanged, on PGlite and on
 * PostgreSQL, whatever a customer wrote. (Embedding `data` as JSON instead of as a string would
 * save its escaping, but PostgreSQL then refuses a `\u0000` in it: "unsupported Unicode escape
 * sequence", the whole batch with it.)
 */
import { sql } from 'kysely';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Database } from '../../src/server/db.js';
import { writeBatch } from '../../src/server/pg-batch-sql.js';
import { openPglite, startPostgres, type Postgres } from './support.js';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

let database: Database | undefined;
let postgres: Postgres | undefined;
afterEach(async () => {
  await database?.close();
  database = undefined;
});
afterAll(() => postgres?.stop());

/** What customers send: quotes, backslashes, markup, emoji, other scripts, escapes, a NUL. */
const TEXT = 'a "quote", a \\ backslash, </script><b>x</b>, 🙂 é 中文, \\u0041, \u0000 and\nlines';

describe.each(['pglite', 'postgres'])('the group commit stores data as given (%s)', (kind) => {
  it('conversation, message and event texts come back byte for byte', async () => {
    if (kind === 'postgres') postgres ??= await startPostgres();
    database =
      kind === 'postgres'
        ? await openDatabase({ url: await postgres!.createDatabase({ socket: true }) })
        : await openPglite();
    const conversation = { id: 'c1', customer: '+14155550100', note: TEXT };
    const message = { id: 'm1', conversationId: 'c1', text: TEXT };
    const event = { type: 'message.created', message } as const;
    const logged = await database.db.transaction().execute((tx) =>
      writeBatch(
        tx,
        {
          conversations: [
            {
              id: 'c1',
              sender_id: 's1',
              customer: conversation.customer,
              owner_id: 'ada',
              has_incoming: true,
              unread: true,
              outgoing_by: [],
              last_activity_at: 1000,
              data: JSON.stringify(conversation),
            },
          ],
          messages: [
            {
              id: 'm1',
              conversation_id: 'c1',
              created_at: 1000,
              waiting: null,
              data: JSON.stringify(message),
            },
          ],
          events: [{ event: event as never, audience: null }],
          now: 1000,
        },
        'desk_test_channel',
      ),
    );
    const one = async (table: string) =>
      (await sql<{ data: string }>`select data from ${sql.table(table)}`.execute(database!.db))
        .rows[0]!.data;
    expect(await one('desk_conversations')).toBe(JSON.stringify(conversation));
    expect(await one('desk_messages')).toBe(JSON.stringify(message));
    expect(await one('desk_events')).toBe(JSON.stringify(event));
    expect(logged[0]!.data).toBe(JSON.stringify(event));
  });
});
