/** The event stream's policy for slow readers, on a response whose socket never drains. */
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
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
  writeHead() {
    return this;
  }
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
