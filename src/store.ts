/** State in a store, commands beside it (after stream-chat's StateStore and TanStack's Subscribable). */
export type Listener<T> = (next: T, previous: T) => void;

/** What a host gets: read the state and subscribe; only the client writes (`DeskClient.store`). */
export interface ReadonlyStore<T> {
  getState(): T;
  subscribe(listener: Listener<T>): () => void;
  subscribeWithSelector<S>(
    selector: (state: T) => S,
    listener: (next: S, previous: S) => void,
    equals?: (a: S, b: S) => boolean,
  ): () => void;
}

export class Store<T> implements ReadonlyStore<T> {
  #state: T;
  readonly #listeners = new Set<Listener<T>>();
  /** The listeners as an array, made again only when they change: no copy per notification. */
  #calling: Listener<T>[] | null = null;

  constructor(initial: T) {
    this.#state = initial;
  }

  getState(): T {
    return this.#state;
  }

  /** Replaces the state; listeners run only when the new state is a different object. */
  setState(next: T | ((previous: T) => T)): void {
    const previous = this.#state;
    const value = typeof next === 'function' ? (next as (p: T) => T)(previous) : next;
    if (Object.is(value, previous)) return;
    this.#state = value;
    // A listener added or removed meanwhile does not change this round (the array is replaced).
    const listeners = (this.#calling ??= [...this.#listeners]);
    for (const listener of listeners) listener(value, previous);
  }

  /** Returns an unsubscribe. */
  subscribe(listener: Listener<T>): () => void {
    this.#listeners.add(listener);
    this.#calling = null;
    return () => {
      this.#listeners.delete(listener);
      this.#calling = null;
    };
  }

  /** Calls `listener` only when the selected value changes (by `equals`, `Object.is` by default). */
  subscribeWithSelector<S>(
    selector: (state: T) => S,
    listener: (next: S, previous: S) => void,
    equals: (a: S, b: S) => boolean = Object.is,
  ): () => void {
    let current = selector(this.#state);
    return this.subscribe((state) => {
      const next = selector(state);
      if (equals(next, current)) return;
      const previous = current;
      current = next;
      listener(next, previous);
    });
  }
}

/** A view of `store` with no way to write, even from plain JavaScript. */
export function readOnly<T>(store: Store<T>): ReadonlyStore<T> {
  return Object.freeze({
    getState: () => store.getState(),
    subscribe: (listener: Listener<T>) => store.subscribe(listener),
    subscribeWithSelector: <S>(
      selector: (state: T) => S,
      listener: (next: S, previous: S) => void,
      equals?: (a: S, b: S) => boolean,
    ) => store.subscribeWithSelector(selector, listener, equals),
  });
}

/** Memoizes a function of one object argument by identity (for derived selections). */
export function memoOne<A extends object, R>(fn: (arg: A) => R): (arg: A) => R {
  let lastArg: A | undefined;
  let lastResult: R;
  return (arg) => {
    if (arg !== lastArg) {
      lastResult = fn(arg);
      lastArg = arg;
    }
    return lastResult;
  };
}
