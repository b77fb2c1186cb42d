/**
 * Attachments the backend keeps behind its token (the server's `/media/{id}`): an `<img>` cannot
 * send the token, so the client fetches the file through the adapter and hands out a `blob:` URL,
 * shared by everyone showing that file and revoked when the last of them releases it.
 */
import type { BackendAdapter } from '../adapter.js';

export interface MediaHandle {
  /** For `src` or `href`: a `blob:` URL of the fetched file, or the attachment's own URL. */
  readonly url: string;
  /** No longer shown: the last release revokes the `blob:` URL. Calling it again does nothing. */
  release(): void;
}

interface Entry {
  users: number;
  url: Promise<string>;
}

export class MediaUrls {
  readonly #adapter: BackendAdapter;
  readonly #entries = new Map<string, Entry>();

  constructor(adapter: BackendAdapter) {
    this.#adapter = adapter;
  }

  /** Only for a URL the adapter owns (`ownsMedia`). */
  async acquire(url: string): Promise<MediaHandle> {
    let entry = this.#entries.get(url);
    if (!entry) {
      const fetched = this.#adapter.fetchMedia!(url).then((blob) => URL.createObjectURL(blob));
      entry = { users: 0, url: fetched };
      this.#entries.set(url, entry);
    }
    const held = entry;
    held.users++;
    try {
      const blobUrl = await held.url;
      let released = false;
      return {
        url: blobUrl,
        release: () => {
          if (released) return;
          released = true;
          this.#release(url, held);
        },
      };
    } catch (error) {
      this.#release(url, held); // a failure is not kept: the next acquire asks again
      throw error;
    }
  }

  /** Revokes every URL handed out (the client disconnects). */
  clear(): void {
    for (const [url, entry] of this.#entries) {
      entry.users = 0;
      this.#release(url, entry);
    }
  }

  #release(url: string, entry: Entry): void {
    if (--entry.users > 0) return;
    if (this.#entries.get(url) === entry) this.#entries.delete(url);
    entry.url.then(
      (blobUrl) => URL.revokeObjectURL(blobUrl),
      () => undefined,
    );
  }
}
