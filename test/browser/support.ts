/** Helpers for the browser tests against the reference server (started by the wtr config). */
import type { ServerStats } from '../../examples/server/server.js';

let cached: Promise<string> | undefined;

/** The reference server's URL, from web-test-runner.http.config.js. */
export function serverUrl(): Promise<string> {
  cached ??= fetch('/__reference-server')
    .then((r) => r.json())
    .then((body: { url: string }) => body.url);
  return cached;
}

async function post(path: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${await serverUrl()}${path}`, {
    method: 'POST',
    // The simulation is for signed-in users, like every route (the token is the user id).
    headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ada' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
  return response.json();
}

/** A customer writes in (RT1–RT5), through the simulated carrier's signed webhook. */
export function simulateIncoming(senderId: string, from: string, text: string) {
  return post('/simulate/incoming', { senderId, from, text }) as Promise<{
    conversation: { id: string };
  }>;
}

/** Cuts every event stream; new ones are refused (503, Retry-After) for `holdMs`. */
export function dropStreams(holdMs = 0): Promise<unknown> {
  return post('/simulate/drop-streams', { holdMs });
}

export async function stats(): Promise<ServerStats> {
  const headers = { Authorization: 'Bearer ada' };
  return (await fetch(`${await serverUrl()}/simulate/stats`, { headers })).json();
}

export async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 8000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A US number no other test of this run uses (the server is shared by the whole run). */
export function freshNumber(): string {
  const n = 1000 + Math.floor(Math.random() * 8999);
  return `+1415555${n}`;
}

/** A name no other test of this run uses. */
export const unique = (what: string) =>
  `${what}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
