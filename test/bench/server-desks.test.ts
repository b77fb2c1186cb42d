// The server bench's light desks (bench/server-desks.ts) are its proof of 0 missed, 0 duplicated
// events per desk: they must count and check every frame however the stream is cut into reads.
import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { countingDesk, sentAt, timedDesk } from '../../bench/server-desks.js';

const frame = (id: number, type: string, text: string) =>
  `id: ${id}\nevent: ${type}\ndata: {"type":"${type}","message":{"id":"x","text":"${text}"}}\n\n`;
const chunk = (s: string) => `${Buffer.byteLength(s).toString(16)}\r\n${s}\r\n`;
// Ids 1…6: id 3 comes twice (the second a different webhook), webhook b9-1 twice, id 5 bare.
const frames = [
  frame(1, 'message.created', 'b9-0'),
  frame(2, 'conversation.updated', 'none'),
  frame(3, 'message.created', 'b9-1'),
  frame(3, 'message.created', 'b9-2'),
  frame(4, 'message.created', 'b9-1'),
  'id: 5\n\n',
  frame(6, 'message.created', 'b9-3'),
];
const stream =
  'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n' +
  chunk('retry: 1000\n\n') +
  frames.map(chunk).join('');

/** Serves `stream` in pieces of `step` bytes, each its own read at the desk. */
async function serve(step: number) {
  const server = createServer((socket) => {
    socket.setNoDelay(true);
    // A desk closed at the test's end: the pieces still due are not written (no EPIPE).
    socket.on('error', () => undefined);
    let at = 0;
    const send = () => {
      if (at >= stream.length || socket.destroyed || !socket.writable) return;
      socket.write(stream.slice(at, (at += step)));
      setTimeout(send, 1);
    };
    send();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('the server bench desks', () => {
  it.each([1, 3, 7, 50, 100_000])(
    'count every message.created and catch a repeated id or webhook in reads of %i bytes',
    async (step) => {
      sentAt[9] = new Float64Array(4);
      const { server, url } = await serve(step);
      const latencies: number[] = [];
      const counting = await countingDesk(url, 'token');
      const timed = await timedDesk(url, 'token', () => latencies);
      try {
        await vi.waitFor(() => expect(timed.created).toBe(5), { timeout: 60_000 });
        await vi.waitFor(() => expect(counting.created).toBe(5), { timeout: 60_000 });
        expect(counting.duplicates).toBe(1); // id 3 again
        expect(timed.duplicates).toBe(2); // id 3 again, and webhook b9-1 again
        expect(latencies).toHaveLength(5);
      } finally {
        counting.close();
        timed.close();
        server.close();
      }
    },
    90_000,
  );
});
