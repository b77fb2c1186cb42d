/**
 * The embedded backend: the desk engine over an IndexedDB (or memory) repository, with a
 * simulated messaging provider, for many users at once. `connect(userId)` gives one user's
 * adapter. Every rule is the engine's; this file only wires storage, timers and the simulation.
 */
import type { BackendAdapter } from '../adapter.js';
import { systemClock, type Clock } from '../clock.js';
import { engineAdapter } from '../engine/adapter.js';
import type { CampaignResult } from '../engine/commands/sending.js';
import type { Received } from '../engine/commands/incoming.js';
import type { SeedData } from '../engine/commands/directory.js';
import { createDeskEngine, type DeskEngine } from '../engine/engine.js';
import { createMemoryRepository } from '../engine/memory-repository.js';
import { DeskError } from '../errors.js';
import { toE164 } from '../phone.js';
import { nextOpening } from '../rules/business-hours.js';
import type { AccountSettings, Channel, Media, User, UserId } from '../types.js';
import { openIndexedDbRepository, type PersistentRepository } from './persistence.js';
import { DEFAULT_PROVIDER, SimulatedProvider, type ProviderSimulation } from './provider.js';

export type { ProviderSimulation } from './provider.js';
export type { SeedData } from '../engine/commands/directory.js';

export interface EmbeddedBackendOptions {
  clock?: Clock;
  /** IndexedDB database name. Without one, nothing is persisted. */
  databaseName?: string;
  provider?: Partial<ProviderSimulation>;
  createId?: () => string;
}

export interface IncomingInput {
  senderId: string;
  /** The customer's number, E.164. */
  from: string;
  text?: string;
  media?: Media[];
  /** SN5: the carrier's opt-out verdict for this message (Twilio's `OptOutType`), if any. */
  optOut?: 'out' | 'in';
}

export interface CampaignInput {
  senderId: string;
  /** The user who sends the campaign. */
  userId: UserId;
  to: string[];
  text: string;
}

export class EmbeddedBackend {
  readonly clock: Clock;
  /** The engine this backend runs: the same one a server runs. */
  readonly engine: DeskEngine;
  readonly #storage: PersistentRepository;
  readonly #provider: SimulatedProvider;
  /** Users by id, for `connect` (sync) and event audiences. */
  readonly #users = new Map<UserId, User>();
  #settings: AccountSettings | undefined;
  #releaseTimer: unknown = null;
  #closed = false;

