/**
 * A domain on the embedded backend (in memory, per instance), as the reference server runs
 * today. It keeps the server usable until the desk engine's repository on Postgres replaces it:
 * the event log, idempotency, jobs and fan-out around it are already durable and shared, but the
 * account's state (conversations, messages) lives in this process.
 */
import type { BackendAdapter, ServerEvent } from '../adapter.js';
import {
  EmbeddedBackend,
  type IncomingInput,
  type ProviderSimulation,
  type SeedData,
} from '../embedded/index.js';
import type { UserId } from '../types.js';
import type { DeskDomain, Outcome } from './domain.js';
import type { AddressedEvent } from './event-log.js';

export interface EmbeddedDomainOptions {
  seed: SeedData;
  /** Incoming messages replayed after seeding (demo history); their events are not logged. */
  history?: IncomingInput[];
  provider?: Partial<ProviderSimulation>;
}

export async function openEmbeddedDomain(options: EmbeddedDomainOptions): Promise<DeskDomain> {
  const backend = await EmbeddedBackend.open({ provider: options.provider ?? {} });
  await backend.seed(options.seed);
  for (const incoming of options.history ?? []) await backend.simulateIncoming(incoming);

  const users = backend.listUsers().map((u) => u.id);
  // Each event reaches every user's subscription as the same object: group them by identity.
  let pending = new Map<ServerEvent, UserId[]>();
  let listener: (events: AddressedEvent[]) => void = () => undefined;
  let busy = 0;
  let flushScheduled = false;
  const take = (): AddressedEvent[] => {
    const events = [...pending].map(([event, audience]) => ({
      event,
      audience: audience.length === users.length ? null : audience,
    }));
    pending = new Map();
    return events;
  };
  const flushSpontaneous = () => {
    flushScheduled = false;
    if (busy === 0 && pending.size > 0) listener(take());
  };
  const unsubscribes = users.map((userId) =>
    backend.subscribe(userId, (event) => {
      const audience = pending.get(event);
      if (audience) audience.push(userId);
      else pending.set(event, [userId]);
      if (busy === 0 && !flushScheduled) {
        flushScheduled = true;
        queueMicrotask(flushSpontaneous);
      }
    }),
  );

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
        if (busy === 0 && pending.size > 0) queueMicrotask(flushSpontaneous);
      }
    });
    queue = next.catch(() => undefined);
    return next;
  };

  return {
    hasUser: async (userId) => users.includes(userId),
    run: (_tx, userId, command: (api: BackendAdapter) => Promise<never>) =>
      exclusive(() => command(backend.connect(userId))),
    receive: (_tx, input) => exclusive(() => backend.simulateIncoming(input)),
    onEvents(next) {
      listener = next;
    },
    async close() {
      for (const unsubscribe of unsubscribes) unsubscribe();
      await backend.close();
    },
  };
}
