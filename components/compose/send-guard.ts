import type { ReactiveController, ReactiveControllerHost } from 'lit';
import {
  isDeskError,
  type CareWindow,
  type DeskClient,
  type GuardVerdict,
  type SendContent,
  type SendTarget,
} from '../../src/index.js';
import { ClockTimer } from '../shared/clock-timer.js';

/** How long typing must pause before the send guard is asked again. */
const CHECK_DELAY_MS = 150;
/** Refusals about the customer or the channel, not about the draft: shown even before typing. */
export const RECIPIENT_CODES = new Set(['opted_out', 'no_consent', 'window_closed', 'forbidden']);

/** What the guard needs to know about the compose box it serves. */
export interface DraftSource {
  client(): DeskClient | undefined;
  target(): SendTarget | undefined;
  content(): SendContent;
  hasContent(): boolean;
  /** Everything the verdict depends on, as a string: a new key asks again. */
  key(): string;
  window(): CareWindow | undefined;
  /** A refusal the check itself met, in the user's language. */
  errorText(error: unknown): string;
}

/**
 * SN2–SN6: asks the send guard about the draft (or, with no draft, about the customer) after
 * typing pauses, keeps the latest answer, and re-renders the host when the care window closes.
 */
export class SendGuard implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #draft: DraftSource;
  verdict: { key: string; verdict: GuardVerdict } | null = null;
  /** Why the check itself failed, in the user's language. */
  problem: string | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #seq = 0;
  #scheduledKey: string | null = null;
  /** The key the latest answer (or failed check) was for. */
  #answeredKey: string | null = null;
  #pending: Promise<void> | null = null;
  readonly #windowTimer: ClockTimer;

  constructor(host: ReactiveControllerHost, draft: DraftSource) {
    this.#host = host;
    this.#draft = draft;
    this.#windowTimer = new ClockTimer(host);
    host.addController(this);
  }

  hostUpdated(): void {
    // SN3: re-render exactly when the care window closes, on the desk's clock.
    const window = this.#draft.window();
    const client = this.#draft.client();
    this.#windowTimer.schedule(
      client,
      client && window?.open && window.expiresAt !== null ? window.expiresAt : null,
    );
    if (!client || !this.#draft.target()) return;
    const key = this.#draft.key();
    if (key === this.#scheduledKey) return;
    this.#scheduledKey = key;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#run(key), CHECK_DELAY_MS);
  }

  /** Whether the guard has answered for the draft as it is now: Send waits for it. */
  settled(): boolean {
    return this.#answeredKey !== null && this.#answeredKey === this.#draft.key();
  }

  /** Asks now, without waiting for typing to pause, and resolves once the guard has answered. */
  async settle(): Promise<void> {
    for (let tries = 0; tries < 3 && !this.settled(); tries++) {
      if (!this.#draft.client() || !this.#draft.target()) return;
      const key = this.#draft.key();
      if (this.#pending && this.#scheduledKey === key) {
        await this.#pending;
        continue;
      }
      clearTimeout(this.#timer);
      this.#scheduledKey = key;
      await this.#run(key);
    }
  }

  #run(key: string): Promise<void> {
    const run = this.#check(key).finally(() => {
      if (this.#pending === run) this.#pending = null;
    });
    this.#pending = run;
    return run;
  }

  hostDisconnected(): void {
    clearTimeout(this.#timer);
    this.#scheduledKey = null;
  }

  /** Forgets the answer (another conversation's draft is shown). */
  reset(): void {
    this.verdict = null;
    this.problem = null;
    this.#answeredKey = null;
  }

  /** True while the latest answer refuses this draft, or refuses the customer whatever the draft. */
  refuses(): boolean {
    const verdict = this.verdict?.verdict;
    if (verdict?.outcome !== 'refused') return false;
    return (
      this.verdict!.key === this.#scheduledKey ||
      (RECIPIENT_CODES.has(verdict.code) && verdict.code !== 'window_closed')
    );
  }

  async #check(key: string): Promise<void> {
    const host = this.#draft;
    const client = host.client();
    const target = host.target();
    if (!client || !target) return;
    const seq = ++this.#seq;
    const probe = !host.hasContent();
    const draft = JSON.stringify(host.content());
    try {
      const verdict = await client.checkSend(target, probe ? { text: '.' } : host.content());
      if (seq !== this.#seq) return;
      if (draft === JSON.stringify(host.content())) {
        // Asking may have loaded the customer's consent and opt-outs into the state; the answer
        // already took them into account, so it stands for the key as it is now.
        key = host.key();
        this.#scheduledKey = key;
      }
      this.problem = null;
      this.#answeredKey = key;
      if (probe && verdict.outcome === 'refused' && !RECIPIENT_CODES.has(verdict.code)) {
        this.verdict = null;
      } else {
        this.verdict = { key, verdict };
      }
    } catch (error) {
      if (seq !== this.#seq) return;
      this.verdict = null;
      this.problem = isDeskError(error) ? host.errorText(error) : null;
      this.#answeredKey = key;
    }
    this.#host.requestUpdate();
  }
}
