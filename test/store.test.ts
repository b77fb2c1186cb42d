import { describe, expect, it, vi } from 'vitest';
import { Store } from '../src/store.js';

describe('Store', () => {
  it('notifies on change, skips identical state, and unsubscribes', () => {
    const store = new Store({ n: 0 });
    const listener = vi.fn();
    const off = store.subscribe(listener);
    store.setState((s) => ({ n: s.n + 1 }));
    store.setState((s) => s);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener).toHaveBeenCalledWith({ n: 1 }, { n: 0 });
    off();
    store.setState({ n: 2 });
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('selector subscriptions skip unchanged selections', () => {
    const store = new Store({ a: 1, b: 1 });
    const seen: number[] = [];
    const off = store.subscribeWithSelector(
      (s) => s.a,
      (a) => seen.push(a),
    );
    store.setState((s) => ({ ...s, b: 2 }));
    store.setState((s) => ({ ...s, a: 5 }));
    off();
    store.setState((s) => ({ ...s, a: 6 }));
    expect(seen).toEqual([5]);
  });
});
