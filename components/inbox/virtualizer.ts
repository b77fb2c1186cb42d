/**
 * The inbox's lazy chunk: the virtualizer with its flow layout in one module, so that taking over
 * from the first rows needs no second chunk (the virtualizer would import its default layout).
 */
import { virtualize } from '@lit-labs/virtualizer/virtualize.js';

export { virtualize };
export { virtualizerRef } from '@lit-labs/virtualizer/virtualize.js';
export type { VirtualizerHostElement } from '@lit-labs/virtualizer/virtualize.js';
import { flow } from '@lit-labs/virtualizer/layouts/flow.js';

/**
 * Issue 11: rows drawn beyond the visible ones, in px (the library's 1,000 drew about 34 rows for
 * 16 visible; every drawn row is re-rendered, moved and repainted when a message adds one on top).
 * The layout takes its config's keys as its own fields.
 */
const OVERHANG = 300;
export const layout = (): ReturnType<typeof flow> => flow({ _overhang: OVERHANG } as object);

interface Position {
  top: number;
  left: number;
  width?: number;
  height?: number;
  xOffset?: number;
  yOffset?: number;
}
interface Measure {
  width: number;
  height: number;
  [margin: string]: number;
}
type Internals = {
  _first: number;
  _hostElement: HTMLElement;
  _sizer: HTMLElement | null;
  _children: HTMLElement[];
  _items: unknown[];
  _itemsChanged: boolean;
  _toBeMeasured: Map<Element, unknown>;
  _childMeasurements: Record<number, Measure> | null;
  _measureChildOverride: ((child: Element, item: unknown) => Measure) | null;
  _layout: {
    _metricsCache?: {
      getChildSize(index: number): number | undefined;
      _metricsCache?: Map<number, Measure>;
    };
  } | null;
  _finishDOMUpdate(): void;
  _last: number;
  _notifyRange(): void;
  _measureChild(child: Element, item: unknown): Measure;
  _schedule(method: () => void): void;
  _updateLayout(): void;
  _positionChildren(pos: Map<number, Position> | undefined): void;
  _measureChildren(): void;
};
const patched = new WeakSet<object>();
/** What each row was last given, so that an update writes only what changed. */
const placed = new WeakMap<HTMLElement, string>();
/** Each row's last measurement: a row the ResizeObserver does not report kept its size. */
const measured = new WeakMap<Element, Measure>();
/** The range and items each virtualizer last announced (its directive renders the rows then). */
const announced = new WeakMap<object, { first: number; last: number; items: unknown[] }>();
/** The items whose rows' sizes were given to the layout at their new indexes. */
const resized = new WeakMap<object, unknown[]>();

/**
 * Issue 11: @lit-labs/virtualizer 2.1 does, per change of its items (every incoming message),
 * more than a moved row needs. Its private methods are replaced here, keeping what they do:
 * - `_children` tested every row for the sizer's attribute; the sizer is known once made.
 * - `_positionChildren` found each row by walking all of them (O(rows²), 34 rows drawn: about
 *   2,300 steps per message, three times) and rewrote six style properties of every row; it
 *   walks once and writes a row's style only when its place changed.
 * - `_measureChildren` measured every row (a bounding box and a computed style each, in the
 *   frame) whenever the items changed; a row the ResizeObserver does not report has the size it
 *   was last measured at (rows are keyed: a row keeps its element as it moves), so only new and
 *   resized rows are measured, and the others pass their last size at their new index. When
 *   the layout already holds every size at its index (a new row on top as tall as the one it
 *   displaced), no layout pass is scheduled: it would place every row where it is.
 * - The flow layout keeps sizes by index: when rows of different heights move (a message moves
 *   a short row above tall ones) and none is resized, no ResizeObserver callback comes, and
 *   the layout placed the rows with the sizes of the rows that held those indexes before, so
 *   rows overlapped (a bug of the library). Once the moved rows are in the DOM, their known
 *   sizes are given to the layout at their new indexes when any differs, and it lays out again.
 * - Each layout pass while the items are new announced the range again, and the directive
 *   rendered every drawn row again (when the new row's measurement, or the sizes given above,
 *   make the layout run again over the same items); the same range over the same items is
 *   announced once.
 * The class is not exported, so its prototype is reached through an instance.
 */
