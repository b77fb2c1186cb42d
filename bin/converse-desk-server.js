#!/usr/bin/env node
// `npx converse-desk-server`: the built server (dist/server.js), configured from the environment.
import { main } from '../dist/server.js';

await main();
