import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    // The examples import the package by name, as a user would.
    alias: [
      { find: /^converse-desk\/embedded$/, replacement: here('./src/embedded/index.ts') },
      { find: /^converse-desk\/engine$/, replacement: here('./src/engine/index.ts') },
      { find: /^converse-desk\/conformance$/, replacement: here('./src/conformance/index.ts') },
      { find: /^converse-desk\/http$/, replacement: here('./src/http/index.ts') },
      { find: /^converse-desk$/, replacement: here('./src/index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Chromium tests (@web/test-runner) live in test/browser.
    exclude: ['test/browser/**', '**/node_modules/**'],
    environment: 'node',
  },
});
