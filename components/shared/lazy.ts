import {
  adoptStyles,
  supportsAdoptingStyleSheets,
  type CSSResultGroup,
  type CSSResultOrNative,
  type ReactiveElement,
} from 'lit';

/** What a lazy part gives: templates and helpers, and the styles they need. */
export interface LazyModule {
  styles?: CSSResultGroup;
}

/**
 * Part of an element (its templates, styles, helpers) that loads the first time it is needed,
 * out of the page's first load: the element's tag and API are defined at once, what it shows
 * arrives with `load()`. Each host adopts the part's styles after its own, and re-renders.
 * The host's `updateComplete` waits for it through `settled()`, so that awaiting it still means
 * "rendered".
 */
export class LazyPart<T extends object> {
  /** The module, once loaded; the host renders without it (or nothing) until then. */
  value: T | undefined;
  /** The load in progress, if any (undefined once done or before it starts). */
  pending: Promise<unknown> | undefined;
  readonly #host: ReactiveElement;
  readonly #import: () => Promise<T>;

  constructor(host: ReactiveElement, load: () => Promise<T>) {
    this.#host = host;
    this.#import = load;
  }

  /** Loads the part (once) and re-renders the host with it. */
  load(): Promise<T> {
    if (this.value) return Promise.resolve(this.value);
    const loading = this.#import().then(
      (module) => {
        this.value ??= module;
        this.pending = undefined;
        const { styles } = module as LazyModule;
        if (styles) this.#adopt(styles);
        this.#host.requestUpdate();
        return module;
      },
      (error: unknown) => {
        // A chunk that failed to load (offline) is asked for again on the next need.
        this.pending = undefined;
        throw error;
      },
    );
    this.pending = loading.catch(() => undefined);
    return loading;
  }

  /**
   * For the host's `getUpdateComplete()`: its update, and again after a load that update started.
   * `return this.#part.settled(() => super.getUpdateComplete());`
   */
  async settled(update: () => Promise<boolean>): Promise<boolean> {
    let done = await update();
    while (this.pending) {
      await this.pending;
      done = await update();
    }
    return done;
  }

  #adopt(styles: CSSResultGroup): void {
    const root = this.#host.renderRoot;
    if (!(root instanceof ShadowRoot)) return;
    const list: CSSResultOrNative[] = [];
    const flatten = (group: CSSResultGroup): void => {
      if (Array.isArray(group)) group.forEach(flatten);
      else list.push(group as CSSResultOrNative);
    };
    flatten(styles);
    // Lit's own styles (tokens first) stay first; these follow, as in a static `styles` array.
    if (supportsAdoptingStyleSheets) {
      const sheets = list.map((s) => (s instanceof CSSStyleSheet ? s : s.styleSheet!));
      root.adoptedStyleSheets = [
        ...root.adoptedStyleSheets,
        ...sheets.filter((s) => !root.adoptedStyleSheets.includes(s)),
      ];
    } else {
      adoptStyles(root, list);
    }
  }
}
