/** `npm start`: builds the examples, then serves them on localhost and prints the URL. */
import { execFileSync } from 'node:child_process';
import { startStaticServer } from './serve.js';

execFileSync('npx', ['rollup', '-c', 'rollup.examples.config.js'], { stdio: 'inherit' });
const port = Number(process.env.PORT ?? 8000);
const { url } = await startStaticServer({ root: 'examples', port });
console.log(`\nConverse Desk demo: ${url}demo/\n(Ctrl+C to stop)`);
