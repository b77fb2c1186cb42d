/** What the consumer test expects of the installed package, and the README code it runs. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Each per-element path, and every element it must define: itself and what it renders. */
export const RENDERS = {
  desk: [
    'cd-desk',
    'cd-inbox',
    'cd-conversation',
    'cd-compose',
    'cd-assign-dialog',
    'cd-new-conversation',
  ],
  inbox: ['cd-inbox'],
  conversation: ['cd-conversation', 'cd-compose'],
  compose: ['cd-compose'],
  'assign-dialog': ['cd-assign-dialog'],
  'new-conversation': ['cd-new-conversation', 'cd-compose'],
  provider: ['cd-desk-provider'],
};

/** The console lines of the README's SDK quick start (also checked in Node by test/readme.test.ts). */
export const expectedSdkLines = () => [
  /^notification: incoming in /,
  /^1 unread; first: Dana Díaz: Hi!$/,
  /^send guard: allowed$/,
  /^sent, status queued$/,
  /^refused: invalid_input$/,
];

/** The first `fence` code block of the README's section under `heading`, as written. */
export const readmeBlock = (repo, heading, fence) => {
  const readme = readFileSync(join(repo, 'README.md'), 'utf8');
  const start = readme.indexOf(heading);
  if (start < 0) throw new Error(`README has no "${heading}"`);
  const open = readme.indexOf(`\`\`\`${fence}\n`, start);
  const next = readme.indexOf('\n## ', start + heading.length);
  if (open < 0 || (next >= 0 && open > next))
    throw new Error(`README's "${heading}" has no ${fence} block`);
  const close = readme.indexOf('\n```', open + 4);
  return readme.slice(open + fence.length + 4, close + 1);
};
const section = readmeBlock;

/** The README's SDK quick start, as written. */
export const sdkQuickStart = (repo) =>
  section(repo, '## Quick start (SDK on the embedded backend)', 'ts');

/** The README's components quick start: the HTML as written, and its module script alone. */
export function componentsQuickStart(repo) {
  const html = section(repo, '## Quick start (components)', 'html');
  const script = /<script type="module">([\s\S]*)<\/script>/.exec(html)?.[1];
  if (script === undefined) throw new Error('The components quick start has no module script');
  return { html, script };
}
