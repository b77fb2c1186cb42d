import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { DeskClient, ViewKey } from '../../src/index.js';

/** How close to the end of the loaded rows the reader gets before the next page is asked for. */
const MARGIN = 20;

interface PagingSource {
  client: DeskClient | undefined;
  view: ViewKey;
  /** Rows shown; while a search shows its results, the view does not page. */
  count: number;
  searching: boolean;
}

/**
 * Issue 11: asks the client for the view's next page when the rendered range nears the end of
 * the loaded rows (or the view shows none yet). A failed load is asked again on the next scroll.
 */
export class InboxPaging implements ReactiveController {
  #last = -1;
  #failed = false;

  constructor(
    host: ReactiveControllerHost,
    private readonly source: () => PagingSource,
  ) {
    host.addController(this);
  }

  hostUpdated(): void {
    this.#check();
  }

  /** The virtualizer's last rendered index changed. */
  near(last: number): void {
    this.#last = last;
    this.#failed = false;
    this.#check();
  }

  #check(): void {
    const { client, view, count, searching } = this.source();
    if (client?.hasMore(view) && !searching && !this.#failed && this.#last >= count - MARGIN)
      client.loadMore(view).catch(() => (this.#failed = true));
  }
}
