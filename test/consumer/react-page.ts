// A React host page, bundled by the consumer test against the installed package.
import { createElement as h } from 'react';
import { createRoot } from 'react-dom/client';
import { createDeskClient } from 'converse-desk';
import { EmbeddedBackend } from 'converse-desk/embedded';
import { Desk } from 'converse-desk/react';

const backend = await EmbeddedBackend.open();
await backend.seed({
  users: [{ id: 'alice', name: 'Alice', role: 'admin', portalLicense: true }],
  senders: [
    {
      id: 'alice-sms',
      channel: 'sms',
      address: '+14155550001',
      label: 'Alice SMS',
      access: { type: 'owned', userId: 'alice' },
    },
  ],
  settings: { defaultAdminId: 'alice' },
});
const client = createDeskClient({ adapter: backend.connect('alice') });
const ready = new Promise<void>((resolve) => {
  const off = client.subscribe((state) => {
    if (state.status !== 'ready') return;
    off();
    resolve();
  });
});
const root = document.createElement('main');
document.body.append(root);
createRoot(root).render(
  h(Desk, {
    client,
    onCdNotification: (event) => console.log(`notification ${event.detail.unseen}`),
  }),
);
await ready; // <cd-desk> connects the client it was given
if (document.querySelector('cd-desk')?.client === client) console.log('client set');
await backend.simulateIncoming({ senderId: 'alice-sms', from: '+14155550101', text: 'Hi!' });
