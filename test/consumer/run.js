/**
 * The package as a consumer gets it (`npm run test:consumer`, run by `.ci/run` after the build):
 * `npm pack`, install the tarball into a scratch app outside the repository, bundle the app with
 * esbuild and with Vite, load it in headless Chromium, and check that the elements register, that
 * the README's quick starts run as written, and that the public types compile for `bundler` and
 * `node16` module resolution; then its Node entries (./node-entries.js): the engine, the
 * conformance suite, the server and its bin. `--keep` leaves the scratch app in place to look at;
 * `--node` runs the Node entries only.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';
import puppeteer from 'puppeteer-core';
import { build as viteBuild } from 'vite';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium.js';
import { startStaticServer } from '../../scripts/serve.js';
import { componentsQuickStart, expectedSdkLines, RENDERS, sdkQuickStart } from './expectations.js';
import { checkNodeEntries } from './node-entries.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const app = mkdtempSync(join(tmpdir(), 'converse-desk-consumer-'));
const failures = [];
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
};
const write = (path, text) => {
  mkdirSync(join(app, path, '..'), { recursive: true });
  writeFileSync(join(app, path), text);
};

if (!existsSync(join(repo, 'dist/components.js'))) {
  console.error('No dist/: run `npm run build` first.');
  process.exit(1);
}

// 1. Pack and install, as a host app would.
console.log(`--- npm pack, install into ${app}`);
const packed = JSON.parse(
  execFileSync('npm', ['pack', '--json', '--pack-destination', app], {
    cwd: repo,
    encoding: 'utf8',
  }),
);
write('package.json', JSON.stringify({ name: 'scratch-app', private: true, type: 'module' }));
// React for converse-desk/react, at the versions the repository uses.
const react = ['react', 'react-dom', '@types/react'].map((name) => {
  const { version } = JSON.parse(
    readFileSync(join(repo, `node_modules/${name}/package.json`), 'utf8'),
  );
  return `${name}@${version}`;
});
execFileSync(
  'npm',
  ['install', '--no-audit', '--no-fund', '--prefer-offline', `./${packed[0].filename}`, ...react],
  { cwd: app, stdio: ['ignore', 'ignore', 'inherit'] },
);
const installed = join(app, 'node_modules/converse-desk');
const testFiles = packed[0].files
  .map((f) => f.path)
  .filter((f) => /(^|\/)test[-/]|\.test\./.test(f));
check(
  testFiles.length === 0,
  `no test helper in the tarball${testFiles.length ? `: ${testFiles.join(', ')}` : ''}`,
);
const manifest = JSON.parse(readFileSync(join(installed, 'custom-elements.json'), 'utf8'));
const allTags = manifest.modules
  .flatMap((m) => m.declarations ?? [])
  .flatMap((d) => d.tagName ?? []);
const elementPaths = Object.keys(RENDERS);
check(allTags.length >= 7, `custom-elements.json lists the elements (${allTags.join(', ')})`);
for (const path of elementPaths) {
  check(
    existsSync(join(installed, `dist/components/${path}.js`)),
    `converse-desk/components/${path} is in the tarball`,
  );
}

if (process.argv.includes('--node')) {
  await checkNodeEntries({ app, repo, check, write });
  finish();
}

// 2. The scratch app's pages: one per check.
const page = (name, script) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>${name}</title></head>` +
  `<body>${script}</body></html>\n`;
const pages = {
  all: "import 'converse-desk/components';\n",
  sdk: sdkQuickStart(repo),
  react: readFileSync(join(repo, 'test/consumer/react-page.ts'), 'utf8'),
};
for (const path of elementPaths)
  pages[`el-${path}`] = `import 'converse-desk/components/${path}';\n`;
for (const [name, code] of Object.entries(pages)) {
  write(`src/${name}.ts`, code);
  write(`src/${name}.html`, page(name, `<script type="module" src="./${name}.ts"></script>`));
}
const quick = componentsQuickStart(repo);
write('src/components.html', page('components', quick.html)); // Vite takes the inline script as is
write('src/components-script.ts', quick.script);

const bundlers = {
  async esbuild(out) {
    const entries = [...Object.keys(pages), 'components-script'];
    await esbuild({
      absWorkingDir: app,
      entryPoints: entries.map((name) => `src/${name}.ts`),
      bundle: true,
      splitting: true,
      format: 'esm',
      target: 'es2022',
      outdir: out,
      logLevel: 'warning',
    });
    for (const name of Object.keys(pages)) {
      writeFileSync(
        join(out, `${name}.html`),
        page(name, `<script type="module" src="./${name}.js"></script>`),
      );
    }
    const withoutScript = quick.html.replace(/<script type="module">[\s\S]*<\/script>/, '');
    writeFileSync(
      join(out, 'components.html'),
      page(
        'components',
        `${withoutScript}<script type="module" src="./components-script.js"></script>`,
      ),
    );
  },
  async vite(out) {
    const input = Object.fromEntries(
      [...Object.keys(pages), 'components'].map((name) => [name, join(app, `src/${name}.html`)]),
    );
    await viteBuild({
      configFile: false,
      root: join(app, 'src'),
      logLevel: 'warn',
      build: { outDir: out, emptyOutDir: true, target: 'es2022', rollupOptions: { input } },
    });
  },
};

// 3. Load each page in Chromium.
const browser = await puppeteer.launch({
  executablePath: CHROMIUM_PATH,
  args: CHROMIUM_ARGS,
  headless: true,
});
try {
  for (const [bundler, bundle] of Object.entries(bundlers)) {
    console.log(`--- ${bundler}`);
    const out = join(app, `out-${bundler}`);
    await bundle(out);
    const { server, url } = await startStaticServer({ root: out, port: 0 });
    try {
      await checkPages(bundler, url);
    } finally {
      server.close();
    }
  }
} finally {
  await browser.close();
}

async function open(url) {
  const context = await browser.createBrowserContext();
  const tab = await context.newPage();
  const errors = [];
  const lines = [];
  tab.on('pageerror', (error) => errors.push(String(error)));
  tab.on('console', (m) => (m.type() === 'error' ? errors.push(m.text()) : lines.push(m.text())));
  await tab.goto(url, { waitUntil: 'load' });
  return { tab, errors, lines, close: () => context.close() };
}

function definedTags(tab, tags) {
  return tab.evaluate((list) => list.filter((t) => customElements.get(t) !== undefined), tags);
}

async function checkPages(bundler, base) {
  {
    const { tab, errors, close } = await open(`${base}all.html`);
    const defined = await definedTags(tab, allTags);
    const missing = allTags.filter((t) => !defined.includes(t));
    check(
      missing.length === 0 && errors.length === 0,
      `${bundler}: import 'converse-desk/components' defines every cd-* element${missing.length ? `; missing ${missing.join(', ')}` : ''}${errors.length ? `; errors ${errors.join(' | ')}` : ''}`,
    );
    await close();
  }
  for (const [path, tags] of Object.entries(RENDERS)) {
    const { tab, errors, close } = await open(`${base}el-${path}.html`);
    const defined = await definedTags(tab, allTags);
    const missing = tags.filter((t) => !defined.includes(t));
    check(
      missing.length === 0 && errors.length === 0,
      `${bundler}: converse-desk/components/${path} defines ${tags.join(', ')}${missing.length ? `; missing ${missing.join(', ')}` : ''}${errors.length ? `; errors ${errors.join(' | ')}` : ''}`,
    );
    await close();
  }
  {
    const { errors, lines, close } = await open(`${base}sdk.html`);
    const expected = expectedSdkLines();
    for (let waited = 0; lines.length < expected.length && waited < 20_000; waited += 100) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const ok = expected.length === lines.length && expected.every((e, i) => e.test(lines[i]));
    check(
      ok && errors.length === 0,
      `${bundler}: the README's SDK quick start runs as written${ok ? '' : `; it printed ${JSON.stringify(lines)}`}${errors.length ? `; errors ${errors.join(' | ')}` : ''}`,
    );
    await close();
  }
  {
    const { errors, lines, close } = await open(`${base}react.html`);
    for (let waited = 0; !lines.includes('notification 1') && waited < 20_000; waited += 100) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const ok = lines.includes('client set') && lines.includes('notification 1');
    check(
      ok && errors.length === 0,
      `${bundler}: converse-desk/react renders the desk with its client and calls onCdNotification${ok ? '' : `; it printed ${JSON.stringify(lines)}`}${errors.length ? `; errors ${errors.join(' | ')}` : ''}`,
    );
    await close();
  }
  {
    const { tab, errors, close } = await open(`${base}components.html`);
    const shown = await tab
      .waitForFunction(
        () => {
          const inbox = document.querySelector('cd-desk')?.shadowRoot?.querySelector('cd-inbox');
          return inbox?.shadowRoot !== null && inbox?.shadowRoot !== undefined;
        },
        { timeout: 20_000 },
      )
      .then(
        () => true,
        () => false,
      );
    check(
      shown && errors.length === 0,
      `${bundler}: the README's components quick start shows the desk with its inbox${errors.length ? `; errors ${errors.join(' | ')}` : ''}`,
    );
    await close();
  }
}

// 4. The public types, as a TypeScript host compiles them.
console.log('--- TypeScript');
write('types/consumer.ts', readFileSync(join(repo, 'test/consumer/consumer-types.ts'), 'utf8'));
write(
  'types/wrong.ts',
  "import type { DeskErrorCode } from 'converse-desk';\nexport const code: DeskErrorCode = 'no_such_code';\n",
);
const tsc = join(repo, 'node_modules/typescript/bin/tsc');
for (const resolution of ['bundler', 'node16']) {
  const options = {
    target: 'ES2022',
    module: resolution === 'bundler' ? 'ESNext' : 'Node16',
    moduleResolution: resolution,
    lib: ['ES2023', 'DOM', 'DOM.Iterable'],
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    types: [],
    jsx: 'react-jsx',
  };
  const compile = (file) => {
    write(
      `tsconfig.${resolution}.json`,
      JSON.stringify({ compilerOptions: options, files: [file] }),
    );
    try {
      execFileSync(process.execPath, [tsc, '-p', `tsconfig.${resolution}.json`], {
        cwd: app,
        encoding: 'utf8',
      });
      return '';
    } catch (error) {
      return String(error.stdout) || 'failed';
    }
  };
  const good = compile('types/consumer.ts');
  check(
    good === '',
    `TypeScript (${resolution}) compiles a host file using the public types${good ? `:\n${good}` : ''}`,
  );
  // The types are real, not `any`: a wrong error code does not compile.
  const wrong = compile('types/wrong.ts');
  check(/TS2322/.test(wrong), `TypeScript (${resolution}) refuses a wrong DeskErrorCode`);
}

// 5. The Node entries: engine, conformance, server and its bin.
await checkNodeEntries({ app, repo, check, write });
finish();

function finish() {
  if (process.argv.includes('--keep')) console.log(`scratch app kept in ${app}`);
  else rmSync(app, { recursive: true, force: true });
  if (failures.length > 0) console.error(`\nConsumer test: ${failures.length} failed.`);
  else console.log('\nConsumer test passed.');
  process.exit(failures.length > 0 ? 1 : 0);
}
