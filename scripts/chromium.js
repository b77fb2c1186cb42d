/**
 * Debian's Chromium, headless, as root, on a machine with no outside network (TOOLCHAIN.md):
 * shared by the test runners, the browser benchmark and the screenshot script.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
