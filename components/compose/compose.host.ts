import { css } from 'lit';
import { tokens } from '../shared/tokens.js';

/**
 * Where `<cd-compose>` loads the emoji data from by default: the JSON of
 * `emoji-picker-element-data`, served from `node_modules` (as @web/test-runner and
 * @web/dev-server do). No CDN is reachable, so a host that serves its files elsewhere sets
 * `emoji-data-source` to its own copy of `emoji-picker-element-data/en/emojibase/data.json`.
 */
export const DEFAULT_EMOJI_DATA_SOURCE =
  '/node_modules/emoji-picker-element-data/en/emojibase/data.json';

/** On `<cd-compose>` from the start: its place in the layout (the rest loads with its view). */
export const hostStyles = [
  tokens,
  css`
    :host {
      /* A flex column, so that in a column with too little room (<cd-conversation>) the panels
         shrink before anything else does. */
      display: flex;
      flex-direction: column;
      min-height: 0;
      --_panel-max: min(var(--cd-compose-panel-max-height, calc(var(--_cd-space) * 36)), 40vh);
    }
  `,
];
