import { LitElement, css, html } from 'lit';
import { property, state } from 'lit/decorators.js';
import { isDeskError, nextOpening, type BusinessHours, type SenderId } from 'converse-desk';
import type { EmbeddedBackend } from 'converse-desk/embedded';
import type { DemoClock } from './demo-clock.js';

/** What the simulator's buttons call: the embedded backend, or the team server's `/simulate/*`. */
export type SimulatorBackend = Pick<
  EmbeddedBackend,
  'simulateIncoming' | 'sendCampaign' | 'setConsent' | 'failNextSend' | 'setBusinessHours'
>;

/**
 * @summary The customer's side of the demo: sends incoming messages and campaign replies, opts
 * out, gives consent, and moves time, so that every rule can be seen at work. Without a `clock`
 * (the team server keeps real time) the time jumps are not offered.
 */
export class DemoPhoneSimulator extends LitElement {
  static override styles = css`
    :host {
      display: block;
      font:
        14px/1.4 system-ui,
        sans-serif;
      color: #1c2430;
    }
    fieldset {
      border: 1px solid #d5dbe3;
      border-radius: 8px;
      margin: 0 0 12px;
      padding: 8px 12px 12px;
    }
    legend {
      font-weight: 600;
    }
    label {
      display: block;
      margin: 6px 0 2px;
      font-size: 12px;
      color: #5b6776;
    }
    input,
    select,
    textarea,
    button {
      font: inherit;
      width: 100%;
      box-sizing: border-box;
    }
    textarea {
      min-height: 56px;
    }
    button {
      margin-top: 8px;
      padding: 6px 10px;
      border-radius: 6px;
      border: 1px solid #0b6bcb;
      background: #0b6bcb;
      color: #fff;
      cursor: pointer;
    }
    button.secondary {
      background: #fff;
      color: #0b6bcb;
    }
    .row {
      display: flex;
      gap: 8px;
    }
    output {
      display: block;
      margin-top: 8px;
      font-size: 12px;
      color: #1e7d32;
      white-space: pre-wrap;
    }
    .note {
      margin: 0;
      font-size: 12px;
      color: #5b6776;
    }
    output.error {
      color: #c62828;
    }
  `;

  @property({ attribute: false }) backend?: SimulatorBackend;
  @property({ attribute: false }) clock?: DemoClock;
  @property({ attribute: false }) senders: SenderId[] = [];
  @state() private senderId = '';
  @state() private from = '+14155550101';
  @state() private text = 'Hi, is my order ready?';
  @state() private result = '';
  @state() private failed = false;

  protected override willUpdate(): void {
    if (!this.senderId && this.senders[0]) this.senderId = this.senders[0].id;
  }

