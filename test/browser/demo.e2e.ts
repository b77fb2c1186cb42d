/**
 * The `npm start` demo end to end: the demo page (examples/demo) on the team server started as
 * `npm start` starts it (demo mode, PGlite in a throwaway folder: web-test-runner.http.config.js),
 * in two windows (iframes) signed in as the admin and an agent. Clicks and typing as a person's;
 * every wait is on what the page shows.
 */
import { expect } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import { freshNumber, unique, until } from './support.js';

const SLOW = 30_000; // the machine running CI is shared

interface DemoWindow {
  frame: HTMLIFrameElement;
  doc: () => Document;
  /** Page loads so far. */
  loads: number;
}

const windows: DemoWindow[] = [];

async function teamServerUrl(): Promise<string> {
  return ((await (await fetch('/__team-server')).json()) as { url: string }).url;
}

/** A window of the demo page at `query`, once its inbox shows rows. */
async function openDemo(query: string): Promise<DemoWindow> {
  const frame = document.createElement('iframe');
  frame.src = `/examples/demo/index.html?${query}`;
  frame.style.cssText = 'width: 1200px; height: 800px; border: 0';
  frame.title = query;
  document.body.append(frame);
  const win = { frame, doc: () => frame.contentDocument!, loads: 0 };
  frame.addEventListener('load', () => win.loads++);
  windows.push(win);
  await until(() => rows(win).length > 0, 'the inbox shows rows', SLOW);
  return win;
}

const shadow = (root: ParentNode | null | undefined, selector: string) =>
  root?.querySelector(selector)?.shadowRoot ?? null;
const desk = (w: DemoWindow) => shadow(w.doc(), 'cd-desk');
const inbox = (w: DemoWindow) => shadow(desk(w), 'cd-inbox');
const conversation = (w: DemoWindow) => shadow(desk(w), 'cd-conversation');
const simulator = (w: DemoWindow) => shadow(w.doc(), 'demo-phone-simulator')!;
const rows = (w: DemoWindow) => [
  ...(inbox(w)?.querySelectorAll<HTMLElement>('[role="option"]') ?? []),
];
const rowWith = (w: DemoWindow, text: string) => rows(w).find((r) => r.textContent!.includes(text));
const thread = (w: DemoWindow) =>
  [...(conversation(w)?.querySelectorAll('[part~="message"] [part="text"]') ?? [])].map(
    (p) => p.textContent!,
  );
const button = (root: ParentNode, text: string) =>
  [...root.querySelectorAll<HTMLButtonElement>('button')].find(
    (b) => b.textContent!.trim() === text,
  )!;

/** Focuses a field and types into it as a person would, replacing what it held. */
async function type(field: HTMLInputElement | HTMLTextAreaElement, text: string) {
  field.focus();
  field.select();
  await sendKeys({ type: text });
}

/** The customer's phone in `w` writes `text` from `from` to the business number `senderId`. */
async function customerWrites(w: DemoWindow, senderId: string, from: string, text: string) {
  const phone = simulator(w);
  const sender = phone.querySelector<HTMLSelectElement>('#sender')!;
  sender.value = senderId;
  sender.dispatchEvent(new Event('change'));
  await type(phone.querySelector<HTMLInputElement>('#from')!, from);
  await type(phone.querySelector<HTMLTextAreaElement>('#text')!, text);
  button(phone, 'Send as customer').click();
  await until(
    () => phone.querySelector('output')!.textContent!.startsWith('Routed by'),
    'the simulator says where it went',
    SLOW,
  );
}

