import { expect, fixture, html, nextFrame, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { createDeskClient, DeskError, type BackendAdapter } from '../../src/index.js';
import { EmbeddedBackendForTests } from '../shared/test-desk.js';
import '../provider/provider.js';
import './inbox.js';
import type { CdInbox } from './inbox.js';

type Desk = Awaited<ReturnType<typeof EmbeddedBackendForTests>>;

/** An adapter whose session waits (or fails) until released: the element is seen connecting. */
function gated(real: BackendAdapter, mode: 'hold' | 'fail') {
  let released = false;
  let release!: () => void;
  const open = new Promise<void>((resolve) => (release = resolve));
  const adapter = new Proxy(real, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (key === 'session' && !released) {
        return mode === 'fail'
          ? () => Promise.reject(new DeskError('network', 'SDK ENGLISH'))
          : () => open.then(() => real.session());
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

async function mount(client: Desk['client'], density?: 'compact') {
  const wrapper = await fixture<HTMLElement>(html`
    <cd-desk-provider .client=${client}>
      <div style="height: 480px; width: 420px; display: flex; flex-direction: column">
        <cd-inbox density=${density ?? 'comfortable'}></cd-inbox>
      </div>
    </cd-desk-provider>
  `);
  const el = wrapper.querySelector('cd-inbox')!;
  await el.updateComplete;
  return el;
}

async function settle(desk: Desk, el: CdInbox) {
  await new Promise((r) => setTimeout(r, 0));
  await desk.client.idle();
  await el.updateComplete;
  await nextFrame();
  await nextFrame();
  await el.updateComplete;
}

const text = (el: CdInbox) => el.shadowRoot!.textContent!.replace(/\s+/g, ' ');
const rows = (el: CdInbox) => [...el.shadowRoot!.querySelectorAll<HTMLElement>('[role="option"]')];

describe('<cd-inbox> states', () => {
  it('shows skeleton rows while connecting, never "No conversations yet"', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const gate = gated(desk.backend.connect('alice'), 'hold');
    const client = createDeskClient({ adapter: gate.adapter, clock: desk.clock });
    void client.connect();
    const el = await mount(client);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part~="skeleton"]')).not.to.equal(null);
    expect(el.shadowRoot!.querySelector('[role="status"]')!.textContent).to.contain(
      'Loading conversations…',
    );
    expect(text(el)).not.to.contain('No conversations yet');
    await expect(el).to.be.accessible();
    gate.release();
    await waitUntil(() => client.getState().status === 'ready');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part~="skeleton"]')).to.equal(null);
    // Empty: it says what fills the list and what to do.
    expect(el.shadowRoot!.querySelector('[part~="empty"]')!.textContent).to.contain(
      'start one with New conversation',
    );
    await expect(el).to.be.accessible();
  });

  it('an unreachable backend shows the reason in plain words and a retry that works', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const gate = gated(desk.backend.connect('alice'), 'fail');
    const client = createDeskClient({ adapter: gate.adapter, clock: desk.clock });
    await client.connect().catch(() => undefined);
    const el = await mount(client);
    const alert = el.shadowRoot!.querySelector('[role="alert"]')!;
    expect(alert.textContent).to.contain('The conversations could not be loaded.');
    expect(alert.textContent).to.contain('could not reach the server');
    expect(alert.textContent).not.to.contain('SDK ENGLISH');
    expect(text(el)).not.to.contain('No conversations yet');
    await expect(el).to.be.accessible();
    gate.release();
    const retry = [...el.shadowRoot!.querySelectorAll('button')].find((b) =>
      b.textContent!.includes('Try again'),
    )!;
    retry.click();
    await waitUntil(() => client.getState().status === 'ready');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[role="alert"]')).to.equal(null);
    expect(el.shadowRoot!.querySelector('[part~="empty"]')).not.to.equal(null);
  });

  it('SN5, SN7: rows show a failed last message and an opted-out customer; numbers are formatted', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const el = await mount(desk.client);
    const { conversation } = await desk.backend.simulateIncoming({
      senderId: 'alice-sms',
      from: '+14155550101',
      text: 'Hi',
    });
    await desk.backend.simulateIncoming({
      senderId: 'alice-sms',
      from: '+14155550177',
      text: 'Who is this?',
    });
    await settle(desk, el);
    await desk.backend.failNextSend('+14155550101');
    await desk.client.send(conversation.id, { text: 'Your order is ready' });
    await waitUntil(() => rows(el).some((r) => r.textContent!.includes('Queued')), 'queued row', {
      timeout: 4000,
    });
    desk.clock.advance(400);
    await waitUntil(
      () => rows(el).some((r) => r.textContent!.includes('Not delivered')),
      'failed row',
      { timeout: 4000 },
    );
    await desk.backend.setOptOut('+14155550177', 'sms', true);
    await waitUntil(
      () => rows(el).some((r) => r.textContent!.includes('Opted out')),
      'opted-out row',
      { timeout: 4000 },
    );
    const optedOut = rows(el).find((r) => r.textContent!.includes('Opted out'))!;
    // A number without a contact reads as people write it, with the full text on hover.
    const title = optedOut.querySelector('[part~="title"]')!;
    expect(title.textContent).to.equal('+1 415 555 0177');
    expect(title.getAttribute('title')).to.equal('+1 415 555 0177');
    await expect(el).to.be.accessible();
  });

  it('compact rows are about 48 px; the default fits more than 70 px rows did', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    await desk.backend.simulateIncoming({ senderId: 'alice-sms', from: '+14155550101', text: 'A' });
    const comfortable = await mount(desk.client);
    await settle(desk, comfortable);
    const defaultHeight = rows(comfortable)[0]!.getBoundingClientRect().height;
    expect(defaultHeight).to.be.below(64);
    const compact = await mount(desk.client, 'compact');
    await settle(desk, compact);
    const compactHeight = rows(compact)[0]!.getBoundingClientRect().height;
    expect(compactHeight).to.be.within(40, 50);
    await expect(compact).to.be.accessible();
  });

  it('V6: typing fast into search never throws from the virtualized list', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    for (let i = 0; i < 40; i++) {
      await desk.backend.simulateIncoming({
        senderId: 'alice-sms',
        from: `+1415555${String(2000 + i)}`,
        text: `Message ${i}`,
      });
    }
    const el = await mount(desk.client);
    await settle(desk, el);
    const errors: string[] = [];
    const onError = (event: ErrorEvent) => errors.push(event.message);
    window.addEventListener('error', onError);
    const rejections: unknown[] = [];
    const onRejection = (event: PromiseRejectionEvent) => rejections.push(event.reason);
    window.addEventListener('unhandledrejection', onRejection);
    try {
      // Scrolled down, the rendered range starts far past what the search will leave.
      const list = el.shadowRoot!.querySelector<HTMLElement>('[part~="list"]')!;
      list.scrollTop = list.scrollHeight;
      await settle(desk, el);
      el.shadowRoot!.querySelector<HTMLInputElement>('[part~="search-input"]')!.focus();
      await sendKeys({ type: '5552000' });
      await settle(desk, el);
      expect(rows(el).map((r) => r.querySelector('[part~="title"]')!.textContent)).to.deep.equal([
        '+1 415 555 2000',
      ]);
      for (let i = 0; i < 7; i++) await sendKeys({ press: 'Backspace' });
      await sendKeys({ type: '20' });
      await settle(desk, el);
      expect(rows(el).length).to.be.greaterThan(1);
    } finally {
      window.removeEventListener('error', onError);
      window.removeEventListener('unhandledrejection', onRejection);
    }
    expect(errors.filter((m) => !/ResizeObserver loop/.test(m))).to.deep.equal([]);
    expect(rejections).to.deep.equal([]);
  });
});
