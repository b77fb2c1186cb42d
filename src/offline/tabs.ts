/**
 * Web Locks and BroadcastChannel for the offline layers: a leader election (one tab at a time
 * holds a lock; the browser hands it to the next waiting tab when the holder closes, crashes or
 * navigates away) and exclusive runs across tabs.
 */

/** What a tab tells the others: an event (with the backend's id when it has one), or a position. */
export type TabMessage<E> =
  { kind: 'event'; event: E; id?: string } | { kind: 'cursor'; id: string };

interface LockManagerLike {
  request(
    name: string,
    options: { signal?: AbortSignal; ifAvailable?: boolean; mode?: 'exclusive' | 'shared' },
    callback: (lock: unknown) => Promise<unknown>,
  ): Promise<unknown>;
  query?(): Promise<{ held?: Array<{ name?: string }> }>;
}

/** Web Locks, where the platform has them (browsers; not Node 20). */
export function lockManager(): LockManagerLike | undefined {
  const locks = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
  return locks && typeof locks.request === 'function' ? locks : undefined;
}

export interface LeadershipOptions<E> {
  /** Lock and channel name; tabs with the same name share one event stream. */
  name: string;
  onLeader(): void;
  onMessage(message: TabMessage<E>): void;
}

/** Campaigns for leadership until stopped; the callback runs once this tab holds the lock. */
export class Leadership<E> {
  readonly #options: LeadershipOptions<E>;
  readonly #channel: BroadcastChannel;
  readonly #abort = new AbortController();
  #release: (() => void) | null = null;
  #leader = false;

  constructor(options: LeadershipOptions<E>) {
    this.#options = options;
    this.#channel = new BroadcastChannel(options.name);
    this.#channel.onmessage = (event: MessageEvent<TabMessage<E>>) => {
      if (!this.#abort.signal.aborted) options.onMessage(event.data);
    };
  }

  /** Whether Web Locks and BroadcastChannel exist, which leadership needs. */
  static get supported(): boolean {
    return lockManager() !== undefined && typeof BroadcastChannel === 'function';
  }

  get leader(): boolean {
    return this.#leader;
  }

  start(): void {
    const locks = lockManager()!;
    locks
      .request(this.#options.name, { signal: this.#abort.signal }, async () => {
        if (this.#abort.signal.aborted) return;
        this.#leader = true;
        // Held until stop(); the browser releases it if the tab goes away first.
        const held = new Promise<void>((resolve) => (this.#release = resolve));
        this.#options.onLeader();
        await held;
      })
      .catch(() => undefined) // AbortError: stopped while waiting
      .finally(() => {
        this.#leader = false;
      });
  }

  post(message: TabMessage<E>): void {
    if (!this.#abort.signal.aborted) this.#channel.postMessage(message);
  }

  stop(): void {
    this.#abort.abort();
    this.#release?.();
    this.#release = null;
    this.#leader = false;
    this.#channel.close();
  }
}

/**
 * Runs `task` while holding an exclusive lock, or (without Web Locks) behind an in-process queue.
 * With `ifAvailable`, skips and resolves `undefined` when another holder has it.
 */
export async function withLock<T>(
  name: string,
  task: () => Promise<T>,
  options: { ifAvailable?: boolean } = {},
): Promise<T | undefined> {
  const locks = lockManager();
  if (locks) {
    let result: T | undefined;
    await locks.request(name, { ifAvailable: options.ifAvailable ?? false }, async (lock) => {
      if (lock) result = await task();
    });
    return result;
  }
  const previous = localQueues.get(name) ?? Promise.resolve();
  if (options.ifAvailable && localQueues.has(name)) return undefined;
  const run = previous.then(task);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  localQueues.set(name, tail);
  void tail.then(() => {
    if (localQueues.get(name) === tail) localQueues.delete(name);
  });
  return run;
}

const localQueues = new Map<string, Promise<unknown>>();
