/** The event stream's policy for slow readers, on a response whose socket never drains. */
import { EventEmitter } from 'node:events';
import { createServer, get, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/server/db.js';
import type { LoggedEvent } from '../../src/server/event-log.js';
import { batchesByUser, eventBatch, type EventBatch, type EventHub } from '../../src/server/hub.js';
import { Streams } from '../../src/server/streams.js';

class StuckResponse extends EventEmitter {
  writableLength = 0;
  destroyed = false;
  writableEnded = false;
  written: string[] = [];
  socket = null;
  writeHead() {
    return this;
  }
  flushHeaders() {}
  write(chunk: string | Buffer) {
    this.written.push(String(chunk));
    this.writableLength += chunk.length; // nothing ever drains
    return false;
  }
  destroy() {
    this.destroyed = true;
    this.emit('close');
    return this;
  }
  end() {
    this.writableEnded = true;
    this.emit('close');
    return this;
  }
}

function fakeHub() {
  const sinks = new Set<(batch: EventBatch) => void>();
  return {
    cursor: 10,
    subscribe: (_user: string, sink: (batch: EventBatch) => void) => {
      sinks.add(sink);
      return () => sinks.delete(sink);
    },
    emit: (...events: LoggedEvent[]) => sinks.forEach((sink) => sink(eventBatch(events))),
  };
}

describe('slow readers', () => {
  it('cuts a stream whose unsent bytes pass the limit, so the reader resumes from its last id', async () => {
    const hub = fakeHub();
    const streams = new Streams({} as Db, hub as unknown as EventHub, {
      perUser: 8,
      heartbeatMs: 60_000,
      reconnectMs: 1000,
      maxBufferedBytes: 4096,
      maxReplay: 100,
    });
    const res = new StuckResponse();
    await streams.open('ada', res as unknown as ServerResponse, {}, undefined, undefined);
    expect(res.written.join('')).toContain('id: 10\n\n');
    const data = JSON.stringify({ type: 'contact.saved', text: 'x'.repeat(1000) });
    for (let id = 11; id < 20 && !res.destroyed; id++) {
      hub.emit({ id, type: 'contact.saved', audience: null, data });
    }
    expect(res.destroyed).toBe(true);
    expect(res.writableLength).toBeGreaterThan(4096);
    expect(res.writableLength).toBeLessThan(4096 + 1200); // cut at the first write past the limit
    expect(streams.stats()).toMatchObject({ slowReaders: 1, openStreams: {} });
  });
});

describe('fan-out', () => {
  const event = (id: number, audience: string[] | null): LoggedEvent => ({
    id,
    type: 'message.created',
    audience,
    data: JSON.stringify({ type: 'message.created', n: id }),
  });

  it('gives each user only the events for them, in id order, encoded as one frame list', () => {
    const batches = batchesByUser(
      [event(1, null), event(2, ['sam']), event(3, ['ada', 'bo']), event(4, null)],
      ['ada', 'sam'],
    );
    expect([...batches.keys()].sort()).toEqual(['ada', 'sam']);
    expect(batches.get('ada')!.events.map((e) => e.id)).toEqual([1, 3, 4]);
    expect(batches.get('sam')!.events.map((e) => e.id)).toEqual([1, 2, 4]);
    expect(batches.get('ada')!.frames().toString()).toBe(
      [1, 3, 4]
        .map((id) => `id: ${id}\nevent: message.created\ndata: ${event(id, null).data}\n\n`)
        .join(''),
    );
  });

  it('encodes a read once for every user who gets all of it (the same bytes for every stream)', () => {
    const batches = batchesByUser([event(5, null), event(6, ['ada', 'sam'])], ['ada', 'sam', 'bo']);
    expect(batches.get('ada')).toBe(batches.get('sam'));
    expect(batches.get('ada')!.frames()).toBe(batches.get('sam')!.frames());
    expect(batches.get('bo')!.events.map((e) => e.id)).toEqual([5]);
  });

  it('never writes an event twice to a stream (a repeat, or a batch overlapping what it had)', async () => {
    const hub = fakeHub();
    const streams = new Streams({} as Db, hub as unknown as EventHub, {
      perUser: 8,
      heartbeatMs: 60_000,
      reconnectMs: 1000,
      maxBufferedBytes: 1 << 20,
      maxReplay: 100,
    });
    const res = new StuckResponse();
    await streams.open('ada', res as unknown as ServerResponse, {}, undefined, undefined);
    hub.emit(event(11, null));
    hub.emit(event(11, null));
    hub.emit(event(11, null), event(12, null));
    const ids = [...res.written.join('').matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(ids).toEqual([10, 11, 12]);
  });
});

describe('on a real socket', () => {
  const options = {
    perUser: 8,
    heartbeatMs: 60_000,
    reconnectMs: 1000,
    maxBufferedBytes: 64 * 1024,
    maxReplay: 100,
  };
  /** A server whose every request opens a stream for ada; `res` of the last one. */
  async function serve(streams: Streams) {
    const server = createServer(
      (_req, res) => void streams.open('ada', res, {}, undefined, undefined),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { server, port: (server.address() as AddressInfo).port };
  }

  it('writes shared chunks straight to the socket that an HTTP client decodes frame for frame', async () => {
    const hub = fakeHub();
    const streams = new Streams({} as Db, hub as unknown as EventHub, options);
    const { server, port } = await serve(streams);
    const body = await new Promise<string>((resolve, reject) => {
      get({ port, host: '127.0.0.1', path: '/' }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
          if (text.includes('id: 10\n\n') && !text.includes('id: 11')) {
            hub.emit(...[11, 12].map((id) => eventOf(id, 'é'.repeat(id))));
            hub.emit(eventOf(13, 'x'));
          }
          if (text.includes('id: 13\n')) {
            resolve(text);
            res.destroy();
          }
        });
      }).on('error', reject);
    });
    server.close();
    expect(body).toBe(
      `retry: 1000\n\nid: 10\n\n` +
        [eventOf(11, 'é'.repeat(11)), eventOf(12, 'é'.repeat(12)), eventOf(13, 'x')]
          .map((e) => `id: ${e.id}\nevent: contact.saved\ndata: ${e.data}\n\n`)
          .join(''),
    );
  });

  it('cuts a real reader that stops reading once its unsent bytes pass the limit', async () => {
    const hub = fakeHub();
    const streams = new Streams({} as Db, hub as unknown as EventHub, options);
    const { server, port } = await serve(streams);
    const req = get({ port, host: '127.0.0.1', path: '/' }, (res) => res.pause()); // never reads
    req.on('error', () => undefined);
    while (streams.stats().connections === 0) await new Promise((r) => setTimeout(r, 10));
    const big = 'y'.repeat(64 * 1024);
    // The kernel's buffers fill first, then the socket's own: cut past 64 KiB of those.
    for (let id = 11; id < 2000 && streams.stats().slowReaders === 0; id++) {
      hub.emit(eventOf(id, big));
    }
    expect(streams.stats()).toMatchObject({ slowReaders: 1, openStreams: {} });
    req.destroy();
    server.close();
  });
});

function eventOf(id: number, text: string): LoggedEvent {
  return { id, type: 'contact.saved', audience: null, data: JSON.stringify({ text }) };
}
