/** The event stream's policy for slow readers, on a response whose socket never drains. */
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/server/db.js';
import type { LoggedEvent } from '../../src/server/event-log.js';
import type { EventHub } from '../../src/server/hub.js';
import { Streams } from '../../src/server/streams.js';

class StuckResponse extends EventEmitter {
  writableLength = 0;
  destroyed = false;
  writableEnded = false;
  written: string[] = [];
  writeHead() {
    return this;
  }
  write(chunk: string) {
    this.written.push(chunk);
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
  const sinks = new Set<(events: LoggedEvent[]) => void>();
  return {
    cursor: 10,
    subscribe: (_user: string, sink: (events: LoggedEvent[]) => void) => {
      sinks.add(sink);
      return () => sinks.delete(sink);
    },
    emit: (event: LoggedEvent) => sinks.forEach((sink) => sink([event])),
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
