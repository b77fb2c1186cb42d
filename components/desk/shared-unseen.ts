/** What the tabs of one agent tell each other about N1. */
type TabMessage =
  | { type: 'hello'; tab: string }
  | { type: 'count'; tab: string; count: number }
  | { type: 'ack'; tab: string };

/**
 * N1 in every tab of the same agent: each tab says how many notifications it has not shown as
 * seen, over a BroadcastChannel named after the user; a tab shows the largest count (tabs that
 * follow the same server receive the same notifications: a sum would count them twice). Seen in
 * one tab is seen in all. Without BroadcastChannel, each tab counts its own.
 */
export class SharedUnseen {
  readonly #tab = Math.random().toString(36).slice(2);
  readonly #others = new Map<string, number>();
  readonly #onChange: () => void;
  readonly #onSeenElsewhere: () => void;
  #channel: BroadcastChannel | null = null;
  #user: string | null = null;
  #own = 0;

  /** `onChange`: the count changed; `onSeenElsewhere`: another tab acknowledged. */
  constructor(onChange: () => void, onSeenElsewhere: () => void) {
    this.#onChange = onChange;
    this.#onSeenElsewhere = onSeenElsewhere;
  }

  /** The count to show: this tab's, or a larger one from another tab. */
  get count(): number {
    let count = this.#own;
    for (const other of this.#others.values()) count = Math.max(count, other);
    return count;
  }

  /** Joins the tabs of `userId` (once per user), and says this tab's own unseen count. */
  update(userId: string, own: number): void {
    if (this.#user !== userId) {
      this.leave();
      this.#user = userId;
      if (typeof BroadcastChannel === 'function') {
        this.#channel = new BroadcastChannel(`converse-desk:n1:${userId}`);
        this.#channel.onmessage = (event: MessageEvent<TabMessage>) => this.#receive(event.data);
        this.#post({ type: 'hello', tab: this.#tab });
      }
      this.#own = -1;
    }
    if (own !== this.#own) {
      this.#own = own;
      this.#post({ type: 'count', tab: this.#tab, count: own });
    }
  }

  /** The user has seen the notifications here: every tab clears. */
  acknowledge(): void {
    this.#others.clear();
    this.#post({ type: 'ack', tab: this.#tab });
  }

  /** This tab stops counting (the desk is gone or disconnected). */
  leave(): void {
    if (this.#channel) {
      this.#post({ type: 'count', tab: this.#tab, count: 0 });
      this.#channel.close();
    }
    this.#channel = null;
    this.#user = null;
    this.#own = 0;
    this.#others.clear();
  }

  #post(message: TabMessage): void {
    this.#channel?.postMessage(message);
  }

  #receive(message: TabMessage): void {
    if (!message || message.tab === this.#tab) return;
    switch (message.type) {
      case 'hello':
        // A tab opened: tell it what this one counts.
        this.#post({ type: 'count', tab: this.#tab, count: this.#own });
        return;
      case 'count':
        if (message.count > 0) this.#others.set(message.tab, message.count);
        else this.#others.delete(message.tab);
        this.#onChange();
        return;
      case 'ack':
        this.#others.clear();
        this.#onSeenElsewhere();
        this.#onChange();
    }
  }
}
