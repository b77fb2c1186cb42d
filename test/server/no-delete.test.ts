/** C2 on the team server: no route deletes a conversation or a message; a DELETE changes nothing. */
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { Database } from '../../src/server/db.js';
import { api, incoming, openPglite, startTestServer } from './support.js';

vi.setConfig({ testTimeout: 60_000 });

let database: Database;
beforeAll(async () => {
  database = await openPglite();
}, 120_000);
afterAll(() => database.close());

it('C2: the team server has no DELETE route; a DELETE of a conversation or message keeps it', async () => {
  const server = await startTestServer(database, { demo: true });
  try {
    expect(server.app.printRoutes({ method: 'POST' })).toContain('messages');
    expect(server.app.printRoutes({ method: 'DELETE' }).trim()).toBe('(empty tree)');
    expect((await incoming(server.url, 'Hi')).status).toBeLessThan(300);
    const list = await api(server.url, 'ada', '/conversations');
    const conversation = list.body.items[0];
    const thread = await api(server.url, 'ada', `/conversations/${conversation.id}/messages`);
    const message = thread.body.items[0];
    for (const path of [
      `/conversations/${conversation.id}`,
      `/conversations/${conversation.id}/messages`,
      `/messages/${message.id}`,
      '/conversations',
      '/messages',
    ]) {
      const answer = await api(server.url, 'ada', path, { method: 'DELETE' });
      expect(answer.status, `DELETE ${path}`).toBe(404);
    }
    const after = await api(server.url, 'ada', `/conversations/${conversation.id}/messages`);
    expect(after.body.items.map((m: { id: string }) => m.id)).toEqual([message.id]);
    const again = await api(server.url, 'ada', '/conversations');
    expect(again.body.items.map((c: { id: string }) => c.id)).toContain(conversation.id);
  } finally {
    await server.close();
  }
});
