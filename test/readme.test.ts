import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';

describe('README', () => {
  it('the quick start in the README is examples/quick-start.ts, and it runs as written', async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const example = readFileSync(new URL('../examples/quick-start.ts', import.meta.url), 'utf8');
    expect(readme).toContain(example.trim());
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const { message } = await import('../examples/quick-start.js');
    const lines = log.mock.calls.map((c) => String(c[0]));
    log.mockRestore();
    expect(message.status).toBe('queued');
    expect(lines).toEqual([
      expect.stringMatching(/^notification: incoming in /),
      '1 unread; first: Dana Díaz: Hi!',
      'send guard: allowed',
      'sent, status queued',
      'refused: invalid_input',
    ]);
  });
});

describe('README truth', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const exists = (path: string) => existsSync(new URL(`../${path}`, import.meta.url));

  it('cites no file that is not in the repository (links and file names in code spans)', () => {
    const links = [...readme.matchAll(/\]\(([^)#\s]+)\)/g)]
      .map((m) => m[1]!)
      .filter((target) => !/^[a-z]+:/.test(target));
    const spans = [...readme.matchAll(/`([^`\s]+)`/g)]
      .map((m) => m[1]!)
      .filter(
        (span) =>
          /^(src|components|examples|docs|test|scripts|bench|react)\/[\w./-]*$/.test(span) ||
          /^[\w-]+\.(md|json|yaml|ts|js)$/.test(span),
      );
    expect(links.length).toBeGreaterThan(3);
    expect(spans.length).toBeGreaterThan(3);
    expect([...links, ...spans].filter((path) => !exists(path))).toEqual([]);
  });

  it('the examples table lists every page npm start serves, and the team server', () => {
    const start = readFileSync(new URL('../scripts/start.js', import.meta.url), 'utf8');
    const served = [...start.matchAll(/\$\{url\}([\w-]+\/)/g)].map((m) => `/${m[1]}`);
    const table = readme.slice(readme.indexOf('## Examples'), readme.indexOf('## Concepts'));
    expect(served.length).toBeGreaterThan(3);
    for (const page of served) expect(table).toContain(`\`${page}\``);
    const team = readFileSync(new URL('../scripts/team-server.js', import.meta.url), 'utf8');
    expect(start).toContain("from './team-server.js'");
    expect(team).toContain('examples/server/team-server.ts');
    expect(table).toMatch(/\| team server /);
  });
});