  private constructor(storage: PersistentRepository, options: EmbeddedBackendOptions) {
    this.clock = options.clock ?? systemClock;
    this.#storage = storage;
    this.#provider = new SimulatedProvider(
      this.clock,
      { ...DEFAULT_PROVIDER, ...options.provider },
      (messageId, update) => this.engine.applyStatus(messageId, update),
    );
    this.engine = createDeskEngine({
      repository: storage.repository,
      clock: this.clock,
      createId: options.createId,
      provider: this.#provider,
      publish: ({ event }) => {
        // SN6: a queued message, or new hours, move the release time.
        if (event.type === 'settings.updated') {
          this.#settings = event.settings;
          this.#scheduleRelease();
        } else if (event.type === 'message.created' && event.message.queueReason)
          this.#scheduleRelease();
        else if (event.type === 'message.status' && event.status === 'queued')
          this.#scheduleRelease();
      },
    });
  }

  /** Opens (or creates) a backend, loading what a previous page load persisted. */
  static async open(options: EmbeddedBackendOptions = {}): Promise<EmbeddedBackend> {
    const storage = options.databaseName
      ? await openIndexedDbRepository(options.databaseName)
      : {
          repository: createMemoryRepository(),
          seeded: false,
          loaded: Promise.resolve(),
          flush: async () => undefined,
          close: () => undefined,
        };
    const backend = new EmbeddedBackend(storage, options);
    for (const user of await backend.engine.listUsers()) backend.#users.set(user.id, user);
    backend.#settings = await backend.engine.repository.transaction((s) => s.getSettings());
    // Provider updates that were pending when the last page closed carry on (SN7).
    for (const [message, conversation] of await backend.engine.inFlight())
      backend.#provider.dispatch(message, conversation, backend.clock.now());
    backend.#scheduleRelease();
    return backend;
  }

  /** Whether the backend holds any account data yet (so a demo seeds only once). */
  get seeded(): boolean {
    return this.#users.size > 0;
  }

  /**
   * Resolves once the whole account is in memory. The first screen (session, first pages) does
   * not wait for it; commands that need the account wait on their own.
   */
  get loaded(): Promise<void> {
    return this.#storage.loaded;
  }

  /** Sets up the account: users, sender IDs, settings, contacts, templates, consents. */
  async seed(data: SeedData): Promise<void> {
    await this.engine.seed(data);
    this.#settings = data.settings;
    for (const user of data.users) this.#users.set(user.id, user);
  }

  /** SN6: new business hours; queued messages go out when they open. */
  async setBusinessHours(hours: AccountSettings['businessHours']): Promise<void> {
    await this.engine.setBusinessHours(hours);
  }

  /** SN4: record (or withdraw) a number's WhatsApp consent. */
  setConsent(phone: string, consent: boolean): Promise<void> {
    return this.engine.setConsent(phone, consent);
  }

  /** SN5: record that a number opted out of (or back into) a channel. */
  setOptOut(phone: string, channel: Channel, optedOut: boolean): Promise<void> {
    return this.engine.setOptOut(phone, channel, optedOut);
  }

  /** The next provider dispatch to this number fails with `reason` (SN7 failure simulation). */
  async failNextSend(phone: string, reason = 'Carrier rejected the message'): Promise<void> {
    this.#provider.failNext(await toE164(phone), reason);
  }

  /** Waits until everything changed so far is written to IndexedDB. */
  flush(): Promise<void> {
    return this.#storage.flush();
  }

  /** Writes what is pending, cancels every timer (provider and business hours), and closes. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#provider.close();
    if (this.#releaseTimer !== null) this.clock.clearTimeout(this.#releaseTimer);
    this.#releaseTimer = null;
    await this.flush();
    this.#storage.close();
  }

  /** The adapter for one signed-in user; every call checks that user's permissions (U2). */
  connect(userId: UserId): BackendAdapter {
    const user = this.#users.get(userId);
    if (!user) throw new DeskError('not_found', `Unknown user ${userId}.`, { details: { userId } });
    return engineAdapter(this.engine, user);
  }

  /** The users of the account. */
  listUsers(): User[] {
    return [...this.#users.values()];
  }

  /** A customer's message arrives (RT1–RT5, C3). Returns where it went and why. */
  simulateIncoming(input: IncomingInput): Promise<Received> {
    return this.engine.receive(input);
  }

  /** C3: a bulk send that creates no conversation until a customer replies. */
  sendCampaign(input: CampaignInput): Promise<CampaignResult> {
    return this.engine.sendCampaign(input);
  }

  /** SN6: one timer, at the next opening of business hours, to send what waits for it. */
  #scheduleRelease(): void {
    if (this.#releaseTimer !== null) this.clock.clearTimeout(this.#releaseTimer);
    this.#releaseTimer = null;
    if (this.#closed) return;
    const now = this.clock.now();
    const opens = nextOpening(this.#settings?.businessHours, now);
    if (opens === null) return;
    this.#releaseTimer = this.clock.setTimeout(() => {
      this.#releaseTimer = null;
      this.engine.releaseDue(this.clock.now()).then(
        (next) => {
          if (next !== null) this.#scheduleRelease();
        },
        // A failed release (storage busy or closing) must not strand the queue: try again soon.
        (error: unknown) => {
          console.warn('converse-desk: releasing queued messages failed; retrying', error);
          if (!this.#closed && this.#releaseTimer === null)
            this.#releaseTimer = this.clock.setTimeout(() => this.#scheduleRelease(), 1000);
        },
      );
    }, opens - now);
  }
}
