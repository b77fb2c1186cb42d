import { svg } from 'lit';

/** Icons inherit `currentColor`, so tokens decide their colour. All are decorative (aria-hidden). */
const icon = (body: ReturnType<typeof svg>, viewBox = '0 0 24 24') =>
  svg`<svg viewBox=${viewBox} width="1em" height="1em" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">${body}</svg>`;

export const icons = {
  tick: icon(svg`<path d="M4 12l5 5L20 6"/>`),
  doubleTick: icon(svg`<path d="M1 12l5 5L17 6"/><path d="M9 15l2 2L22 6"/>`),
  clock: icon(svg`<circle cx="12" cy="12" r="9"/><path d="M12 7v5l3 2"/>`),
  warning: icon(svg`<path d="M12 3L2 21h20L12 3z"/><path d="M12 10v5"/><path d="M12 18v.01"/>`),
  sms: icon(svg`<path d="M4 5h16v11H8l-4 4V5z"/>`),
  whatsapp: icon(svg`<path d="M4 20l1.3-4A8 8 0 1 1 8 19.2L4 20z"/><path d="M9 9c0 3 3 6 6 6"/>`),
  search: icon(svg`<circle cx="11" cy="11" r="6"/><path d="M20 20l-4.5-4.5"/>`),
  paperclip: icon(
    svg`<path d="M20 11l-8 8a5 5 0 0 1-7-7l8-8a3 3 0 0 1 4 4l-8 8a1 1 0 0 1-2-2l7-7"/>`,
  ),
  smile: icon(
    svg`<circle cx="12" cy="12" r="9"/><path d="M8 14a5 5 0 0 0 8 0"/><path d="M9 9h.01M15 9h.01"/>`,
  ),
  send: icon(svg`<path d="M3 20l18-8L3 4v6l12 2-12 2z"/>`),
  close: icon(svg`<path d="M6 6l12 12M18 6L6 18"/>`),
  template: icon(
    svg`<rect x="4" y="4" width="16" height="16" rx="2"/><path d="M8 9h8M8 13h8M8 17h5"/>`,
  ),
  plus: icon(svg`<path d="M12 5v14M5 12h14"/>`),
  markRead: icon(svg`<path d="M3 10l9-6 9 6v10H3z"/><path d="M3 10l9 6 9-6"/>`),
  markUnread: icon(
    svg`<path d="M14 6H3v13h18v-7"/><path d="M3 6l9 7 3-2.3"/><circle cx="19" cy="6" r="3"/>`,
  ),
  contact: icon(
    svg`<rect x="3" y="5" width="18" height="14" rx="2"/><circle cx="9" cy="11" r="2"/><path d="M6 16c1-2 5-2 6 0M15 10h3M15 14h3"/>`,
  ),
  assign: icon(
    svg`<circle cx="9" cy="8" r="4"/><path d="M2 21c0-4 3-6 7-6s7 2 7 6"/><path d="M19 8v6M16 11h6"/>`,
  ),
};