function patch(virtualizer: object | undefined): void {
  const proto = virtualizer && (Object.getPrototypeOf(virtualizer) as Internals);
  if (!proto || patched.has(proto) || typeof proto._positionChildren !== 'function') return;
  if (typeof proto._measureChildren !== 'function') return;
  if (typeof proto._finishDOMUpdate !== 'function' || typeof proto._notifyRange !== 'function')
    return;
  patched.add(proto);
  const children = Object.getOwnPropertyDescriptor(proto, '_children')?.get;
  if (children) {
    Object.defineProperty(proto, '_children', {
      configurable: true,
      get(this: Internals) {
        const sizer = this._sizer;
        if (!sizer) return children.call(this) as HTMLElement[];
        const rows: HTMLElement[] = [];
        for (let el = this._hostElement.firstElementChild; el; el = el.nextElementSibling)
          if (el !== sizer) rows.push(el as HTMLElement);
        return rows;
      },
    });
  }
  proto._positionChildren = function (this: Internals, pos) {
    if (!pos) return;
    const rows = this._children;
    pos.forEach(({ top, left, width, height, xOffset, yOffset }, index) => {
      const row = rows[index - this._first];
      if (!row) return;
      const key = `${left} ${top} ${width} ${height} ${xOffset} ${yOffset}`;
      if (placed.get(row) === key) return;
      placed.set(row, key);
      const style = row.style;
      style.position = 'absolute';
      style.boxSizing = 'border-box';
      style.transform = `translate(${left}px, ${top}px)`;
      if (width !== undefined) style.width = `${width}px`;
      if (height !== undefined) style.height = `${height}px`;
      style.left = xOffset === undefined ? '' : `${xOffset}px`;
      style.top = yOffset === undefined ? '' : `${yOffset}px`;
    });
  };
  const notifyRange = proto._notifyRange;
  proto._notifyRange = function (this: Internals) {
    const last = announced.get(this);
    if (last?.first === this._first && last.last === this._last && last.items === this._items)
      return;
    announced.set(this, { first: this._first, last: this._last, items: this._items });
    notifyRange.call(this);
  };
  const finish = proto._finishDOMUpdate;
  proto._finishDOMUpdate = function (this: Internals) {
    finish.call(this);
    const metrics = this._layout?._metricsCache;
    if (!this._itemsChanged || !metrics || resized.get(this) === this._items) return;
    resized.set(this, this._items);
    const sizes: Record<number, Measure> = {};
    let differs = false;
    this._children.forEach((row, i) => {
      const size = measured.get(row);
      if (!size) return; // a new row: the ResizeObserver reports it
      sizes[this._first + i] = size;
      differs ||= metrics.getChildSize(this._first + i) !== size.height;
    });
    if (!differs) return;
    this._childMeasurements = sizes;
    this._schedule(this._updateLayout);
  };
  proto._measureChildren = function (this: Internals) {
    const sizes: Record<number, Measure> = {};
    const rows = this._children;
    const measure = this._measureChildOverride ?? this._measureChild;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const index = this._first + i;
      let size = measured.get(row);
      if (!size || this._toBeMeasured.has(row)) {
        size = measure.call(this, row, this._items[index]);
        measured.set(row, size);
        sizes[index] = size;
      } else if (this._itemsChanged) sizes[index] = size;
    }
    this._toBeMeasured.clear();
    if (knownAlready(this, sizes)) return;
    this._childMeasurements = sizes;
    this._schedule(this._updateLayout);
  };
}

/**
 * Whether the layout already holds these sizes at these indexes (a new row on top measures as the
 * row that held its index): then a layout pass would place every row where it is (issue 11: the
 * frame's ResizeObserver pass ran it, and its range notice, for each message).
 */
function knownAlready(virtualizer: Internals, sizes: Record<number, Measure>): boolean {
  const cache = virtualizer._layout?._metricsCache?._metricsCache;
  if (!cache) return false;
  for (const index in sizes) {
    const size = sizes[index]!;
    const known = cache.get(Number(index));
    if (!known) return false;
    for (const key in size) if (known[key] !== size[key]) return false;
  }
  return true;
}

// The directive makes each list's virtualizer: the first one made is patched (a directive result
// names its class, `_$litDirective$`, as Lit reads it).
type Maker = { _virtualizer: object | null; _makeVirtualizer(...args: unknown[]): void };
const directive = (virtualize({}) as unknown as { _$litDirective$: { prototype: Maker } })
  ._$litDirective$.prototype;
const makeVirtualizer = directive._makeVirtualizer;
directive._makeVirtualizer = function (this: Maker, ...args: unknown[]) {
  makeVirtualizer.apply(this, args);
  patch(this._virtualizer ?? undefined);
};
