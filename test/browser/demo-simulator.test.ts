import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { createDeskClient } from '../../src/index.js';
import { EmbeddedBackend } from '../../src/embedded/index.js';
import { seed } from '../support/seed.js';
import { createDemoClock } from '../../examples/demo/demo-clock.js';
import '../../examples/demo/phone-simulator.js';
import type { DemoPhoneSimulator } from '../../examples/demo/phone-simulator.js';

const button = (el: DemoPhoneSimulator, text: string) =>
  [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.trim() === text)!;

describe('demo phone simulator', () => {
  it('SN6: "Jump to opening hours" moves time to the opening and the queued message goes out', async () => {
    const clock = createDemoClock();
    const backend = await EmbeddedBackend.open({ clock, databaseName: `demo-sim-${Date.now()}` });
    await backend.seed(seed());
    const client = createDeskClient({ adapter: backend.connect('alice'), clock });
    await client.connect();
    const el = await fixture<DemoPhoneSimulator>(
      html`<demo-phone-simulator .backend=${backend} .clock=${clock}></demo-phone-simulator>`,
    );
    const { conversation } = await backend.simulateIncoming({
      senderId: 'alice-sms',
      from: '+14155550101',
      text: 'Hi',
    });
    button(el, 'Close the office').click();
    const slow = { timeout: 5000 }; // a loaded machine runs the IndexedDB work slowly
    await waitUntil(
      () => el.shadowRoot!.querySelector('output')!.textContent!.includes('closed'),
      'office closed',
      slow,
    );
    await waitUntil(
      () => client.getState().settings?.businessHours !== undefined,
      'hours known',
      slow,
    );
    const message = await client.send(conversation.id, { text: 'We open soon' });
    expect(message.status).to.equal('queued');

    const before = clock.now();
    button(el, 'Jump to opening hours').click();
    await waitUntil(
      () => el.shadowRoot!.querySelector('output')!.textContent!.includes('opening'),
      'time moved',
      slow,
    );
    const now = new Date(clock.now());
    expect(clock.now()).to.be.greaterThan(before);
    expect([now.getUTCHours(), now.getUTCMinutes()]).to.deep.equal([9, 0]);
    await waitUntil(
      () => {
        const items = client.getState().threads.get(conversation.id)?.items ?? [];
        return items.some((m) => m.text === 'We open soon' && m.status !== 'queued');
      },
      'the queued message goes out',
      { timeout: 5000 },
    );
    await expect(el).to.be.accessible();
  });
});
