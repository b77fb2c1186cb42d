/** Browser benchmark page: <cd-inbox> over 10k conversations; reports to window.benchResult. */
import type { BackendAdapter } from '../src/adapter.js';
import { createDeskClient } from '../src/index.js';
import type { Contact, Conversation, User } from '../src/types.js';
import '../components/provider/provider.js';
import '../components/inbox/inbox.js';

const COUNT = Number(new URL(location.href).searchParams.get('count') ?? 10_000);
const admin: User = { id: 'admin', name: 'Admin', role: 'admin', portalLicense: true };
const conversations: Conversation[] = [];
const contacts: Contact[] = [];
for (let i = 0; i < COUNT; i++) {
  const customer = `+1415${String(2000000 + i).padStart(7, '0')}`;
  conversations.push({
    id: `c${i}`,
    senderId: i % 2 ? 's1' : 's2',
    channel: i % 2 ? 'sms' : 'whatsapp',
    customer,
    ownerId: 'admin',
    unread: i % 3 === 0,
    hasIncoming: true,
    lastActivityAt: 1_700_000_000_000 + i * 1000,
    lastMessage: {
      messageId: `m${i}`,
      direction: 'in',
      text: `Message number ${i}`,
      at: 1_700_000_000_000 + i * 1000,
      status: 'delivered',
      hasMedia: false,
    },
    outgoingBy: [],
    createdAt: 0,
    revision: 1,
  });
  contacts.push({
    id: `k${i}`,
    phone: customer,
    firstName: `Name${i}`,
    lastName: 'Example',
    createdAt: 0,
    updatedAt: 0,
  });
}
const adapter = {
  session: async () => ({ user: admin, settings: { defaultAdminId: 'admin' } }),
  listUsers: async () => [admin],
  listSenderIds: async () => [],
  listTemplates: async () => [],
  listContacts: async () => ({ items: contacts, nextCursor: null }),
  listConversations: async () => ({ items: conversations, nextCursor: null }),
  subscribe: () => () => undefined,
} as unknown as BackendAdapter;

const client = createDeskClient({ adapter });
await client.connect();
const provider = document.createElement('cd-desk-provider');
provider.client = client;
document.body.append(provider);

const start = performance.now();
const inbox = document.createElement('cd-inbox');
provider.append(inbox);
const rows = () => inbox.shadowRoot?.querySelectorAll('[role="option"]').length ?? 0;
await new Promise<void>((resolve) => {
  const poll = () => (rows() > 0 ? resolve() : requestAnimationFrame(poll));
  poll();
});
const firstRowsMs = performance.now() - start;
// Scroll through the list and count row elements at the end.
const list = inbox.shadowRoot!.querySelector<HTMLElement>('[role="listbox"]')!;
let maxRows = rows();
for (let i = 0; i < 20; i++) {
  list.scrollTop += 2000;
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  maxRows = Math.max(maxRows, rows());
}
(window as unknown as { benchResult: unknown }).benchResult = {
  count: COUNT,
  firstRowsMs,
  maxRows,
};
