import type { ConversationRow, DeskClient, ViewSnapshot } from '../../src/index.js';

/**
 * The rows `<cd-inbox>` shows: a view's snapshot read by position (issue 11: a change costs
 * O(log n + rows drawn), never a copy of the view), or the results of a search.
 */
export interface RowSource {
  readonly length: number;
  at(index: number): ConversationRow | undefined;
  /** The position of a conversation, or -1. */
  indexOf(id: string): number;
  /** What the virtualizer reads: an array whose rows are read only when drawn. */
  readonly items: ConversationRow[];
  /** Every row's conversation id (for "select all"). */
  ids(): string[];
}

export const NO_ROWS: RowSource = fromArray([]);

export function fromArray(rows: readonly ConversationRow[]): RowSource {
  return {
    length: rows.length,
    at: (index) => rows[index],
    indexOf: (id) => rows.findIndex((r) => r.conversation.id === id),
    items: rows as ConversationRow[],
    ids: () => rows.map((r) => r.conversation.id),
  };
}

export function fromSnapshot(snapshot: ViewSnapshot, client: DeskClient): RowSource {
  const at = (index: number) => snapshot.at(index);
  return {
    length: snapshot.count,
    at,
    indexOf: (id) => {
      // The state's version of the conversation is the one the snapshot's row holds.
      const conversation = client.getState().conversations.get(id);
      return conversation ? snapshot.indexOf(conversation) : -1;
    },
    items: lazyArray(snapshot.count, at),
    ids: () => snapshot.rows.map((r) => r.conversation.id),
  };
}

/**
 * An array to `@lit-labs/virtualizer` (it asks `Array.isArray`, `length` and `[index]`), whose
 * entries are read from the view only when the virtualizer draws them.
 */
function lazyArray(
  length: number,
  at: (index: number) => ConversationRow | undefined,
): ConversationRow[] {
  return new Proxy([] as ConversationRow[], {
    get(target, key, receiver) {
      if (key === 'length') return length;
      if (typeof key === 'string') {
        const code = key.charCodeAt(0);
        if (code >= 48 && code <= 57) return at(Number(key));
      }
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
}
