import { ContextProvider } from '@lit/context';
import { LitElement, html, css } from 'lit';
import { property } from 'lit/decorators.js';
import type { DeskClient } from '../../src/index.js';
import { deskContext } from '../shared/context.js';

/**
 * @tagname cd-desk-provider
 * @summary Provides a desk client to the Converse Desk elements inside it, for hosts that embed
 * single elements instead of `<cd-desk>`.
 *
 * @slot - The elements that use the client.
 */
export class CdDeskProvider extends LitElement {
  static override styles = css`
    :host {
      display: contents;
    }
  `;

  /** The desk client the elements inside use. */
  @property({ attribute: false }) client?: DeskClient;

  readonly #provider = new ContextProvider(this, { context: deskContext });

  protected override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('client')) this.#provider.setValue(this.client);
  }

  protected override render() {
    return html`<slot></slot>`;
  }
}
