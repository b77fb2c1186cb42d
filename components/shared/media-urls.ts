import { nothing, type ReactiveControllerHost } from 'lit';
import type { DeskClient, MediaHandle } from '../../src/index.js';

/**
 * Attachment URLs for `src` and `href`: as they are, or, for a file the backend keeps behind its
 * token, the client's `blob:` URL once fetched (`nothing` until then, so an image shows its alt
 * text). A file the last render did not show, or whose host left the page, is released.
 */
export function mediaUrls(host: ReactiveControllerHost) {
  const shown = new Map<string, { client: DeskClient; handle?: MediaHandle }>();
  const used = new Set<string>();
  const drop = (url: string) => {
    shown.get(url)?.handle?.release();
    shown.delete(url);
  };
  const dropUnused = () => {
    for (const url of [...shown.keys()]) if (!used.has(url)) drop(url);
  };
  host.addController({
    hostUpdate: () => used.clear(),
    hostUpdated: dropUnused,
    hostDisconnected: () => (used.clear(), dropUnused()),
  });
  return (client: DeskClient | undefined, url: string): string | typeof nothing => {
    if (!client?.mediaNeedsFetch({ url })) return url;
    used.add(url);
    let entry = shown.get(url);
    if (entry?.client !== client) {
      drop(url);
      const fresh = (entry = { client });
      shown.set(url, fresh);
      client.mediaUrl({ url }).then(
        (handle: MediaHandle) => {
          if (shown.get(url) !== fresh) return handle.release();
          Object.assign(fresh, { handle });
          host.requestUpdate();
        },
        () => undefined, // gone, or not this user's: the alt text stays
      );
    }
    return entry.handle?.url ?? nothing;
  };
}