  async #run(action: () => Promise<string>) {
    try {
      this.result = await action();
      this.failed = false;
    } catch (error) {
      this.result = isDeskError(error) ? `${error.code}: ${error.message}` : String(error);
      this.failed = true;
    }
  }

  #incoming = (text = this.text) =>
    this.#run(async () => {
      const { routing } = await this.backend!.simulateIncoming({
        senderId: this.senderId,
        from: this.from,
        text,
      });
      return `Routed by ${routing.rule}: ${routing.reason}`;
    });

  #campaign = () =>
    this.#run(async () => {
      const sender = this.senders.find((s) => s.id === this.senderId)!;
      const userId =
        sender.access.type === 'owned' ? sender.access.userId : sender.access.userIds[0]!;
      const { sent, skipped } = await this.backend!.sendCampaign({
        senderId: sender.id,
        userId,
        to: [this.from],
        text: 'Spring sale: 20% off tents this weekend!',
      });
      return sent.length
        ? `Campaign sent by ${userId}; no conversation until the customer replies (C3).`
        : `Skipped: ${skipped.map((s) => s.code).join(', ')}`;
    });

  #consent = (consent: boolean) =>
    this.#run(async () => {
      await this.backend!.setConsent(this.from, consent);
      return consent ? 'WhatsApp consent recorded (SN4).' : 'WhatsApp consent withdrawn.';
    });

  #fail = () =>
    this.#run(async () => {
      await this.backend!.failNextSend(this.from, 'Handset unreachable');
      return 'The next message to this number will fail (red triangle), then Retry sends it.';
    });

  /** The hours the simulator last set (undefined: always open). */
  #businessHours: BusinessHours | undefined;

  /** SN6: moves time to the next opening, so the queued messages can be seen going out. */
  #jumpToOpening = () =>
    this.#run(async () => {
      const now = this.clock!.now();
      const opening = nextOpening(this.#businessHours, now);
      if (opening === null) return 'The business hours never open.';
      if (opening <= now) return 'The office is open now: nothing is waiting for it.';
      this.clock!.jump(opening - now);
      return `Time moved to the opening, ${new Date(opening).toUTCString()}: queued messages go out.`;
    });

  #hours = (mode: 'always' | 'closed') =>
    this.#run(async () => {
      const now = new Date(this.clock?.now() ?? Date.now());
      const day = (['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const)[
        (now.getUTCDay() + 2) % 7
      ]!;
      this.#businessHours =
        mode === 'always'
          ? undefined
          : { timeZone: 'UTC', weekly: { [day]: [['09:00', '17:00']] } };
      await this.backend!.setBusinessHours(this.#businessHours);
      return mode === 'always'
        ? 'Business hours: always open.'
        : 'Business hours: closed until the day after tomorrow, 09:00 UTC (SN6: sends are queued).';
    });

  #jump = (hours: number) =>
    this.#run(async () => {
      this.clock!.jump(hours * 3_600_000);
      return `Time moved forward ${hours} h.`;
    });

  protected override render() {
    return html`
      <fieldset>
        <legend>Customer phone</legend>
        <label for="sender">To the business number</label>
        <select
          id="sender"
          @change=${(e: Event) => (this.senderId = (e.target as HTMLSelectElement).value)}
        >
          ${this.senders.map((s) => html`<option value=${s.id} ?selected=${s.id === this.senderId}>${s.label} (${s.address})</option>`)}
        </select>
        <label for="from">From (customer number, E.164)</label>
        <input
          id="from"
          .value=${this.from}
          @input=${(e: Event) => (this.from = (e.target as HTMLInputElement).value)}
        />
        <label for="text">Message</label>
        <textarea
          id="text"
          .value=${this.text}
          @input=${(e: Event) => (this.text = (e.target as HTMLTextAreaElement).value)}
        ></textarea>
        <button @click=${() => this.#incoming()}>Send as customer</button>
        <div class="row">
          <button class="secondary" @click=${() => this.#incoming('STOP')}>Reply STOP</button>
          <button class="secondary" @click=${this.#campaign}>Campaign to this number</button>
        </div>
        <div class="row">
          <button class="secondary" @click=${() => this.#consent(true)}>Give WA consent</button>
          <button class="secondary" @click=${() => this.#consent(false)}>Withdraw consent</button>
        </div>
        <button class="secondary" @click=${this.#fail}>Make the next send to it fail</button>
      </fieldset>
      <fieldset>
        <legend>${this.clock ? 'Time and hours' : 'Business hours'}</legend>
        ${
          this.clock
            ? html`<div class="row">
                  <button class="secondary" @click=${() => this.#jump(1)}>+1 hour</button>
                  <button class="secondary" @click=${() => this.#jump(24)}>+24 hours</button>
                </div>
                <button class="secondary" @click=${this.#jumpToOpening}>
                  Jump to opening hours
                </button>`
            : html`<p class="note">
                The team server keeps real time: "Always open" sends what the closed office queued.
                Time jumps are in the in-browser demo (<code>?backend=embedded</code>).
              </p>`
        }
        <div class="row">
          <button class="secondary" @click=${() => this.#hours('always')}>Always open</button>
          <button class="secondary" @click=${() => this.#hours('closed')}>Close the office</button>
        </div>
      </fieldset>
      <output class=${this.failed ? 'error' : ''} role="status">${this.result}</output>
    `;
  }
}

customElements.define('demo-phone-simulator', DemoPhoneSimulator);
