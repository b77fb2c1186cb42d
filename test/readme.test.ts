import { readFileSync } from 'node:fs';
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
