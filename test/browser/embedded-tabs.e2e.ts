/**
 * The embedded backend in two tabs (same-origin iframes, one IndexedDB database): wrapped in
 * `withTabLeader(…, { mode: 'share' })`, the second tab sees an assignment made in the first
 * without a reload.
 */
import { expect } from '@open-wc/testing';
import type { DeskClient } from '../../src/index.js';

interface Tab {
  client: DeskClient;
  assigned: string[];
}

const frames: HTMLIFrameElement[] = [];

async function openTab(database: string, seedIt: boolean): Promise<Tab> {
  const src = (path: string) => JSON.stringify(new URL(path, import.meta.url).href);
  const frame = document.createElement('iframe');
  frame.srcdoc = `<!doctype html><script type="module">
    import { createDeskClient } from ${src('../../src/index.ts')};
    import { EmbeddedBackend } from ${src('../../src/embedded/index.ts')};
    import { withTabLeader } from ${src('../../src/offline/index.ts')};
    import { seed } from ${src('../support/seed.ts')};
    const backend = await EmbeddedBackend.open({ databaseName: ${JSON.stringify(database)} });
    if (${seedIt}) {
      await backend.seed(seed());
      await backend.simulateIncoming({ senderId: 'bob-wa', from: '+14155550102', text: 'Hi' });
      await backend.flush();
    }
    const adapter = withTabLeader(backend.connect('admin'), {
      scope: ${JSON.stringify(database)} + ':admin',
      mode: 'share',
    });
    const client = createDeskClient({ adapter });
    const tab = { client, assigned: [] };
    client.on('conversation.assigned', (e) => tab.assigned.push(e.to));
    await client.connect();
    window.tab = tab;
  </script>`;
  document.body.append(frame);
  frames.push(frame);
  const win = () => frame.contentWindow as (Window & { tab?: Tab }) | null;
  await until(() => Boolean(win()?.tab), 'the page started', 15_000);
  return win()!.tab!;
}

async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('embedded backend in two tabs', () => {
  afterEach(() => {
    for (const frame of frames.splice(0)) frame.remove();
  });

  it('A1: an assignment made in one tab shows in the other without a reload', async function () {
    this.timeout(45_000); // two pages load the SDK and open IndexedDB
    const database = `tabs-${Math.random()}`;
    const first = await openTab(database, true);
    const second = await openTab(database, false);
    const [conversation] = [...second.client.getState().conversations.values()];
    expect(conversation?.ownerId).to.equal('bob');

    await first.client.assign([conversation!.id], 'alice');
    await until(
      () => second.client.getState().conversations.get(conversation!.id)?.ownerId === 'alice',
      'the second tab saw the assignment',
    );
    expect(second.assigned).to.deep.equal(['alice']);
  });
});
