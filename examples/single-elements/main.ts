/**
 * Single elements in a plain page, against the HTTP adapter and the team server in demo mode
 * (`npm start` runs both; the server's URL can be given as `?server=`). A CRM mints the token
 * itself (README, "Auth for a CRM"); here the demo server's issuer does.
 */
import { createDeskClient, type ConversationRow } from 'converse-desk';
import { createHttpAdapter } from 'converse-desk/http';
import 'converse-desk/components/provider';
import 'converse-desk/components/inbox';
import 'converse-desk/components/conversation';

const params = new URL(location.href).searchParams;
const server = params.get('server') ?? `${location.protocol}//${location.hostname}:8787`;
const user = params.get('user') ?? 'sam';

let token: Promise<string> | undefined;
const signIn = ({ refresh }: { refresh: boolean }) => {
  if (refresh || !token) {
    token = fetch(`${server}/demo/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: user }),
    })
      .then((response) => response.json())
      .then((answer: { token: string }) => answer.token);
  }
  return token;
};

const client = createDeskClient({
  adapter: createHttpAdapter({
    baseUrl: server,
    token: signIn,
    outbox: { databaseName: `converse-desk-outbox-${user}` },
    cache: { databaseName: `converse-desk-cache-${user}` },
  }),
});

const provider = document.querySelector('cd-desk-provider')!;
provider.client = client;
const conversation = document.querySelector('cd-conversation')!;
document.querySelector('cd-inbox')!.addEventListener('cd-conversation-select', (event) => {
  conversation.conversationId = event.detail.conversationId;
});
const status = document.querySelector('#status')!;
try {
  await client.connect();
  status.textContent = `Signed in as ${client.me.name} on ${server}`;
} catch (error) {
  status.textContent = `Could not reach the server at ${server}: ${(error as Error).message}`;
}

// A customer writes in through the server's demo endpoint.
document.querySelector('form')!.addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = (document.querySelector('#text') as HTMLInputElement).value;
  const first: ConversationRow | undefined = client.view({ kind: 'mine' }).rows[0];
  await fetch(`${server}/simulate/incoming`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${await signIn({ refresh: false })}`,
    },
    body: JSON.stringify({
      senderId: first?.conversation.senderId ?? 'sam-sms',
      from: first?.conversation.customer ?? '+14155550101',
      text,
    }),
  });
});
