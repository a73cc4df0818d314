// Connection over an in-memory stream with fake timers and an injected clock:
// write batching, stream backpressure, keepalive and clock jumps (P16, P17).
import { Duplex } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { encodePacket } from '../../src/codec/index.js';
import type { Packet } from '../../src/codec/types.js';
import { Connection, type ConnectionEvents } from '../../src/client/connection.js';

class FakeStream extends Duplex {
  writes: Buffer[] = [];
  accept = true;
  _read(): void {}
  _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    this.writes.push(chunk);
    if (this.accept) cb();
    else this.pendingCb = cb;
  }
  pendingCb: ((e?: Error | null) => void) | undefined;
}

let now = 0;
let stream: FakeStream;
let errors: { code: string }[];
let packets: Packet[];

function open(more: { paceReads?: boolean; direct?: boolean } = {}): Connection {
  stream = new FakeStream({ highWaterMark: 1024 });
  errors = [];
  packets = [];
  const events: ConnectionEvents = {
    packet: (p) => packets.push(p),
    chunkDone: () => {},
    error: (e) => errors.push(e),
    close: (e) => errors.push(e),
    drain: () => {},
  };
  return new Connection(stream, { version: 5, now: () => now, ...more }, events);
}

const pingreqs = () => stream.writes.filter((b) => b[0] === 0xc0).length;

beforeEach(() => {
  vi.useFakeTimers();
  now = 0;
});
afterEach(() => {
  vi.useRealTimers();
});

