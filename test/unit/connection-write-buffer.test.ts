// The connection's write buffer: packets are encoded into it in place, and bytes
// handed to the stream are never overwritten while the stream may still hold them.
import { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { encodePacket, encodePublishHead } from '../../src/codec/index.js';
import type { Packet, PublishPacket } from '../../src/codec/types.js';
import { Connection } from '../../src/client/connection.js';

/** Records every chunk _write gets; while `hold` is set, _write calls back only on release(). */
class HoldingStream extends Duplex {
  writes: Buffer[] = [];
  /** Copies taken as each chunk reached _write: what the bytes were when handed over. */
  seen: Buffer[] = [];
  hold = false;
  private held: (() => void)[] = [];
  _read(): void {}
  _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    this.writes.push(chunk);
    this.seen.push(Buffer.from(chunk));
    if (this.hold) this.held.push(() => cb());
    else cb();
  }
  release(): void {
    this.hold = false;
    const held = this.held;
    this.held = [];
    for (const cb of held) cb();
  }
}

const noEvents = { packet: () => {}, chunkDone: () => {}, error: () => {}, close: () => {}, drain: () => {} };

function open(): { c: Connection; stream: HoldingStream } {
  const stream = new HoldingStream({ highWaterMark: 1024 });
  return { c: new Connection(stream, { version: 5 }, noEvents), stream };
}

const publish = (i: number, payload = Buffer.from(`line ${i} ${'x'.repeat(i % 50)}`)): PublishPacket => ({
  type: 'publish', topic: `t/${i % 7}`, payload, qos: 1, retain: false, dup: false, packetId: (i % 65535) + 1,
});

/** Encodes each packet into the connection (as the client does) and writes it; returns the bytes a fresh encode gives. */
function send(c: Connection, packets: Packet[]): Buffer[] {
  return packets.map((p) => {
    c.write(encodePacket(p, 5, c.out));
    return encodePacket(p, 5);
  });
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('connection write buffer', () => {
  it('encodes in place: a batch of packets is one view of the buffer, no copy', async () => {
    const { c, stream } = open();
    const expected = send(c, [publish(1), publish(2), { type: 'pubrel', packetId: 3, reasonCode: 0 }]);
    await tick();
    expect(stream.writes.length).toBe(1);
    expect(stream.writes[0]!.buffer).toBe(c.out.buf.buffer);
    expect(stream.writes[0]).toEqual(Buffer.concat(expected));
  });

  it('never overwrites bytes the stream still holds; everything arrives in order', async () => {
    const { c, stream } = open();
    stream.hold = true; // every write stays pending: the stream keeps its chunks
    const expected: Buffer[] = [];
    // ~160 KiB in many flushes: the 64 KiB buffer fills up several times while all of it is pending.
    for (let round = 0; round < 40; round++) {
      expected.push(...send(c, Array.from({ length: 100 }, (_, i) => publish(round * 100 + i))));
      await tick();
    }
    stream.release();
    await tick();
    // What the stream has now is what each chunk was when handed over (overwritten bytes would differ).
    expect(Buffer.concat(stream.writes)).toEqual(Buffer.concat(stream.seen));
    expect(Buffer.concat(stream.writes)).toEqual(Buffer.concat(expected));
  });

  it('reuses its buffer once the stream is done with it (a synchronous write)', async () => {
    const { c, stream } = open();
    const first = c.out.buf;
    const expected: Buffer[] = [];
    for (let round = 0; round < 40; round++) {
      expected.push(...send(c, Array.from({ length: 100 }, (_, i) => publish(round * 100 + i))));
      await tick();
    }
    expect(Buffer.concat(stream.writes).length).toBeGreaterThan(2 * first.length);
    expect(c.out.buf).toBe(first);
    expect(Buffer.concat(stream.seen)).toEqual(Buffer.concat(expected));
  });

  it('writes a large payload after its head uncopied, in order with the packets around it', async () => {
    const { c, stream } = open();
    const big = publish(5, Buffer.alloc(100 * 1024, 7));
    const before = send(c, [publish(1)]);
    c.write(encodePublishHead(big, 5, c.out), big.payload as Buffer);
    const after = send(c, [publish(2)]);
    await tick();
    expect(stream.writes).toContain(big.payload); // the very Buffer: not copied
    expect(Buffer.concat(stream.seen)).toEqual(Buffer.concat([...before, encodePacket(big, 5), ...after]));
  });

  it('takes bytes encoded elsewhere: small ones copied into the batch, large ones as they are', async () => {
    const { c, stream } = open();
    const small = encodePacket(publish(1), 5);
    const large = encodePacket(publish(2, Buffer.alloc(20 * 1024, 1)), 5);
    c.write(small);
    c.write(large);
    await tick();
    expect(stream.writes).toContain(large);
    expect(stream.writes).not.toContain(small);
    expect(Buffer.concat(stream.seen)).toEqual(Buffer.concat([small, large]));
  });
});
