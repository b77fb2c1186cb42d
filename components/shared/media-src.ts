import { nothing } from 'lit';
import { AsyncDirective, directive } from 'lit/async-directive.js';
import type { DeskClient, MediaHandle } from '../../src/index.js';

/**
 * An attachment's URL for `src` or `href`: as is, or, for a file the backend keeps behind its
 * token, the client's `blob:` URL once fetched (nothing until then, so the element shows its
 * alt text). Released when the element leaves the page or shows another file.
 */
class MediaSrc extends AsyncDirective {
  #client: DeskClient | undefined;
  #url: string | undefined;
  #handle: MediaHandle | undefined;

  render(client: DeskClient | undefined, url: string) {
    if (!client?.mediaNeedsFetch({ url })) {
      this.#drop();
      return url;
    }
    if (client !== this.#client || url !== this.#url) {
      this.#drop();
      this.#client = client;
      this.#url = url;
      this.#load();
    }
    return this.#handle?.url ?? nothing;
  }

  #load(): void {
    const { client, url } = { client: this.#client!, url: this.#url! };
    client.mediaUrl({ url }).then(
      (handle) => {
        if (!this.isConnected || this.#client !== client || this.#url !== url) {
          handle.release();
          return;
        }
        this.#handle = handle;
        this.setValue(handle.url);
      },
      () => undefined, // not available (gone, or not this user's): the alt text stays
    );
  }

  #drop(): void {
    this.#handle?.release();
    this.#handle = undefined;
    this.#client = undefined;
    this.#url = undefined;
  }

  protected override disconnected(): void {
    this.#handle?.release();
    this.#handle = undefined;
  }

  protected override reconnected(): void {
    if (this.#client && this.#url) this.#load();
  }
}

export const mediaSrc = directive(MediaSrc);
