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
  await page.goto(`${url}demo/`, { waitUntil: 'networkidle0' });
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

  // A phone: one pane at a time, with Back.
  await page.setViewport({ width: 390, height: 844, deviceScaleFactor: 1 });
  await page.reload({ waitUntil: 'networkidle0' });
  await shot('mobile-inbox');
  await openFirst();
  await shot('mobile-conversation');
  await page.setViewport({ width: 1400, height: 860, deviceScaleFactor: 1 });

  for (const [name, theme] of Object.entries({ theming: `${url}theming/` })) {
    await page.goto(theme, { waitUntil: 'networkidle0' }).catch(() => undefined);
    if (page.url().startsWith(theme)) await shot(name);
  }
} finally {
  await browser.close();
  server.close();
}
