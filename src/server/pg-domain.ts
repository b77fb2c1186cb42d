/**
 * The server's domain: the desk engine over the Postgres repository, so every instance on one
 * database shares the account's state. A command runs in the caller's transaction; what it
 * publishes comes back as log rows, and what it hands to the provider becomes a durable job, run
 * after the commit by exactly one instance (jobs are claimed with SKIP LOCKED). The engine's
 * timers are jobs too: SN6's release at the next opening, the resume of messages the provider had
 * not finished after a restart, and the purge of old idempotency keys.
 */
import type { BackendAdapter } from '../adapter.js';
import { systemClock, type Clock } from '../clock.js';
import { DEFAULT_PROVIDER, type ProviderSimulation } from '../embedded/provider.js';
import type { IncomingInput, SeedData } from '../embedded/index.js';
import { engineAdapter } from '../engine/adapter.js';
import { eventFor, reaches, type AddressedEvent as EngineEvent } from '../engine/audience.js';
import type { DeskProvider } from '../engine/context.js';
import { createDeskEngine, type DeskEngine } from '../engine/engine.js';
import type { DeskStore } from '../engine/repository.js';
import { DeskError } from '../errors.js';
import { toE164 } from '../phone.js';
import { nextOpening } from '../rules/business-hours.js';
import type { StatusUpdate } from '../rules/status.js';
import type { Conversation, Message, User, UserId } from '../types.js';
import type { Database, Db } from './db.js';
import type { DeskDomain, Incoming, Outcome } from './domain.js';
import { appendEvents, type AddressedEvent, type LoggedEvent } from './event-log.js';
import { scheduleJob, type JobHandler } from './jobs.js';
import { DurableSimulatedProvider, SIMULATED_STATUS_JOB } from './pg-simulated-provider.js';
import {
  currentUnit,
  inUnit,
  newUnit,
  postgresRepository,
  storeOf,
  type Unit,
} from './pg-repository.js';
import { createReceiveBatcher, type IntakeEntry, type IntakeOutcome } from './receive-batcher.js';

/** What a provider may ask of the desk: its SN7 status command, and reads. */
export interface ProviderDesk {
  /** SN7: a status for a message; logged with its events in one transaction. */
  applyStatus(messageId: string, update: StatusUpdate): Promise<void>;
  /** SN5: the carrier says the recipient of this message opted out; logged like a STOP. */
  optOutRecipientOf(messageId: string): Promise<void>;
  /** Reads the account's state (sender IDs, templates, contacts) outside any command. */
  read<T>(work: (store: DeskStore) => Promise<T>): Promise<T>;
}

export interface PostgresDomainOptions {
  database: Database;
  /** The account, stored on the first start only (a stored account is kept): later starts may omit it. */
  seed?: SeedData;
  /** Incoming messages replayed after the first seeding (a demo's history); not logged. */
  history?: IncomingInput[];
  /**
   * The messaging provider (the carriers' dispatcher), made from the desk it reports to. Its
   * `dispatch` is called by a job after the command committed, on one instance. Default: the
   * simulated provider, with `simulation`'s delays.
   */
  provider?: (desk: ProviderDesk) => DeskProvider & { close?(): void };
  simulation?: Partial<ProviderSimulation>;
  /**
   * Hand the messages the provider had not finished to it again when an instance starts (for a
   * provider that keeps its timers in memory). Default true, except for the simulated provider,
   * whose pending statuses are durable jobs.
   */
  resumeInFlight?: boolean;
  clock?: Clock;
}

export interface PostgresDomain extends DeskDomain {
  readonly engine: DeskEngine;
  /** The domain's durable jobs, for the server's job runner. */
  readonly jobs: Record<string, JobHandler>;
  /** A customer's message in its own transaction, grouped with those arriving at the same time. */
  receiveNow(input: IncomingInput): Promise<Incoming>;
  /** Demo reset: stores the account and its history again, in `tx`, on an emptied desk. */
  reseed(tx: Db): Promise<void>;
  intake(entry: IntakeEntry): Promise<IntakeOutcome>;
  applyStatus(messageId: string, update: StatusUpdate): Promise<void>;
  /** Each group commit's events as logged, once committed (for the hub: no read of the log). */
  onCommitted(listener: (events: LoggedEvent[]) => void): void;
}

export const JOB = {
  dispatch: 'desk.dispatch',
  release: 'desk.release',
  resume: 'desk.resume',
  purge: 'desk.purge-keys',
} as const;
const HOUR = 3600_000;

