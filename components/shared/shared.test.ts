import { expect, fixture, html } from '@open-wc/testing';
import { LitElement } from 'lit';
import { EmbeddedBackendForTests } from './test-desk.js';
import { DeskController } from './desk-controller.js';
import { LocalizeController, registerTranslation } from './localize.js';
import { linkify, safeHref, safeMediaSrc } from './safe.js';
import { ErrorText } from './error-text.js';
import { afterNextPaint } from './lazy.js';
import { DeskError } from '../../src/index.js';
import '../provider/provider.js';

const strings = { hello: 'Hello', count: (n: number) => (n === 1 ? '1 item' : `${n} items`) };

class ProbeElement extends LitElement {
  desk = new DeskController(this, (s) => s.unseenNotifications);
  t = new LocalizeController(this, strings);
  override render() {
    return html`<p>${this.t.term('hello')} ${this.t.term('count', this.desk.value ?? 0)}</p>`;
  }
}
customElements.define('cd-probe', ProbeElement);

describe('shared component plumbing', () => {
  it('the provider hands the client to descendants through context, and selections re-render', async () => {
    const { client, backend } = await EmbeddedBackendForTests('alice');
    const el = await fixture<HTMLElement>(
      html`<cd-desk-provider .client=${client}><cd-probe></cd-probe></cd-desk-provider>`,
    );
    const probe = el.querySelector('cd-probe') as ProbeElement;
    await probe.updateComplete;
    expect(probe.desk.client).to.equal(client);
    expect(probe.shadowRoot!.textContent).to.contain('0 items');
    await backend.simulateIncoming({ senderId: 'alice-sms', from: '+14155550101', text: 'Hi' });
    await new Promise((r) => setTimeout(r, 0));
    await client.idle();
    await probe.updateComplete;
    expect(probe.shadowRoot!.textContent).to.contain('1 item');
  });

  it('strings follow the closest lang attribute and fall back to English', async () => {
    registerTranslation(strings, 'fr', { hello: 'Bonjour' });
    const el = await fixture<HTMLElement>(html`<div lang="fr-CA"><cd-probe></cd-probe></div>`);
    const probe = el.querySelector('cd-probe') as ProbeElement;
    await probe.updateComplete;
    expect(probe.shadowRoot!.textContent).to.contain('Bonjour');
    expect(probe.shadowRoot!.textContent).to.contain('0 items');
  });

  it('changing lang on an ancestor re-renders at once, across shadow roots', async () => {
    registerTranslation(strings, 'fr', { hello: 'Bonjour' });
    const el = await fixture<HTMLElement>(html`<div lang="en"><cd-probe></cd-probe></div>`);
    const probe = el.querySelector('cd-probe') as ProbeElement;
    await probe.updateComplete;
    expect(probe.shadowRoot!.textContent).to.contain('Hello');
    el.setAttribute('lang', 'fr');
    await new Promise((r) => setTimeout(r, 0));
    await probe.updateComplete;
    expect(probe.shadowRoot!.textContent).to.contain('Bonjour');
  });

  it('only http(s) URLs become links; other schemes stay text', () => {
    expect(safeHref('javascript:alert(1)')).to.equal(undefined);
    expect(safeHref('https://example.com/a')).to.equal('https://example.com/a');
    expect(safeMediaSrc('data:text/html;base64,AAAA')).to.equal(undefined);
    expect(safeMediaSrc('data:image/png;base64,AAAA')).to.equal('data:image/png;base64,AAAA');
    expect(linkify('see https://a.example/x. or javascript:alert(1)')).to.deep.equal([
      { text: 'see ' },
      { text: 'https://a.example/x', href: 'https://a.example/x' },
      { text: '. or javascript:alert(1)' },
    ]);
  });
});

describe('languages and refusals', () => {
  it('French is opt-in: an element shows English until translations/fr is imported', async () => {
    await import('../inbox/inbox.js');
    const { client } = await EmbeddedBackendForTests('alice');
    const el = await fixture<HTMLElement>(
      html`<cd-desk-provider lang="fr" .client=${client}><cd-inbox></cd-inbox></cd-desk-provider>`,
    );
    const inbox = el.querySelector('cd-inbox')!;
    await inbox.updateComplete;
    expect(inbox.shadowRoot!.textContent).to.contain('Select all');
    await import('../translations/fr.js');
    await inbox.updateComplete;
    expect(inbox.shadowRoot!.textContent).to.contain('Tout sélectionner');
    expect(inbox.shadowRoot!.textContent).not.to.contain('Select all');
  });

  it('a refusal reads in the user’s language from its code and details, never the SDK message', async () => {
    await import('../translations/fr.js');
    class ErrorProbe extends LitElement {
      errors = new ErrorText(this);
      error: unknown = null;
      override render() {
        return html`<p>${this.errors.text(this.error)}</p>`;
      }
    }
    customElements.define('cd-error-probe', ErrorProbe);
    const el = await fixture<HTMLElement>(
      html`<div lang="en"><cd-error-probe></cd-error-probe></div>`,
    );
    const probe = el.querySelector('cd-error-probe') as ErrorProbe;
    probe.error = new DeskError('template_missing_fields', 'SDK ENGLISH', {
      details: { missing: ['contact.firstName', 'contact.lastName'] },
    });
    probe.requestUpdate();
    await probe.updateComplete;
    expect(probe.shadowRoot!.textContent).to.contain('first name and last name');
    expect(probe.shadowRoot!.textContent).not.to.contain('contact.firstName');
    expect(probe.shadowRoot!.textContent).not.to.contain('SDK ENGLISH');
    el.setAttribute('lang', 'fr');
    probe.error = new DeskError('opted_out', 'SDK ENGLISH', { details: { channel: 'sms' } });
    probe.requestUpdate();
    await probe.updateComplete;
    expect(probe.shadowRoot!.textContent).to.contain('désabonné des messages SMS');
    probe.error = new DeskError('invalid_phone', 'SDK ENGLISH', {
      details: { missing: 'countryCallingCode' },
    });
    probe.requestUpdate();
    await probe.updateComplete;
    expect(probe.shadowRoot!.textContent).to.contain('indicatif pays');
    probe.error = new TypeError('boom');
    probe.requestUpdate();
    await probe.updateComplete;
    expect(probe.shadowRoot!.textContent).to.contain('Cela n’a pas fonctionné');
  });

  it('afterNextPaint (issue 11): resolves only after the next animation frame has run', async () => {
    let framed = false;
    requestAnimationFrame(() => (framed = true));
    await afterNextPaint();
    expect(framed).to.equal(true);
  });
});
