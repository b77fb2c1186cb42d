/**
 * The offline layers of the HTTP adapter, composed outermost first: the outbox, the inbox cache,
 * the tab leader. Loaded by `createHttpAdapter` with `import()`, so a host's first load carries
 * only the protocol (issue 13: these layers and idb weigh ~6 KB min+gz).
 */
import type { BackendAdapter } from '../adapter.js';
import { withCache } from '../offline/cache.js';
import { withOutbox, type Outbox } from '../offline/outbox.js';
import { withTabLeader, type TabLeader } from '../offline/tab-leader.js';
import type { HttpAdapterOptions } from './adapter.js';

export interface OfflineLayers {
  adapter: BackendAdapter;
  tabs: TabLeader | undefined;
  outbox: Outbox | undefined;
}

export function withOfflineLayers(
  protocol: BackendAdapter,
  options: HttpAdapterOptions,
): OfflineLayers {
  let adapter = protocol;
  const tabs =
    options.tabs === false
      ? undefined
      : withTabLeader(adapter, {
          scope:
            (typeof options.tabs === 'object' && options.tabs.scope) ||
            options.baseUrl.replace(/\/+$/, ''),
        });
  if (tabs) adapter = tabs;
  if (options.cache !== false) adapter = withCache(adapter, options.cache ?? {});
  const outbox =
    options.outbox === false
      ? undefined
      : withOutbox(adapter, {
          ...options.outbox,
          clock: options.clock,
          random: options.random,
          flush: options.flush,
        });
  return { adapter: outbox ?? adapter, tabs, outbox };
}
