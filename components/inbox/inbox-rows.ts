import { isSearchable, type DeskClient, type ViewKey, type ViewSnapshot } from '../../src/index.js';
import { fromArray, fromSnapshot, NO_ROWS, type RowSource } from './row-source.js';

/**
 * What `<cd-inbox>` lists: its view (read by position from the view's snapshot) or the search
 * results in it (V6), each worked out once per snapshot and query.
 */
export class InboxRows {
  /** The rows shown. */
  shown: RowSource = NO_ROWS;
  #view: { snapshot: ViewSnapshot; rows: RowSource } | null = null;
  #search: { snapshot: ViewSnapshot; query: string; rows: RowSource } | null = null;

  /** The rows of the view, whatever the search. */
  view(client: DeskClient | undefined, key: ViewKey): RowSource {
    if (!client) return NO_ROWS;
    const snapshot = client.view(key);
    if (this.#view?.snapshot !== snapshot) {
      this.#view = { snapshot, rows: fromSnapshot(snapshot, client) };
    }
    return this.#view.rows;
  }

  /** Works out the rows shown for the current state and query. */
  update(client: DeskClient | undefined, key: ViewKey, query: string): RowSource {
    const all = this.view(client, key);
    const text = query.trim();
    if (!client || !text || !isSearchable(key)) return (this.shown = all);
    const snapshot = client.view(key);
    const cached = this.#search;
    if (cached?.snapshot !== snapshot || cached.query !== text) {
      this.#search = { snapshot, query: text, rows: fromArray(client.search(key, text)) };
    }
    return (this.shown = this.#search!.rows);
  }

  /** Of `ids`, those in the view, in its order. */
  inView(client: DeskClient | undefined, key: ViewKey, ids: Iterable<string>): string[] {
    const rows = this.view(client, key);
    const found: [number, string][] = [];
    for (const id of ids) {
      const index = rows.indexOf(id);
      if (index >= 0) found.push([index, id]);
    }
    return found.sort((a, b) => a[0] - b[0]).map(([, id]) => id);
  }
}
