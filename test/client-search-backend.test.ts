/**
 * Issue 11 end to end on the embedded backend: the client holds the first page only; a view's
 * next pages and V6's answers beyond the loaded rows come from the backend's listing.
 */
import { describe, expect, it, vi } from 'vitest';
import { conformanceSeed } from '../src/conformance/index.js';
import { EmbeddedBackend } from '../src/embedded/index.js';
import { systemClock, type Clock } from '../src/clock.js';
import { createDeskClient } from '../src/index.js';

const phone = (i: number) => `+1415300${String(i).padStart(4, '0')}`;
const COUNT = 520; // more than the connect page (500)

async function account() {
  // One millisecond per message: the order (V5) does not depend on ids.
  let now = Date.UTC(2026, 10, 1);
  const clock: Clock = { ...systemClock, now: () => (now += 1) };
  const backend = await EmbeddedBackend.open({ clock });
  const seed = conformanceSeed();
  seed.contacts = [{ id: 'c-zed', phone: phone(0), firstName: 'Zoë', lastName: 'Oldest' }];
  await backend.seed(seed);
  for (let i = 0; i < COUNT; i++)
    await backend.simulateIncoming({ senderId: 'alice-sms', from: phone(i), text: 'Hi' });
  const client = createDeskClient({ adapter: backend.connect('alice') });
  await client.connect();
  return { backend, client };
}

describe('the paged inbox on a backend (issue 11)', () => {
  const mine = { kind: 'mine' } as const;
  const numbers = (rows: readonly { conversation: { customer: string } }[]) =>
    rows.map((r) => r.conversation.customer);

  it('V1, V5: connect holds the first page; loadMore brings the rest of the view, in order', async () => {
    const { backend, client } = await account();
    expect(client.view(mine).count).toBe(500);
    expect(client.hasMore(mine)).toBe(true);
    expect(client.hasMore({ kind: 'sent' })).toBe(true);
    expect(await client.loadMore(mine)).toBe(false);
    const rows = numbers(client.view(mine).rows);
    expect(rows.length).toBe(COUNT);
    expect(rows.at(-1)).toBe(phone(0));
    expect(new Set(rows).size).toBe(COUNT);
    // V4: alice wrote in none of them; her Sent view is complete after one empty page.
    expect(await client.loadMore({ kind: 'sent' })).toBe(false);
    expect(client.view({ kind: 'sent' }).count).toBe(0);
    await backend.close();
  });

  it('V6: a search answers at once from the loaded rows and asks the backend for the rest', async () => {
    const { backend, client } = await account();
    expect(client.search(mine, 'zoe')).toEqual([]); // not loaded: the backend is asked
    await vi.waitFor(() => expect(numbers(client.search(mine, 'zoe'))).toEqual([phone(0)]));
    expect(client.search(mine, 'ZOË oldest')[0]!.title).toBe('Zoë Oldest');
    // Digits: 500–519 match "30005", all of them among the loaded rows: answered at once.
    expect(numbers(client.search(mine, '300 05')).length).toBe(20);
    expect(numbers(client.search(mine, '+1 415 300 0007'))).toEqual([]);
    await vi.waitFor(() =>
      expect(numbers(client.search(mine, '+1 415 300 0007'))).toEqual([phone(7)]),
    );
    await backend.close();
  });
});