describe('the npm start demo on the team server', () => {
  before(() => setViewport({ width: 2440, height: 900 }));
  afterEach(() => {
    for (const w of windows.splice(0)) w.frame.remove();
  });

  it('A1, RT3, RT5: two windows share one desk: the admin assigns, the agent sees it and replies, the customer writes to both; Reset starts both again', async function () {
    this.timeout(180_000);
    const server = encodeURIComponent(await teamServerUrl());
    const admin = await openDemo(`server=${server}&user=ada`);
    const agent = await openDemo(`server=${server}&user=sam`);
    expect(admin.doc().querySelector<HTMLSelectElement>('#user')!.value).to.equal('ada');
    expect(agent.doc().querySelector<HTMLSelectElement>('#user')!.value).to.equal('sam');
    // The server keeps real time: the simulator offers no time jumps there.
    expect(button(simulator(admin), '+24 hours')).to.equal(undefined);

    // RT3: a number new to the shared sender ID writes: a new conversation for the admin.
    const customer = freshNumber();
    const question = `Where is my parcel? ${unique('q')}`;
    await customerWrites(admin, 'support-sms', customer, question);
    await until(() => !!rowWith(admin, question), "the admin's inbox shows it", SLOW);
    expect(rowWith(agent, question)).to.equal(undefined);

    // A1: the admin opens it and assigns it to Sam.
    rowWith(admin, question)!.click();
    await until(() => thread(admin).includes(question), 'the admin opened it', SLOW);
    conversation(admin)!.querySelector<HTMLButtonElement>('[part~="assign-button"]')!.click();
    const dialog = () => shadow(desk(admin), 'cd-assign-dialog');
    await until(() => !!dialog()?.querySelector('dialog')?.open, 'the assign dialog', SLOW);
    [...dialog()!.querySelectorAll<HTMLElement>('[part~="user"]')]
      .find((label) => label.textContent!.includes('Sam Rivera'))!
      .click();
    await until(
      () => !dialog()!.querySelector<HTMLButtonElement>('[part~="assign-button"]')!.disabled,
      'Assign enabled',
      SLOW,
    );
    dialog()!.querySelector<HTMLButtonElement>('[part~="assign-button"]')!.click();

    // The agent's window shows it without a reload.
    await until(() => !!rowWith(agent, question), "Sam's inbox shows it", SLOW);

    // The agent opens it and replies from the keyboard.
    rowWith(agent, question)!.click();
    await until(() => thread(agent).includes(question), 'Sam opened it', SLOW);
    const textarea = () =>
      shadow(conversation(agent), 'cd-compose')?.querySelector<HTMLTextAreaElement>(
        '[part="textarea"]',
      );
    await until(() => !!textarea(), 'the reply box', SLOW); // loaded on first use
    const answer = `It left the warehouse today. ${unique('a')}`;
    await type(textarea()!, answer);
    await sendKeys({ press: 'Enter' });
    await until(() => thread(agent).includes(answer), 'the reply in Sam’s thread', SLOW);
    // The admin, who still has it open, sees the reply.
    await until(() => thread(admin).includes(answer), 'the reply in the admin’s thread', SLOW);

    // RT5: the customer writes again, from the simulator of the agent's window: both see it.
    const thanks = `Thanks! ${unique('t')}`;
    await customerWrites(agent, 'support-sms', customer, thanks);
    await until(() => thread(agent).includes(thanks), 'Sam sees the message', SLOW);
    await until(() => thread(admin).includes(thanks), 'the admin sees the message', SLOW);
    await until(() => !!rowWith(agent, thanks), "Sam's inbox row shows it", SLOW);
    expect(thread(agent).slice(-3)).to.deep.equal([question, answer, thanks]);
    expect(thread(admin).slice(-3)).to.deep.equal([question, answer, thanks]);

    // Reset demo data, in the admin's window: the server's data starts again and both windows
    // reload without the conversation (no copy of it is kept in either).
    type Marked = { marked?: boolean };
    const marked = (w: DemoWindow) => (w.frame.contentWindow as Marked).marked;
    for (const w of [admin, agent]) (w.frame.contentWindow as Marked).marked = true;
    admin.doc().querySelector<HTMLButtonElement>('#reset')!.click();
    for (const w of [admin, agent]) {
      await until(
        () => !marked(w) && rows(w).length > 0 && !rowWith(w, question),
        'the window reloaded with the demo data as at the start',
        2 * SLOW,
      ).catch((error) => {
        // What the window shows, for the failure's message.
        const text = (root: ParentNode | null) => root?.textContent?.replace(/\s+/g, ' ');
        throw new Error(`${w.frame.title}, ${w.loads} loads: ${text(desk(w))}: ${error}`);
      });
    }
    expect(rowWith(agent, 'María González')).to.not.equal(undefined);
    expect(agent.doc().querySelector<HTMLSelectElement>('#user')!.value).to.equal('sam');
  });

  it('?backend=embedded runs the demo in the browser alone, with no server', async function () {
    this.timeout(120_000);
    // A server address that answers nothing: the embedded demo must not need one.
    const w = await openDemo('backend=embedded&server=http%3A%2F%2F127.0.0.1%3A9&user=sam');
    expect(rowWith(w, 'María González')).to.not.equal(undefined);
    const text = `Is the tent waterproof? ${unique('e')}`;
    await customerWrites(w, 'sam-sms', freshNumber(), text);
    await until(() => !!rowWith(w, text), 'the incoming message in My Inbox', SLOW);
    // The time jumps are offered here (not on the team server, which keeps real time).
    expect(button(simulator(w), '+24 hours')).to.not.equal(undefined);
  });
});
