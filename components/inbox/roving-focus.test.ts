import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import { RovingFocusController } from './roving-focus.js';

/** A toolbar-like test host; with `lazy`, only items 0..rendered-1 are in the DOM until asked for. */
class RovingProbe extends LitElement {
  @property({ type: Number }) count = 5;
  @property({ type: Number }) rendered = Infinity;
  changes: number[] = [];

  readonly roving = new RovingFocusController(this, {
    count: () => this.count,
    item: async (index) => {
      if (index >= this.rendered) {
        this.rendered = index + 1; // "scroll" it into the DOM
        await this.updateComplete;
      }
      return this.renderRoot.querySelector<HTMLElement>(`[data-index="${index}"]`);
    },
    pageSize: () => 2,
    onActiveChange: (index) => this.changes.push(index),
  });

  override render() {
    const items = Array.from({ length: Math.min(this.count, this.rendered) }, (_, i) => i);
    return html`<div
      role="listbox"
      aria-label="Items"
      @keydown=${(e: KeyboardEvent) => this.roving.handleKeydown(e)}
    >
      ${items.map(
        (i) =>
          html`<div
            role="option"
            aria-selected="false"
            data-index=${i}
            tabindex=${this.roving.tabIndexFor(i)}
            @click=${() => this.roving.setActive(i)}
          >
            Item ${i}
          </div>`,
      )}
    </div>`;
  }
}
customElements.define('cd-roving-probe', RovingProbe);

const focusedIndex = (el: RovingProbe) =>
  (el.shadowRoot!.activeElement as HTMLElement | null)?.dataset['index'];
const tabStops = (el: RovingProbe) =>
  [...el.shadowRoot!.querySelectorAll<HTMLElement>('[tabindex="0"]')].map(
    (e) => e.dataset['index'],
  );

describe('RovingFocusController', () => {
  it('puts exactly one item in the tab order, the first by default', async () => {
    const el = await fixture<RovingProbe>(html`<cd-roving-probe></cd-roving-probe>`);
    expect(tabStops(el)).to.deep.equal(['0']);
    expect(el.shadowRoot!.querySelectorAll('[tabindex="-1"]').length).to.equal(4);
  });

  it('ArrowDown, ArrowUp, Home and End move focus and the tab stop', async () => {
    const el = await fixture<RovingProbe>(html`<cd-roving-probe></cd-roving-probe>`);
    el.shadowRoot!.querySelector<HTMLElement>('[data-index="0"]')!.focus();
    await sendKeys({ press: 'ArrowDown' });
    await el.updateComplete;
    expect(focusedIndex(el)).to.equal('1');
    await sendKeys({ press: 'ArrowDown' });
    await el.updateComplete;
    expect(focusedIndex(el)).to.equal('2');
    await sendKeys({ press: 'ArrowUp' });
    await el.updateComplete;
    expect(focusedIndex(el)).to.equal('1');
    await sendKeys({ press: 'End' });
    await el.updateComplete;
    expect(focusedIndex(el)).to.equal('4');
    expect(tabStops(el)).to.deep.equal(['4']);
    await sendKeys({ press: 'Home' });
    await el.updateComplete;
    expect(focusedIndex(el)).to.equal('0');
    expect(el.changes).to.deep.equal([1, 2, 1, 4, 0]);
  });

  it('stops at the ends unless it wraps; PageDown moves by the page size', async () => {
    const el = await fixture<RovingProbe>(html`<cd-roving-probe></cd-roving-probe>`);
    el.shadowRoot!.querySelector<HTMLElement>('[data-index="0"]')!.focus();
    await sendKeys({ press: 'ArrowUp' });
    await el.updateComplete;
    expect(focusedIndex(el)).to.equal('0');
    await sendKeys({ press: 'PageDown' });
    await el.updateComplete;
    expect(focusedIndex(el)).to.equal('2');

    const wrapping = await fixture<RovingProbe>(html`<cd-roving-probe></cd-roving-probe>`);
    const controller = new RovingFocusController(wrapping, {
      count: () => 3,
      wrap: true,
      item: (i) => wrapping.renderRoot.querySelector<HTMLElement>(`[data-index="${i}"]`),
    });
    const up = new KeyboardEvent('keydown', { key: 'ArrowUp', cancelable: true });
    expect(controller.handleKeydown(up)).to.equal(true);
    expect(up.defaultPrevented).to.equal(true);
    expect(controller.activeIndex).to.equal(2);
  });

  it('leaves other keys and modified keys to the host', async () => {
    const el = await fixture<RovingProbe>(html`<cd-roving-probe></cd-roving-probe>`);
    const letter = new KeyboardEvent('keydown', { key: 'a', cancelable: true });
    const ctrlDown = new KeyboardEvent('keydown', {
      key: 'ArrowDown',
      ctrlKey: true,
      cancelable: true,
    });
    expect(el.roving.handleKeydown(letter)).to.equal(false);
    expect(el.roving.handleKeydown(ctrlDown)).to.equal(false);
    expect(letter.defaultPrevented || ctrlDown.defaultPrevented).to.equal(false);
    expect(el.roving.activeIndex).to.equal(0);
  });

  it('reaches items that are not rendered yet (virtualized lists)', async () => {
    const el = await fixture<RovingProbe>(
      html`<cd-roving-probe .count=${100} .rendered=${3}></cd-roving-probe>`,
    );
    expect(el.shadowRoot!.querySelector('[data-index="99"]')).to.equal(null);
    el.shadowRoot!.querySelector<HTMLElement>('[data-index="0"]')!.focus();
    await sendKeys({ press: 'End' });
    await el.updateComplete;
    await new Promise((r) => setTimeout(r, 0));
    expect(focusedIndex(el)).to.equal('99');
  });

  it('clicks move the tab stop, and the active index stays inside a shrinking list', async () => {
    const el = await fixture<RovingProbe>(html`<cd-roving-probe></cd-roving-probe>`);
    el.shadowRoot!.querySelector<HTMLElement>('[data-index="3"]')!.click();
    await el.updateComplete;
    expect(tabStops(el)).to.deep.equal(['3']);
    el.count = 2;
    await el.updateComplete;
    expect(el.roving.activeIndex).to.equal(1);
    expect(tabStops(el)).to.deep.equal(['1']);
  });
});