export async function openPostgresDomain(options: PostgresDomainOptions): Promise<PostgresDomain> {
  const { db } = options.database;
  const clock = options.clock ?? systemClock;
  const users = new Map<UserId, User>();
  let listener: (events: AddressedEvent[]) => void = () => undefined;

  const desk: ProviderDesk = {
    applyStatus: (messageId, update) =>
      ownTransaction(() => engine.applyStatus(messageId, update)).then(() => undefined),
    optOutRecipientOf: (messageId) =>
      ownTransaction(async () => {
        const store = await storeOf(currentUnit()!);
        const message = await store.getMessage(messageId);
        const conversation = message && (await store.getConversation(message.conversationId));
        if (conversation) await engine.setOptOut(conversation.customer, conversation.channel, true);
      }),
    read(work) {
      const unit = newUnit(db); // not a transaction: no lock
      return inUnit(unit, async () => work(await storeOf(unit)));
    },
  };
  let simulated: DurableSimulatedProvider | undefined;
  const provider: DeskProvider & { close?(): void } =
    options.provider?.(desk) ??
    (simulated = new DurableSimulatedProvider(db, clock, {
      ...DEFAULT_PROVIDER,
      ...options.simulation,
    }));
  /** A hand-over from a job: the simulated provider's status jobs are stored before it ends. */
  const handOver = async (message: Message, conversation: Conversation, at: number) => {
    if (simulated) await simulated.schedule(message, conversation, at);
    else provider.dispatch(message, conversation, at);
  };

  const engine = createDeskEngine({
    repository: postgresRepository(db),
    clock,
    createId() {
      const id = globalThis.crypto.randomUUID();
      currentUnit()?.store?.markNew(id); // known absent: no lookup for it
      return id;
    },
    provider: {
      // In a unit, the hand-off waits for the commit (a job); outside one, it goes now.
      dispatch(message, conversation, at) {
        const unit = currentUnit();
        if (unit) unit.handOffs.push({ message, conversation, at });
        else provider.dispatch(message, conversation, at);
      },
    },
    publish(event) {
      const unit = currentUnit();
      if (unit) unit.events.push(event);
      else listener(toLog(event, [...users.values()]));
    },
  });

  /** After the commands of `unit`, in its transaction: jobs for what it started, its log rows. */
  async function finish(unit: Unit): Promise<AddressedEvent[]> {
    const now = clock.now();
    for (const { message, at } of unit.handOffs) {
      await scheduleJob(
        unit.tx,
        { kind: JOB.dispatch, payload: { messageId: message.id, attempt: message.attempt, at } },
        now,
      );
    }
    // SN6: something queued, or new hours: the release moves to the next opening.
    const queues = unit.events.some(
      ({ event: e }) =>
        e.type === 'settings.updated' ||
        (e.type === 'message.created' && e.message.queueReason !== undefined) ||
        (e.type === 'message.status' && e.status === 'queued'),
    );
    if (queues) await scheduleRelease(unit, now);
    const everyone = [...users.values()];
    return unit.events.flatMap((e) => toLog(e, everyone));
  }

  async function scheduleRelease(unit: Unit, now: number): Promise<void> {
    const hours = (await (await storeOf(unit)).getSettings())?.businessHours;
    const opens = nextOpening(hours, now);
    if (opens !== null) {
      await scheduleJob(unit.tx, { kind: JOB.release, runAt: opens, uniqueKey: JOB.release }, now);
    }
  }

  /** One command in the caller's transaction. */
  async function within<T>(tx: Db, work: () => Promise<T>): Promise<Outcome<T>> {
    const unit = newUnit(tx);
    const result = await inUnit(unit, work);
    if (!tx.isTransaction) return { result, events: [] };
    await unit.store?.flush();
    return { result, events: await finish(unit) };
  }

  /** Transactions the domain started itself: `close` waits for them. */
  const running = new Set<Promise<unknown>>();
  const track = <T>(work: Promise<T>): Promise<T> => {
    running.add(work);
    void work.finally(() => running.delete(work)).catch(() => undefined);
    return work;
  };

  /** One command in a transaction of its own, its events logged in it. */
  function ownTransaction<T>(work: () => Promise<T>): Promise<T> {
    return track(
      db.transaction().execute(async (tx) => {
        const { result, events } = await within(tx, work);
        await appendEvents(tx, events, clock.now());
        return result;
      }),
    );
  }

  // ---- first start: the account, and its demo history -----------------------------------------
  async function storeAccount(tx: Db): Promise<void> {
    const unit = newUnit(tx);
    await inUnit(unit, async () => {
      if (await (await storeOf(unit)).getSettings()) return; // stored by an earlier start
      if (!options.seed)
        throw new Error('No account yet: pass `seed` (DESK_SEED) on the first start.');
      await engine.seed(options.seed);
      for (const incoming of options.history ?? []) await engine.receive(incoming);
      await unit.store?.flush();
    });
    users.clear();
    for (const user of await listUsers(tx)) users.set(user.id, user);
  }
  const listUsers = (tx: Db) => inUnit(newUnit(tx), () => engine.listUsers());
  await db.transaction().execute(storeAccount);

  const user = async (userId: UserId): Promise<User> => {
    const known = users.get(userId);
    if (known) return known;
    throw new DeskError('not_found', `Unknown user ${userId}.`, { details: { userId } });
  };

  const jobs: Record<string, JobHandler> = {
    async [JOB.dispatch](payload) {
      const { messageId, attempt, at } = payload as {
        messageId: string;
        attempt: number;
        at: number;
      };
      const found = await desk.read(async (store) => {
        const message = await store.getMessage(messageId);
        const conversation = message && (await store.getConversation(message.conversationId));
        return message && conversation && { message, conversation };
      });
      // A message retried since, or finished, is not handed over again.
      if (found && found.message.attempt === attempt) {
        await handOver(found.message, found.conversation, at);
      }
    },
    async [JOB.release]() {
      await db.transaction().execute(async (tx) => {
        const { result: next, events } = await within(tx, () => engine.releaseDue());
        if (next !== null)
          await scheduleJob(tx, { kind: JOB.release, runAt: next, uniqueKey: JOB.release });
        await appendEvents(tx, events, clock.now());
      });
    },
    async [JOB.resume]() {
      const now = clock.now();
      for (const [message, conversation] of await engine.inFlight()) {
        await handOver(message, conversation, now);
      }
    },
    ...(simulated && {
      [SIMULATED_STATUS_JOB]: simulated.handler((id, update) => desk.applyStatus(id, update)),
    }),
    async [JOB.purge]() {
      await engine.purgeIdempotency();
      await scheduleJob(db, { kind: JOB.purge, runAt: clock.now() + HOUR, uniqueKey: JOB.purge });
    },
  };
  await scheduleJob(db, { kind: JOB.purge, uniqueKey: JOB.purge });
  if (options.resumeInFlight ?? !simulated)
    await scheduleJob(db, { kind: JOB.resume, uniqueKey: JOB.resume });
  // Hours may have been set before this start (by another instance, or a seed with hours).
  await db.transaction().execute((tx) => {
    const unit = newUnit(tx);
    return inUnit(unit, () => scheduleRelease(unit, clock.now()));
  });

  let committed: (events: LoggedEvent[]) => void = () => undefined;
  const batcher = createReceiveBatcher({
    db,
    run: (input) => engine.receive(input),
    finish,
    now: () => clock.now(),
    onCommitted: (events) => committed(events),
    overlap: options.database.kind === 'postgres',
  });

  return {
    engine,
    jobs,
    receiveNow: (input) => track(batcher.receive(input)),
    reseed: storeAccount,
    intake: (entry) => track(batcher.intake(entry)),
    applyStatus: desk.applyStatus,
    async hasUser(userId) {
      if (users.has(userId)) return true;
      // Users are set up by seeding, possibly by another instance: look once more.
      for (const u of await engine.listUsers()) users.set(u.id, u);
      return users.has(userId);
    },
    async run<T>(tx: Db, userId: UserId, command: (api: BackendAdapter) => Promise<T>) {
      const api = engineAdapter(engine, await user(userId));
      return within(tx, () => command(api));
    },
    receive: (tx, input) => within(tx, () => engine.receive(input)),
    simulate: (tx, simulation) =>
      within(tx, async (): Promise<unknown> => {
        switch (simulation.action) {
          case 'campaign':
            return engine.sendCampaign(simulation.input);
          case 'consent':
            return engine.setConsent(simulation.phone, simulation.consent);
          case 'fail-next':
            // The simulated provider (demo and tests run one), shared through the database.
            if (!simulated) throw new DeskError('not_found', 'No simulated provider.');
            return simulated.failNext(
              tx,
              await toE164(simulation.phone),
              simulation.reason ?? 'Carrier rejected the message',
            );
          case 'business-hours':
            return engine.setBusinessHours(simulation.hours);
        }
      }),
    onEvents(next) {
      listener = next;
    },
    onCommitted(next) {
      committed = next;
    },
    async close() {
      if (provider !== simulated) provider.close?.();
      await Promise.allSettled([...running]); // a status being applied finishes first
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
