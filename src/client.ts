/**
 * The desk client: the object an integrator creates for one signed-in user. It holds a store of
 * state snapshots, derives the views, runs the rules before anything is sent, and talks only to a
 * `BackendAdapter`. Each responsibility lives in its module under `client/`; this class is the
 * public face that ties them to one shared `Core`.
 */
import type { SendContent } from './adapter.js';
import { DeskError } from './errors.js';
import type { GuardVerdict } from './rules/send-guard.js';
import { createCore } from './client/core.js';
import { connect, disconnect, idle, loadOlder, open } from './client/loading.js';
import type { MediaHandle, MediaUrls } from './client/media.js';
import { assign, mark, saveContact, updateContact } from './client/people.js';
import { DeskReader } from './client/reader.js';
import type {
  ConversationRow,
  Core,
  DeskClientOptions,
  DeskState,
  SendTarget,
  StartConversationInput,
  StartedConversation,
  Thread,
  ViewSnapshot,
} from './client/state.js';
import type { Contact, ContactInput, Media, Message, UserId } from './types.js';

export type {
  ConversationRow,
  DeskClientOptions,
  MediaHandle,
  DeskState,
  SendTarget,
  StartConversationInput,
  StartedConversation,
  Thread,
  ViewSnapshot,
};
export { mergeMessages } from './client/thread.js';

export function createDeskClient(options: DeskClientOptions): DeskClient {
  return new DeskClient(options);
}

export class DeskClient extends DeskReader {
  readonly #core: Core;
  #media: Promise<MediaUrls> | undefined; // loaded with the first file to fetch

  constructor(options: DeskClientOptions) {
    const core = createCore(options);
    super(core);
    this.#core = core;
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  /**
   * Loads the session, reference data and the first page of conversations and contacts, then
   * follows server events. A view's next rows load with `loadMore` (the other contacts load in
   * the background; `idle()` waits for them).
   */
  connect(): Promise<void> {
    return connect(this.#core);
  }

  disconnect(): void {
    disconnect(this.#core);
    void this.#media?.then((media) => media.clear());
  }

  /** Whether an attachment is a file the backend keeps behind its token (see `mediaUrl`). */
  mediaNeedsFetch(media: Pick<Media, 'url'>): boolean {
    return this.#core.adapter.ownsMedia?.(media.url) === true;
  }

  /** For `<img>`/links: such a file as a `blob:` URL (`release()` it when gone), else as is. */
  async mediaUrl(media: Pick<Media, 'url'>): Promise<MediaHandle> {
    if (!this.mediaNeedsFetch(media)) return { url: media.url, release: () => undefined };
    const adapter = this.#core.adapter;
    this.#media ??= import('./client/media.js').then((m) => new m.MediaUrls(adapter));
    return (await this.#media).acquire(media.url);
  }

  /** Resolves once every server event received so far is applied and every page is loaded. */
  idle(): Promise<void> {
    return idle(this.#core);
  }

  // ---- conversation window -------------------------------------------------------------------

  /**
   * Opens a conversation: loads its latest messages and, for its owner, marks it read (RD1). An
   * admin looking at someone else's conversation only peeks (RD3).
   */
  open(conversationId: string): Promise<Thread> {
    return open(this.#core, conversationId);
  }

  close(): void {
    this.#core.store.setState((s) =>
      s.openConversationId ? { ...s, openConversationId: null } : s,
    );
  }

  /** Loads the previous page of a thread; resolves false at the start of the thread. */
  loadOlder(conversationId: string): Promise<boolean> {
    return loadOlder(this.#core, conversationId);
  }

  // ---- sending (SN1–SN8) ---------------------------------------------------------------------

  /** Send, check and retry load on first use, beside the engine's prepareSend (again if it failed). */
  #sendCommands: Promise<typeof import('./client/send.js')> | undefined;
  #commands() {
    return (this.#sendCommands ??= import('./client/send.js').catch((error: unknown) => {
      this.#sendCommands = undefined;
      throw error;
    }));
  }

  /**
   * The send guard's answer before the user presses Send: allowed, queued until a time, or refused
   * with a code and a reason the UI shows (SN2–SN6).
   */
  async checkSend(target: SendTarget, content: SendContent): Promise<GuardVerdict> {
    return (await (await this.#commands()).prepare(this.#core, target, content)).verdict;
  }

  /** Sends in an existing conversation. Refusals throw a `DeskError` and change nothing. */
  async send(conversationId: string, content: SendContent): Promise<Message> {
    return (await this.#commands()).send(this.#core, { conversationId }, content);
  }

  /** SN1: a new conversation (or the existing one on that sender ID with that number, C1). */
  async startConversation(input: StartConversationInput): Promise<StartedConversation> {
    return (await this.#commands()).startConversation(this.#core, input);
  }

  /** SN7: a failed message is sent again. Never sends twice: the backend dedupes on the key. */
  async retry(messageId: string): Promise<Message> {
    return (await this.#commands()).retry(this.#core, messageId);
  }

  // ---- read state and assignment (RD1–RD4, A1–A2) --------------------------------------------

  /** RD2: mark conversations this user owns read or unread. */
  markRead(conversationIds: string[], read: boolean): Promise<void> {
    return mark(this.#core, conversationIds, read, 'owner');
  }

  /**
   * RD4: an admin marks another user's conversations read or unread. The UI asks first; the SDK
   * refuses with `confirmation_required` unless `confirmed` is true.
   */
  async markReadAsAdmin(
    conversationIds: string[],
    read: boolean,
    options: { confirmed: boolean },
  ): Promise<void> {
    if (!options.confirmed) {
      throw new DeskError(
        'confirmation_required',
        "Confirm before changing another user's read state.",
      );
    }
    await mark(this.#core, conversationIds, read, 'admin');
  }

  /** A1, A2 (admins only): assign conversations to one standard user. */
  assign(conversationIds: string[], assigneeId: UserId): Promise<void> {
    return assign(this.#core, conversationIds, assigneeId);
  }

  // ---- contacts (CT1) ------------------------------------------------------------------------

  /** CT1: save a number as a contact; its name shows at once in every conversation and in search. */
  saveContact(input: ContactInput): Promise<Contact> {
    return saveContact(this.#core, input);
  }

  /** CT1: edit a contact from the desk. */
  updateContact(id: string, patch: Partial<ContactInput>): Promise<Contact> {
    return updateContact(this.#core, id, patch);
  }

  /** SN1: suggestions while typing a name or number. */
  async suggestContacts(text: string, limit = 8): Promise<Contact[]> {
    return text.trim() ? this.#core.adapter.searchContacts(text.trim(), limit) : [];
  }

  // ---- notifications (N1) --------------------------------------------------------------------

  /** N1: the user has seen the notifications (the tab is visible again). */
  acknowledgeNotifications(): void {
    this.#core.store.setState((s) =>
      s.unseenNotifications ? { ...s, unseenNotifications: 0 } : s,
    );
  }
}
