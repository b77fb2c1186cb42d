import { css } from 'lit';
import { tokens } from '../shared/tokens.js';

/** On `<cd-conversation>` from the start: its place in the layout (the rest loads with its view). */
export const hostStyles = [
  tokens,
  css`
    :host {
      display: block;
      height: 100%;
      min-height: 0;
    }
  `,
];
