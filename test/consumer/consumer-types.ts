// A host's TypeScript file using the public types; the consumer test compiles it against the
// installed package with `moduleResolution` `bundler` and `node16`.
import {
  createDeskClient,
  isDeskError,
  type DeskClient,
  type DeskErrorCode,
  type Message,
  type ViewKey,
} from 'converse-desk';
import { EmbeddedBackend } from 'converse-desk/embedded';
import { createHttpAdapter } from 'converse-desk/http';
import { CdDesk, type ConversationSelectDetail } from 'converse-desk/components';
import { CdInbox } from 'converse-desk/components/inbox';
import { Desk } from 'converse-desk/react';
import { createElement } from 'react';

export async function embedded(): Promise<DeskClient> {
  const backend = await EmbeddedBackend.open({ databaseName: 'host' });
  const client = createDeskClient({ adapter: backend.connect('alice') });
  await client.connect();
  return client;
}

export function overHttp(token: () => Promise<string>): DeskClient {
  return createDeskClient({
    adapter: createHttpAdapter({ baseUrl: 'https://crm.example.com/desk', token }),
  });
}

export async function send(client: DeskClient, conversationId: string): Promise<Message['status']> {
  const mine: ViewKey = { kind: 'mine' };
  const unread: number = client.view(mine).unread;
  try {
    const message = await client.send(conversationId, { text: `${unread} unread` });
    return message.status;
  } catch (error) {
    const code: DeskErrorCode | undefined = isDeskError(error) ? error.code : undefined;
    throw new Error(code ?? 'unknown');
  }
}

export function mount(client: DeskClient): CdDesk {
  const desk = document.createElement('cd-desk');
  desk.client = client;
  desk.addEventListener('cd-conversation-select', (event) => {
    const detail: ConversationSelectDetail = event.detail;
    console.log(detail.conversationId);
  });
  const inbox: CdInbox | null = desk.shadowRoot?.querySelector('cd-inbox') ?? null;
  console.log(inbox?.tagName);
  return desk;
}

export const deskInReact = (client: DeskClient) =>
  createElement(Desk, {
    client,
    onCdNotification: (event) => console.log(event.detail.unseen),
    onCdConversationSelect: (event) => console.log(event.detail.conversationId),
  });
