import { expect, waitUntil } from '@open-wc/testing';
import {
  createDeskClient,
  DeskError,
  type BackendAdapter,
  type DeskClient,
} from '../../src/index.js';
import { EmbeddedBackendForTests } from '../shared/test-desk.js';
import '../provider/provider.js';
import './conversation.js';
import { mountConversation } from './test-mount.js';

/** An adapter whose message pages wait, fail or come back empty until released. */
function gatedMessages(real: BackendAdapter, mode: 'hold' | 'fail' | 'empty') {
  let released = false;
  let release!: () => void;
  const open = new Promise<void>((resolve) => (release = resolve));
  const adapter = new Proxy(real, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (key === 'listMessages' && !released) {
        if (mode === 'fail') return () => Promise.reject(new DeskError('network', 'SDK ENGLISH'));
        if (mode === 'empty') return () => Promise.resolve({ items: [], nextCursor: null });
        return (...args: Parameters<BackendAdapter['listMessages']>) =>
          open.then(() => real.listMessages(...args));
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return {
    adapter,
    release: () => {
      released = true;
      release();
    },
  };
}

async function setup(mode: 'hold' | 'fail' | 'empty') {
  const desk = await EmbeddedBackendForTests('alice');
  const { conversation } = await desk.backend.simulateIncoming({
    senderId: 'alice-sms',
    from: '+14155550101',
    text: 'Is my order ready?',
  });
  const gate = gatedMessages(desk.backend.connect('alice'), mode);
  const client = createDeskClient({ adapter: gate.adapter, clock: desk.clock });
  await client.connect();
  const el = await mount(client, conversation.id);
  return { client, el, gate, id: conversation.id };
}

const mount = (client: DeskClient, id: string) =>
  mountConversation(client, id, { height: 600, loaded: false });

const $ = (el: Element, selector: string) => el.shadowRoot!.querySelector<HTMLElement>(selector);
const text = (node: Element | null) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const messages = (el: Element) => el.shadowRoot!.querySelectorAll('[part~="message"]');

describe('<cd-conversation> states', () => {
  it('shows message-shaped skeleton rows while the thread loads, then the messages', async () => {
    const { el, gate, client, id } = await setup('hold');
    const skeleton = $(el, '[part~="log"] [part~="skeleton"]')!;
    expect(skeleton).not.to.equal(null);
    expect(skeleton.querySelectorAll('.bone').length).to.be.greaterThan(2);
    expect(text(skeleton)).to.equal('Loading messages…');
    expect($(el, '[part~="log"]')!.getAttribute('aria-busy')).to.equal('true');
    expect($(el, '[part~="empty-thread"]')).to.equal(null);
    await expect(el).to.be.accessible();
    gate.release();
    await waitUntil(() => client.getState().threads.get(id)?.loaded, 'the thread loads');
    await el.updateComplete;
    expect($(el, '[part~="skeleton"]')).to.equal(null);
    expect(messages(el).length).to.equal(1);
    expect($(el, '[part~="log"]')!.getAttribute('aria-busy')).to.equal('false');
  });

  it('a thread that fails to load says why in plain words, and Retry loads it', async () => {
    const { el, gate } = await setup('fail');
    await waitUntil(() => $(el, '[part~="load-error"]'), 'the error shows');
    const alert = $(el, '[part~="load-error"]')!;
    expect(alert.getAttribute('role')).to.equal('alert');
    expect(text(alert)).to.contain('The messages could not be loaded.');
    expect(text(alert)).to.contain('could not reach the server');
    expect(text(alert)).not.to.contain('SDK ENGLISH');
    expect($(el, '[part~="skeleton"]')).to.equal(null);
    expect($(el, '[part~="empty-thread"]')).to.equal(null);
    await expect(el).to.be.accessible();
    gate.release();
    const retry = [...alert.querySelectorAll('button')].find((b) => text(b) === 'Retry')!;
    retry.click();
    await waitUntil(() => messages(el).length === 1, 'the messages show after Retry');
    expect($(el, '[part~="load-error"]')).to.equal(null);
    expect($(el, '[role="alert"]')).to.equal(null);
    expect(text(messages(el)[0]!)).to.contain('Is my order ready?');
  });

  it('a thread with no messages says to write the first one below', async () => {
    const { el, client, id } = await setup('empty');
    await waitUntil(() => client.getState().threads.get(id)?.loaded, 'the thread loads');
    await el.updateComplete;
    expect(text($(el, '[part~="empty-thread"]'))).to.equal(
      'No messages yet. Write the first message below.',
    );
    expect($(el, '[part~="skeleton"]')).to.equal(null);
    expect($(el, 'cd-compose')).not.to.equal(null);
    await expect(el).to.be.accessible();
  });
});
