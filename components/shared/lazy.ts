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
  #loading: Promise<T> | undefined;

  constructor(host: ReactiveElement, load: () => Promise<T>) {
    this.#host = host;
    this.#import = load;
  }

  /** Loads the part (once, however often asked) and re-renders the host with it. */
  load(): Promise<T> {
    if (this.value) return Promise.resolve(this.value);
    this.#loading ??= this.#import().then(
      (module) => {
        this.value = module;
        this.pending = undefined;
        const { styles } = module as LazyModule;
        if (styles) this.#adopt(styles);
        this.#host.requestUpdate();
        return module;
      },
      (error: unknown) => {
        // A chunk that failed to load (offline) is asked for again on the next need.
        this.#loading = undefined;
        this.pending = undefined;
        throw error;
      },
    );
    this.pending ??= this.#loading.catch(() => undefined);
    return this.#loading;
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

/**
 * Resolves once the next frame has painted (a task after its animation frame), or after 100 ms
 * in a page that draws no frames (a background tab). Issue 11: work that can wait (a lazy chunk's
 * load, evaluation and the re-render it brings) starts then, out of the frame of the first rows.
 */
export function afterNextPaint(): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 100);
    requestAnimationFrame(() =>
      setTimeout(() => {
        clearTimeout(timer);
        resolve();
      }),
    );
  });
}

/**
 * Makes an element class's constructable style sheets when the page is idle (issue 11): the
 * first instance would otherwise parse them while it renders its first rows.
 */
export function warmStyles(element: { elementStyles: CSSResultOrNative[] }): void {
  if (typeof requestIdleCallback !== 'function' || !supportsAdoptingStyleSheets) return;
  requestIdleCallback(
    () => {
      for (const style of element.elementStyles)
        if (!(style instanceof CSSStyleSheet)) void style.styleSheet;
    },
    { timeout: 1000 },
  );
}
