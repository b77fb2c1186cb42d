/**
 * The inbox's lazy chunk: the virtualizer with its flow layout in one module, so that taking over
 * from the first rows needs no second chunk (the virtualizer would import its default layout).
 */
import { virtualize } from '@lit-labs/virtualizer/virtualize.js';

export { virtualize };
export { virtualizerRef } from '@lit-labs/virtualizer/virtualize.js';
export type { VirtualizerHostElement } from '@lit-labs/virtualizer/virtualize.js';
export { flow } from '@lit-labs/virtualizer/layouts/flow.js';

interface Position {
  top: number;
  left: number;
  width?: number;
  height?: number;
  xOffset?: number;
  yOffset?: number;
}
type Positioning = {
  _first: number;
  _children: HTMLElement[];
  _positionChildren(pos: Map<number, Position> | undefined): void;
};
const patched = new WeakSet<object>();

/**
 * Issue 11: @lit-labs/virtualizer 2.1 finds each row it positions through its `_children` getter,
 * a walk of all the list's children: O(rows²) per update (34 rows drawn: about 2,300 steps per
 * incoming message, twice). This is its `_positionChildren` with the walk done once. The class is
 * not exported, so its prototype is reached through an instance.
 */
function walkChildrenOnce(virtualizer: object | undefined): void {
  const proto = virtualizer && (Object.getPrototypeOf(virtualizer) as Positioning);
  if (!proto || patched.has(proto) || typeof proto._positionChildren !== 'function') return;
  patched.add(proto);
  proto._positionChildren = function (this: Positioning, pos) {
    if (!pos) return;
    const children = this._children;
    pos.forEach(({ top, left, width, height, xOffset, yOffset }, index) => {
      const style = children[index - this._first]?.style;
      if (!style) return;
      style.position = 'absolute';
      style.boxSizing = 'border-box';
      style.transform = `translate(${left}px, ${top}px)`;
      if (width !== undefined) style.width = `${width}px`;
      if (height !== undefined) style.height = `${height}px`;
      style.left = xOffset === undefined ? '' : `${xOffset}px`;
      style.top = yOffset === undefined ? '' : `${yOffset}px`;
    });
  };
}

// The directive makes each list's virtualizer: the first one made is patched (a directive result
// names its class, `_$litDirective$`, as Lit reads it).
type Maker = { _virtualizer: object | null; _makeVirtualizer(...args: unknown[]): void };
const directive = (virtualize({}) as unknown as { _$litDirective$: { prototype: Maker } })
  ._$litDirective$.prototype;
const makeVirtualizer = directive._makeVirtualizer;
directive._makeVirtualizer = function (this: Maker, ...args: unknown[]) {
  makeVirtualizer.apply(this, args);
  walkChildrenOnce(this._virtualizer ?? undefined);
};
