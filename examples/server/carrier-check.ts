/**
 * Carrier check: tries your carrier settings before the desk depends on them. It serves the same
 * webhook routes as the desk server (`/webhooks/{carrier}`, verified the same way) and prints each
 * verified event; with `--send`, it sends one message and then prints its statuses.
 *
 *   DESK_PUBLIC_URL=https://<your tunnel> TWILIO_ACCOUNT_SID=… TWILIO_AUTH_TOKEN=… \
 *     node --import tsx examples/server/carrier-check.ts [--port 8788] \
 *     [--send sms|whatsapp --from +1… --to +1… --text "Hello"]
 *
 * Forged or misrouted webhooks are answered 403 and printed as such: the carrier's own console
 * (Twilio Debugger, Meta's webhook test button) shows the same answer.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import {
  carriersFromEnv,
  createWebhookPipeline,
  handleWebhookRequest,
  memoryInbox,
  type CarrierDesk,
} from '../../src/server/carriers/index.js';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '8788' },
    send: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    text: { type: 'string', default: 'Hello from Converse Desk' },
  },
});

const carriers = carriersFromEnv(process.env);
if (carriers.providers.length === 0) {
  console.error('No carrier configured: see "Carriers" in the README for the variables.');
  process.exit(1);
}
// Prints what the desk would receive; a status is applied to nothing, so it counts as known.
const desk: CarrierDesk = {
  async receive(carrier, message) {
    console.log(`[${carrier}] message from ${message.from} to ${message.to}:`, message.text);
  },
  async status(carrier, update) {
    console.log(`[${carrier}] ${update.carrierMessageId} → ${update.status}`, update.reason ?? '');
    return true;
  },
};
const pipeline = createWebhookPipeline({
  providers: carriers.providers,
  inbox: memoryInbox(),
  desk,
  onError: (error) => console.error(error),
});

const server = createServer(async (req, res) => {
  const match = /^\/webhooks\/([a-z]+)(?:\?|$)/.exec(req.url ?? '');
  if (!match) {
    res.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers.set(name, value);
  }
  const request = new Request(`http://${req.headers.host ?? 'localhost'}${req.url}`, {
    method: req.method ?? 'GET',
    headers,
    ...(req.method === 'GET' || req.method === 'HEAD' ? {} : { body: Buffer.concat(chunks) }),
  });
  const response = await handleWebhookRequest(pipeline, match[1]!, request, {
    publicBaseUrl: process.env.DESK_PUBLIC_URL,
  });
  console.log(`${req.method} ${req.url} → ${response.status}`);
  res.writeHead(response.status, { 'content-type': response.headers.get('content-type') ?? '' });
  res.end(await response.text());
});

server.listen(Number(args.port), () => {
  const { port } = server.address() as AddressInfo;
  for (const provider of carriers.providers) {
    const base = process.env.DESK_PUBLIC_URL!.replace(/\/$/, '');
    console.log(`${provider.name}: ${base}/webhooks/${provider.name} → localhost:${port}`);
  }
});

if (args.send) {
  const channel = args.send === 'whatsapp' ? 'whatsapp' : 'sms';
  if (!args.from || !args.to) throw new Error('--send needs --from and --to (E.164).');
  const receipt = await carriers
    .forChannel(channel)
    .send({ channel, from: args.from, to: args.to, text: args.text!, media: [] });
  console.log(`sent ${receipt.carrierMessageId} (${receipt.status}); waiting for statuses…`);
}
