import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import {
  createDeskClient,
  DeskError,
  type BackendAdapter,
  type DeskClient,
} from '../../src/index.js';
import { EmbeddedBackendForTests } from '../shared/test-desk.js';
import '../provider/provider.js';
import type { CdCompose } from './compose.js';
import './compose.js';

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

async function setup(mode: 'hold' | 'fail') {
  const desk = await EmbeddedBackendForTests('alice');
  const { conversation } = await desk.backend.simulateIncoming({
    senderId: 'alice-sms',
    from: '+14155550101',
    text: 'Hello',
  });
  const gate = gated(desk.backend.connect('alice'), mode);
  const client = createDeskClient({ adapter: gate.adapter, clock: desk.clock });
  const connecting = client.connect().catch(() => undefined);
  if (mode === 'fail') await connecting;
  const el = await mount(client, conversation.id);
  return { client, el, gate };
}

async function mount(client: DeskClient, id: string): Promise<CdCompose> {
  const wrapper = await fixture<HTMLElement>(
    html`<cd-desk-provider .client=${client}
      ><cd-compose .conversationId=${id}></cd-compose
    ></cd-desk-provider>`,
  );
  const el = wrapper.querySelector('cd-compose')!;
  await el.updateComplete;
  return el;
}

const part = <E extends Element = HTMLElement>(el: CdCompose, name: string) =>
  el.shadowRoot!.querySelector<E>(`[part~="${name}"]`);
const text = (node: Element | null) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();

describe('<cd-compose> states', () => {
  it('while the desk connects, says so and keeps the box and Send disabled; then they work', async () => {
    const { el, gate, client } = await setup('hold');
    expect(client.getState().status).to.equal('connecting');
    const status = part(el, 'connection')!;
    expect(status.getAttribute('role')).to.equal('status');
    expect(text(status)).to.equal('Connecting to the desk… You can write once it is connected.');
    expect(part<HTMLTextAreaElement>(el, 'textarea')!.disabled).to.equal(true);
    expect(part<HTMLButtonElement>(el, 'send-button')!.disabled).to.equal(true);
    await expect(el).to.be.accessible();
    gate.release();
    await waitUntil(() => client.getState().status === 'ready', 'the desk connects');
    await el.updateComplete;
    expect(part(el, 'connection')).to.equal(null);
    expect(part<HTMLTextAreaElement>(el, 'textarea')!.disabled).to.equal(false);
  });

  it('an unreachable backend says in plain words why nothing can be sent', async () => {
    const { el, client } = await setup('fail');
    expect(client.getState().status).to.equal('error');
    await el.updateComplete;
    const alert = part(el, 'connection')!;
    expect(alert.getAttribute('role')).to.equal('alert');
    expect(text(alert)).to.contain('Messages cannot be sent right now');
    expect(text(alert)).to.contain('could not reach the server');
    expect(text(alert)).not.to.contain('SDK ENGLISH');
    expect(part<HTMLTextAreaElement>(el, 'textarea')!.disabled).to.equal(true);
    expect(part<HTMLButtonElement>(el, 'send-button')!.disabled).to.equal(true);
    await expect(el).to.be.accessible();
  });
});