describe('connection', () => {
  it('batches writes of one tick into a single stream write', async () => {
    const c = open();
    for (let i = 0; i < 100; i++) c.write(encodePacket({ type: 'publish', topic: 't', payload: Buffer.from('x'), qos: 0, retain: false, dup: false }, 5));
    expect(stream.writes.length).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(stream.writes.length).toBe(1);
    expect(stream.writes[0]!.length).toBe(100 * encodePacket({ type: 'publish', topic: 't', payload: Buffer.from('x'), qos: 0, retain: false, dup: false }, 5).length);
  });

  it('flushes at once past 64 KiB and reports backpressure until drain', async () => {
    const c = open();
    stream.accept = false;
    c.write(Buffer.alloc(70 * 1024));
    expect(stream.writes.length).toBe(1);
    expect(c.backedUp).toBe(true);
    stream.pendingCb!();
    await vi.advanceTimersByTimeAsync(1);
    expect(c.backedUp).toBe(false);
  });

  it('P16: pings after the keepalive with nothing sent; inbound packets do not postpone it', async () => {
    const c = open();
    c.startKeepalive(5);
    now = 4000;
    stream.push(encodePacket({ type: 'publish', topic: 't', payload: Buffer.from('x'), qos: 0, retain: false, dup: false }, 5));
    await vi.advanceTimersByTimeAsync(4000);
    expect(packets.length).toBe(1);
    expect(pingreqs()).toBe(0);
    now = 5000;
    await vi.advanceTimersByTimeAsync(1001);
    expect(pingreqs()).toBe(1);
  });

  it('P16: no PINGRESP within half the keepalive → KEEPALIVE_TIMEOUT', async () => {
    const c = open();
    c.startKeepalive(5);
    now = 5000;
    await vi.advanceTimersByTimeAsync(5001);
    expect(pingreqs()).toBe(1);
    now = 7499;
    await vi.advanceTimersByTimeAsync(2499);
    expect(errors).toEqual([]);
    now = 7500;
    await vi.advanceTimersByTimeAsync(10);
    expect(errors).toMatchObject([{ code: 'KEEPALIVE_TIMEOUT' }]);
  });

  it('does not time out while input is paused (the application is behind, the PINGRESP is unread)', async () => {
    const c = open();
    c.startKeepalive(5);
    c.pauseInput(true);
    now = 5000;
    await vi.advanceTimersByTimeAsync(5001);
    now = 60_000;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(errors).toEqual([]);
    c.pauseInput(false);
    await vi.advanceTimersByTimeAsync(1001);
    expect(errors).toMatchObject([{ code: 'KEEPALIVE_TIMEOUT' }]);
  });

  it('P17: after a monotonic clock jump (suspend/resume) it pings at once', async () => {
    const c = open();
    c.startKeepalive(60);
    now = 3_600_000; // an hour asleep; the timer fires late
    await vi.advanceTimersByTimeAsync(60_001);
    expect(pingreqs()).toBe(1);
    stream.push(encodePacket({ type: 'pingresp' }, 5));
    await vi.advanceTimersByTimeAsync(1);
    now += 59_000;
    await vi.advanceTimersByTimeAsync(59_000);
    expect(errors).toEqual([]);
    expect(pingreqs()).toBe(1);
  });

  it('P17: a jump while a PINGREQ is outstanding ends the link as dead', async () => {
    const c = open();
    c.startKeepalive(60);
    now = 60_000;
    await vi.advanceTimersByTimeAsync(60_001);
    now = 3_600_000;
    await vi.advanceTimersByTimeAsync(30_001);
    expect(errors).toMatchObject([{ code: 'KEEPALIVE_TIMEOUT' }]);
  });

  describe('paced reads', () => {
    const frame = encodePacket({ type: 'publish', topic: 't', payload: Buffer.from('x'), qos: 0, retain: false, dup: false }, 5);

    it('a second chunk within one millisecond stops reading until the next; nothing is lost', async () => {
      const c = open({ paceReads: true });
      stream.emit('data', frame);
      expect(stream.isPaused()).toBe(false);
      stream.emit('data', Buffer.concat([frame, frame]));
      expect(stream.isPaused()).toBe(true);
      expect(packets.length).toBe(3);
      await vi.advanceTimersByTimeAsync(1);
      expect(stream.isPaused()).toBe(false);
      // The next millisecond's first chunk reads on.
      stream.emit('data', frame);
      expect(stream.isPaused()).toBe(false);
      c.destroy();
    });

    it('a slow stream is never paused', async () => {
      const c = open({ paceReads: true });
      for (let i = 0; i < 5; i++) {
        stream.emit('data', frame);
        expect(stream.isPaused()).toBe(false);
        await vi.advanceTimersByTimeAsync(2);
      }
      expect(packets.length).toBe(5);
      c.destroy();
    });

    it('the pacing timer does not undo a pause for backpressure, nor the other way round', async () => {
      const c = open({ paceReads: true });
      stream.emit('data', frame);
      stream.emit('data', frame);
      c.pauseInput(true);
      await vi.advanceTimersByTimeAsync(1);
      expect(stream.isPaused()).toBe(true); // still behind: stays paused
      c.pauseInput(false);
      expect(stream.isPaused()).toBe(false);
      stream.emit('data', frame);
      stream.emit('data', frame); // paced again
      c.pauseInput(true);
      c.pauseInput(false); // caught up, but this millisecond is not over
      expect(stream.isPaused()).toBe(true);
      await vi.advanceTimersByTimeAsync(1);
      expect(stream.isPaused()).toBe(false);
      c.destroy();
    });

    it('never holds back a bulk stream (chunks of 16 KiB or more)', () => {
      const c = open({ paceReads: true });
      const big = encodePacket({ type: 'publish', topic: 't', payload: Buffer.alloc(20_000), qos: 0, retain: false, dup: false }, 5);
      for (let i = 0; i < 3; i++) stream.emit('data', big);
      expect(stream.isPaused()).toBe(false);
      expect(packets.length).toBe(3);
      c.destroy();
    });

    it('is off unless asked for', () => {
      const c = open();
      stream.emit('data', frame);
      stream.emit('data', frame);
      expect(stream.isPaused()).toBe(false);
      c.destroy();
    });
  });

  describe('end()', () => {
    // A stream whose end never completes: 'finish' needs the final callback, which we hold.
    function holdFinal(): void {
      stream._final = () => {};
    }
    const settled = async (p: Promise<void>): Promise<boolean> => {
      let done = false;
      void p.then(() => (done = true));
      await vi.advanceTimersByTimeAsync(0);
      return done;
    };

    it('on a kernel socket (direct) resolves once every byte is handed over, without waiting for the shutdown', async () => {
      const c = open({ direct: true });
      holdFinal();
      c.write(encodePacket({ type: 'disconnect', reasonCode: 0 }, 5));
      expect(await settled(c.end())).toBe(true);
      expect(stream.writes.map((b) => b[0])).toEqual([0xe0]);
    });

    it('on a kernel socket still holding bytes, waits for them (the stream callback)', async () => {
      const c = open({ direct: true });
      holdFinal();
      stream.accept = false;
      c.write(encodePacket({ type: 'disconnect', reasonCode: 0 }, 5));
      const ended = c.end();
      expect(await settled(ended)).toBe(false);
      stream.pendingCb?.();
      await vi.advanceTimersByTimeAsync(0);
      expect(await settled(ended)).toBe(false); // written, but the end itself is still pending
      await vi.advanceTimersByTimeAsync(2000); // the grace period destroys the stream: 'close'
      expect(await settled(ended)).toBe(true);
    });

    it('on any other stream (TLS, WebSocket), waits for the end to complete', async () => {
      const c = open();
      holdFinal();
      c.write(encodePacket({ type: 'disconnect', reasonCode: 0 }, 5));
      expect(await settled(c.end())).toBe(false);
    });
  });
});
