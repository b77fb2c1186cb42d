/** Defines a tag once; defining it again (two bundles, hot reload) is harmless. */
export function define(tag: string, element: CustomElementConstructor): void {
  if (!customElements.get(tag)) customElements.define(tag, element);
}
