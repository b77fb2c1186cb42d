/** Before the browser tests: one line saying how to install Chromium, instead of a stack trace. */
import { existsSync } from 'node:fs';
import { CHROMIUM_PATH } from './chromium.js';

if (!existsSync(CHROMIUM_PATH)) {
  console.error(
    `Chromium not found at ${CHROMIUM_PATH}: install it (Debian: sudo apt-get install -y chromium) or set CHROMIUM=/path/to/chromium.`,
  );
  process.exit(1);
}
