/**
 * A domain on the embedded backend (in memory, per instance), as the reference server runs
 * today. It keeps the server usable until the desk engine's repository on Postgres replaces it:
 * the event log, idempotency, jobs and fan-out around it are already durable and shared, but the
 * account's state (conversations, messages) lives in this process.
 */
import type { BackendAdapter } from '../adapter.js';
import {
  EmbeddedBackend,
  type IncomingInput,
  type ProviderSimulation,
  type SeedData,
} from '../embedded/index.js';
import type { DeskProvider } from '../engine/context.js';
import { eventFor, reaches, type AddressedEvent as EngineEvent } from '../engine/index.js';
import type { User } from '../types.js';
import type { DeskDomain, Outcome } from './domain.js';
import type { AddressedEvent } from './event-log.js';

export interface EmbeddedDomainOptions {
  seed: SeedData;
  /** Incoming messages replayed after seeding (demo history); their events are not logged. */
  history?: IncomingInput[];
  provider?: Partial<ProviderSimulation>;
  /** The engine's provider when real carriers send (the carrier dispatcher); else the simulation. */
  dispatcher?: DeskProvider;
}

export async function openEmbeddedDomain(options: EmbeddedDomainOptions): Promise<DeskDomain> {
  const backend = await EmbeddedBackend.open({
    provider: options.provider ?? {},
    ...(options.dispatcher && { dispatcher: options.dispatcher }),
  });
  await backend.seed(options.seed);
  for (const incoming of options.history ?? []) await backend.simulateIncoming(incoming);

  const users = backend.listUsers();
  let pending: AddressedEvent[] = [];
  let listener: (events: AddressedEvent[]) => void = () => undefined;
  let busy = 0;
  let flushScheduled = false;
  const take = (): AddressedEvent[] => {
    const events = pending;
    pending = [];
    return events;
  };
  const flushSpontaneous = () => {
    flushScheduled = false;
    if (busy === 0 && pending.length > 0) listener(take());
  };
  const unsubscribe = backend.engine.onEvent((addressed) => {
    pending.push(...toLog(addressed, users));
    if (busy === 0 && !flushScheduled) {
      flushScheduled = true;
      queueMicrotask(flushSpontaneous);
    }
  });

  // One command at a time, so that the events of one are not counted in another's.
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<Outcome<T>> => {
    const next = queue.then(async () => {
      busy++;
      try {
        const result = await work();
        return { result, events: take() };
      } finally {
        busy--;
        // Timer events that arrived while a refused command ran still go out.
        if (busy === 0 && pending.length > 0) queueMicrotask(flushSpontaneous);
      }
    });
    queue = next.catch(() => undefined);
    return next;
  };

  return {
    hasUser: async (userId) => users.some((u) => u.id === userId),
    run: (_tx, userId, command: (api: BackendAdapter) => Promise<never>) =>
      exclusive(() => command(backend.connect(userId))),
    receive: (_tx, input) => exclusive(() => backend.simulateIncoming(input)),
    directory: {
      sender: (id) => backend.engine.repository.transaction((s) => s.getSender(id)),
      template: (id) => backend.engine.repository.transaction((s) => s.getTemplate(id)),
      contact: (phone) => backend.engine.repository.transaction((s) => s.getContactByPhone(phone)),
    },
    applyStatus: (_tx, messageId, update) =>
      exclusive(() => backend.engine.applyStatus(messageId, update)),
    simulate: (_tx, simulation) =>
      exclusive(async (): Promise<unknown> => {
        switch (simulation.action) {
          case 'campaign':
            return backend.sendCampaign(simulation.input);
          case 'consent':
            return backend.setConsent(simulation.phone, simulation.consent);
          case 'fail-next':
            return backend.failNextSend(simulation.phone, simulation.reason);
          case 'business-hours':
            return backend.setBusinessHours(simulation.hours);
        }
      }),
    onEvents(next) {
      listener = next;
    },
    async close() {
      unsubscribe();
      await backend.close();
    },
  };
}

/**
 * The engine's addressing as log rows: a list of user ids (null for everyone). A message with an
 * idempotency key is shown with its key to its sender only (issue 8), so it becomes two rows:
 * one for the sender, one for the others; each user receives exactly one of them.
 */
export function toLog({ event, audience }: EngineEvent, users: User[]): AddressedEvent[] {
  const reached = users.filter((u) => reaches(audience, u)).map((u) => u.id);
  const all = reached.length === users.length;
  if (event.type !== 'message.created' || event.message.idempotencyKey === undefined) {
    return [{ event, audience: all ? null : reached }];
  }
  const sender = event.message.sentBy;
  const others = reached.filter((id) => id !== sender);
  return [
    ...(sender && reached.includes(sender) ? [{ event, audience: [sender] }] : []),
    ...(others.length ? [{ event: eventFor(event, others[0]!), audience: others }] : []),
  ];
}
