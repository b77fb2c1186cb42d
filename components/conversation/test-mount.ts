/** Test helpers for <cd-conversation> (not part of the package). */
import { fixture, html, waitUntil } from '@open-wc/testing';
import type { DeskClient } from '../../src/index.js';
import '../provider/provider.js';
import type { CdConversation } from './conversation.js';
import './conversation.js';

/** Two frames: layout, then the ResizeObserver and scroll callbacks, have run. */
export const frames = () =>
  new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())));

/**
 * <cd-conversation> for `id` inside a provider, in a 700 px wide box of `height` px (none: its
 * natural height). `loaded` waits for the thread's first page; `settled` then for two frames.
 */
export async function mountConversation(
  client: DeskClient,
  id: string,
  {
    height,
    loaded = true,
    settled = false,
  }: { height?: number; loaded?: boolean; settled?: boolean } = {},
): Promise<CdConversation> {
  const wrapper = await fixture<HTMLElement>(
    html`<div style=${height ? `height: ${height}px; width: 700px` : ''}>
      <cd-desk-provider .client=${client}
        ><cd-conversation .conversationId=${id}></cd-conversation
      ></cd-desk-provider>
    </div>`,
  );
  const el = wrapper.querySelector('cd-conversation')!;
  await el.updateComplete;
  if (!loaded) return el;
  await waitUntil(() => client.getState().threads.get(id)?.loaded, 'the thread loads');
  await el.updateComplete;
  if (settled) await frames();
  return el;
}
