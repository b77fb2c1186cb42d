/**
 * Takes the README's screenshots from the running demo in headless Chromium:
 * `npm run screenshots` (builds the examples first). Writes docs/screenshots/*.png.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import puppeteer from 'puppeteer-core';
import { startStaticServer } from './serve.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.js';

execFileSync('npx', ['rollup', '-c', 'rollup.examples.config.js'], { stdio: 'inherit' });
const { server, url } = await startStaticServer({ root: 'examples', port: 8600 });
const browser = await puppeteer.launch({
  executablePath: CHROMIUM_PATH,
  args: CHROMIUM_ARGS,
});
mkdirSync('docs/screenshots', { recursive: true });
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 860, deviceScaleFactor: 1 });
  page.on('pageerror', (error) => console.error('page error:', error.message));
  // The demo in the browser alone (no team server needed): the embedded backend.
  await page.goto(`${url}demo/?backend=embedded`, { waitUntil: 'networkidle0' });
  await page.evaluate(() => localStorage.setItem('converse-desk-demo-user', 'ada'));
  await page.reload({ waitUntil: 'networkidle0' });
  const shot = async (name) => {
    await new Promise((r) => setTimeout(r, 500));
    await page.screenshot({ path: `docs/screenshots/${name}.png` });
    console.log(`docs/screenshots/${name}.png`);
  };
  const inDesk = (fn) => page.evaluate(fn);
  const openFirst = () =>
    inDesk(() => {
      const desk = document.querySelector('cd-desk');
      const inbox = desk.shadowRoot.querySelector('cd-inbox');
      inbox.shadowRoot.querySelector('[role="option"]').click();
    });
  await shot('desk-inbox');
  await openFirst();
  await shot('desk-conversation');
  // The contact side panel of a WhatsApp conversation: consent and the care window's time left.
  await inDesk(() => {
    const desk = document.querySelector('cd-desk');
    const inbox = desk.shadowRoot.querySelector('cd-inbox');
    inbox.shadowRoot.querySelector('[part~="channel"].whatsapp').closest('[role="option"]').click();
  });
  await new Promise((r) => setTimeout(r, 300));
  await inDesk(() => {
    const desk = document.querySelector('cd-desk');
    const conversation = desk.shadowRoot.querySelector('cd-conversation');
    conversation.shadowRoot.querySelector('[part~="contact-button"]').click();
  });
  await shot('desk-contact-panel');
  // A day later the care window has closed: one notice says templates only.
  await inDesk(() => {
    const desk = document.querySelector('cd-desk');
    const conversation = desk.shadowRoot.querySelector('cd-conversation');
    conversation.shadowRoot.querySelector('[part~="contact-button"]').click();
    const simulator = document.querySelector('demo-phone-simulator');
    [...simulator.shadowRoot.querySelectorAll('button')]
      .find((b) => b.textContent.trim() === '+24 hours')
      .click();
  });
  await shot('desk-window-closed');

  // A phone: one pane at a time, with Back.
  await page.setViewport({ width: 390, height: 844, deviceScaleFactor: 1 });
  await page.reload({ waitUntil: 'networkidle0' });
  await shot('mobile-inbox');
  await openFirst();
  await shot('mobile-conversation');
  // The new-conversation form on a phone, filled in: Send shows without scrolling.
  await inDesk(async () => {
    const desk = document.querySelector('cd-desk');
    desk.shadowRoot.querySelector('.main [part="back-button"]').click();
    await new Promise((r) => setTimeout(r, 100));
    desk.shadowRoot.querySelector('.list [part="back-button"]').click();
    await new Promise((r) => setTimeout(r, 100));
    desk.shadowRoot.querySelector('[part~="new-button"]').click();
    await new Promise((r) => setTimeout(r, 500));
    const form = desk.shadowRoot.querySelector('cd-new-conversation').shadowRoot;
    const type = (input, value) => {
      input.value = value;
      input.dispatchEvent(new InputEvent('input', { bubbles: true }));
    };
    type(form.querySelector('#name'), 'Zoe Adams');
    type(form.querySelector('#number'), '4155550123');
    const sender = form.querySelector('#sender');
    sender.selectedIndex = 1;
    sender.dispatchEvent(new Event('change', { bubbles: true }));
    form.querySelector('[part~="next-button"]').click();
  });
  await new Promise((r) => setTimeout(r, 1000));
  await page.evaluate(() => document.activeElement?.blur());
  await shot('mobile-new-conversation');
  await page.setViewport({ width: 1400, height: 860, deviceScaleFactor: 1 });

  for (const [name, theme] of Object.entries({ theming: `${url}theming/` })) {
    await page.goto(theme, { waitUntil: 'networkidle0' }).catch(() => undefined);
    if (page.url().startsWith(theme)) await shot(name);
  }
} finally {
  await browser.close();
  server.close();
}
