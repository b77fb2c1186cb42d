import { createDeskClient, isDeskError } from 'converse-desk';
import { EmbeddedBackend } from 'converse-desk/embedded';

// The embedded backend runs the rules itself. Pass `databaseName` to persist in IndexedDB.
const backend = await EmbeddedBackend.open();
if (!backend.seeded) {
  await backend.seed({
    users: [
      { id: 'ada', name: 'Ada', role: 'admin', portalLicense: true },
      { id: 'alice', name: 'Alice', role: 'standard', portalLicense: true },
    ],
    senders: [
      {
        id: 'alice-sms',
        channel: 'sms',
        address: '+14155550001',
        label: 'Alice SMS',
        access: { type: 'owned', userId: 'alice' },
      },
    ],
    settings: { defaultAdminId: 'ada' },
    contacts: [{ id: 'dana', phone: '+14155550101', firstName: 'Dana', lastName: 'Díaz' }],
  });
}

// One client per signed-in user.
const desk = createDeskClient({ adapter: backend.connect('alice') });
await desk.connect();
desk.on('notification', (n) => console.log(`notification: ${n.kind} in ${n.conversationId}`));

// A customer writes in (RT1: Alice owns the sender ID, so the conversation is hers).
await backend.simulateIncoming({ senderId: 'alice-sms', from: '+14155550101', text: 'Hi!' });
await desk.idle();

const inbox = desk.view({ kind: 'mine' });
const row = inbox.rows[0]!;
console.log(`${inbox.unread} unread; first: ${row.title}: ${row.conversation.lastMessage?.text}`);

// Ask the send guard before sending, then send.
const verdict = await desk.checkSend(
  { conversationId: row.conversation.id },
  { text: 'Hello Dana' },
);
console.log(`send guard: ${verdict.outcome}`);
const message = await desk.send(row.conversation.id, { text: 'Hello Dana' });
console.log(`sent, status ${message.status}`);

// Refusals are typed and change nothing.
try {
  await desk.send(row.conversation.id, { text: '   ' });
} catch (error) {
  if (isDeskError(error)) console.log(`refused: ${error.code}`);
}

export { desk, message };
