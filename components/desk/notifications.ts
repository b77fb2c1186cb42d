import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { DeskClient, DeskEvent } from '../../src/index.js';
import type { FaviconBadge } from './favicon-badge.js';
import type { SharedUnseen } from './shared-unseen.js';

/** Detail of `cd-notification`: the SDK's N1 notification event. */
export type DeskNotificationDetail = Extract<DeskEvent, { type: 'notification' }>;

export interface NotificationsOptions {
  /** The client to watch (the desk's `client`). */
  client(): DeskClient | undefined;
  /** Whether the desk writes the unseen count into `document.title`. */
  manageTitle(): boolean;
  /** `(n) title` in the user's language. */
  title(count: number, base: string): string;
}

/**
 * N1 for `<cd-desk>`: re-emits the SDK's notifications as `cd-notification`, keeps the unseen
 * count in the tab title and as a favicon badge, in every tab of the same agent, and
 * acknowledges it when the user comes back to a tab or interacts with the visible page.
 */
export class DeskNotifications implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #options: NotificationsOptions;
  #off: (() => void) | null = null;
  /** The page title before the desk prefixed it, and what the desk last wrote. */
  #baseTitle: string | null = null;
  #writtenTitle: string | null = null;
  /** The favicon badge loads on the first unseen notification, out of the desk's first load. */
  #badge: Promise<FaviconBadge> | null = null;
  #badgeCount = 0;
  /** The other tabs of this agent; loads once the desk is ready, out of its first load. */
  #tabs: SharedUnseen | null = null;
  #tabsLoad: Promise<void> | null = null;

  constructor(host: ReactiveControllerHost & HTMLElement, options: NotificationsOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  hostConnected(): void {
    document.addEventListener('visibilitychange', this.#onVisibilityChange);
    window.addEventListener('pointerdown', this.#onInteraction, { capture: true, passive: true });
    window.addEventListener('keydown', this.#onInteraction, { capture: true, passive: true });
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.#onVisibilityChange);
    window.removeEventListener('pointerdown', this.#onInteraction, { capture: true });
    window.removeEventListener('keydown', this.#onInteraction, { capture: true });
    this.stop();
    this.#tabs?.leave();
    this.#restoreTitle();
  }

  /** Re-emits notifications while the client is ready (the client drops handlers on disconnect). */
  listen(client: DeskClient): void {
    const status = client.getState().status;
    if (status === 'ready' && !this.#off) {
      this.#off = client.on('notification', (event) => {
        this.#host.dispatchEvent(
          new CustomEvent<DeskNotificationDetail>('cd-notification', {
            detail: event,
            bubbles: true,
            composed: true,
          }),
        );
      });
    } else if (status !== 'ready' && status !== 'connecting') {
      this.stop();
    }
  }

  stop(): void {
    this.#off?.();
    this.#off = null;
  }

  /** Writes (or takes back) the unseen count in the tab title. */
  syncTitle(): void {
    const state = this.#options.client()?.getState();
    const ready = this.#host.isConnected && state?.status === 'ready' && !!state.me;
    if (ready) this.#joinTabs(state.me!.id, state.unseenNotifications);
    else this.#tabs?.leave();
    const count = this.#options.manageTitle() && ready ? this.#shownCount() : 0;
    if (count <= 0) {
      this.#restoreTitle();
      return;
    }
    // The host changed the title meanwhile: that is the new base.
    if (this.#baseTitle === null || document.title !== this.#writtenTitle) {
      this.#baseTitle = document.title;
    }
    this.#writtenTitle = this.#options.title(count, this.#baseTitle);
    document.title = this.#writtenTitle;
    this.#syncBadge(count);
  }

  #shownCount(): number {
    return this.#tabs?.count ?? this.#options.client()?.getState().unseenNotifications ?? 0;
  }

  #joinTabs(userId: string, own: number): void {
    if (this.#tabs) {
      this.#tabs.update(userId, own);
      return;
    }
    if (this.#tabsLoad) return;
    this.#tabsLoad = import('./shared-unseen.js').then((m) => {
      this.#tabs = new m.SharedUnseen(
        () => this.syncTitle(),
        () => {
          // Seen in another tab of this agent: seen here too.
          const client = this.#options.client();
          if (client?.getState().unseenNotifications) client.acknowledgeNotifications();
        },
      );
      if (this.#host.isConnected) this.syncTitle();
    });
  }

  /** Every call applies the latest count, so a late load never shows a stale badge. */
  #syncBadge(count: number): void {
    this.#badgeCount = count;
    if (count <= 0 && !this.#badge) return;
    this.#badge ??= import('./favicon-badge.js').then((m) => new m.FaviconBadge());
    void this.#badge.then((badge) =>
      this.#badgeCount > 0 ? badge.show(this.#badgeCount) : badge.clear(),
    );
  }

  #restoreTitle(): void {
    this.#syncBadge(0);
    if (this.#baseTitle !== null && document.title === this.#writtenTitle) {
      document.title = this.#baseTitle;
    }
    this.#baseTitle = null;
    this.#writtenTitle = null;
  }

  #acknowledge(): void {
    const client = this.#options.client();
    const state = client?.getState();
    if (state?.status !== 'ready' || this.#shownCount() === 0) return;
    this.#tabs?.acknowledge();
    if (state.unseenNotifications > 0) client!.acknowledgeNotifications();
    else this.syncTitle();
  }

  /** The user came back to the tab. */
  readonly #onVisibilityChange = (): void => {
    if (document.visibilityState === 'visible' && document.hasFocus()) this.#acknowledge();
  };

  /** The user interacts with the visible page. */
  readonly #onInteraction = (): void => {
    if (document.visibilityState === 'visible') this.#acknowledge();
  };
}
