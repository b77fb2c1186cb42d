import { expect } from '@open-wc/testing';
import { html, LitElement, render } from 'lit';
import { VirtualList } from './virtual-list.js';

class Host extends LitElement {}
customElements.define('virtual-list-test-host', Host);

describe('VirtualList (issue 11)', () => {
  it('draws the first screenful of rows, read by position, before the virtualizer has loaded', () => {
    const reads: number[] = [];
    // Rows read only through `at`, as a view's snapshot is: no array to slice.
    const rows = {
      length: 100_000,
      at: (index: number) => (reads.push(index), `row ${index}`),
      items: [] as string[],
    };
    const list = new VirtualList<string>(new Host());
    const container = document.createElement('div');
    render(
      html`${list.render(
        rows,
        (row) => row,
        (row, index) => html`<p data-index=${index}>${row}</p>`,
      )}`,
      container,
    );
    const drawn = container.querySelectorAll('p');
    expect(drawn.length).to.be.within(10, 40);
    expect(drawn[0]!.textContent).to.equal('row 0');
    expect(reads.length).to.equal(drawn.length);
  });
});
