/**
 * The inbox's lazy chunk: the virtualizer with its flow layout in one module, so that taking over
 * from the first rows needs no second chunk (the virtualizer would import its default layout).
 */
export { virtualize, virtualizerRef } from '@lit-labs/virtualizer/virtualize.js';
export type { VirtualizerHostElement } from '@lit-labs/virtualizer/virtualize.js';
export { flow } from '@lit-labs/virtualizer/layouts/flow.js';
