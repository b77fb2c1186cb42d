import { ContextConsumer } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { DeskClient, DeskState } from '../../src/index.js';
import { deskContext } from './context.js';

/**
 * Gives an element the desk client from context and re-renders it when the selected part of the
 * state changes (after TanStack lit-query's BaseController). Select narrowly: an element that
 * selects `s.conversations` re-renders on every message.
 */
export class DeskController<S = DeskState> implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #select: (state: DeskState) => S;
  readonly #consumer: ContextConsumer<typeof deskContext, ReactiveControllerHost & HTMLElement>;
  #unsubscribe: (() => void) | null = null;
  #client: DeskClient | undefined;

  constructor(
    host: ReactiveControllerHost & HTMLElement,
    select: (state: DeskState) => S = (s) => s as S,
  ) {
    this.#host = host;
    this.#select = select;
    host.addController(this);
    this.#consumer = new ContextConsumer(host, {
      context: deskContext,
      subscribe: true,
      callback: (client) => this.#attach(client),
    });
  }

  /** The client, once a provider above this element supplies one. */
  get client(): DeskClient | undefined {
    return this.#client ?? this.#consumer.value;
  }

  /** The current selection, or undefined before a client is provided. */
  get value(): S | undefined {
    const client = this.client;
    return client ? this.#select(client.getState()) : undefined;
  }

  hostConnected(): void {
    if (this.#client && !this.#unsubscribe) this.#attach(this.#client);
  }

  hostDisconnected(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
  }

  #attach(client: DeskClient | undefined): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#client = client;
    if (client) {
      this.#unsubscribe = client.select(this.#select, () => this.#host.requestUpdate());
    }
    this.#host.requestUpdate();
  }
}
