// Large frames in the FrameDecoder: decoded exactly whatever the chunking, and
// gathered into their final buffer only once half of the frame has arrived
// (a header may claim 256 MB; the memory must follow the bytes, not the claim).
import { describe, expect, it } from 'vitest';
import { encodePacket, encodePublishHead, FrameDecoder } from '../../src/codec/index.js';

/** ArrayBuffer memory still held after fn ran. */
function retainedArrayBufferGrowth(fn: () => void): number {
  const before = process.memoryUsage().arrayBuffers;
  fn();
  return process.memoryUsage().arrayBuffers - before;
}

describe('large frames', () => {
  const big = encodePacket({ type: 'publish', topic: 'big', payload: Buffer.alloc(4 << 20, 0x5a), qos: 0, retain: false, dup: false }, 4);
  const small = encodePacket({ type: 'publish', topic: 's', payload: Buffer.from('x'), qos: 0, retain: false, dup: false }, 4);

  it('a 4 MB frame between small ones, in odd-sized chunks, decodes exactly', () => {
    const stream = Buffer.concat([small, big, small]);
    const d = new FrameDecoder({ version: 4 });
    const got = [];
    for (let off = 0; off < stream.length; off += 7919) got.push(...d.push(stream.subarray(off, off + 7919)));
    expect(got.map((p) => (p.type === 'publish' ? p.topic : p.type))).toEqual(['s', 'big', 's']);
    const payload = got[1]?.type === 'publish' ? got[1].payload : new Uint8Array();
    expect(Buffer.from(payload).equals(Buffer.alloc(4 << 20, 0x5a))).toBe(true);
    expect(d.buffered).toBe(0);
  });

  it('the frame\'s own buffer is made only once half of it has arrived, not on the header\'s word', () => {
    const d = new FrameDecoder({ version: 4 });
    const chunks = Array.from({ length: Math.ceil(big.length / 65536) }, (_, i) => Buffer.from(big.subarray(i * 65536, (i + 1) * 65536)));
    const half = Math.floor(chunks.length / 2) - 1;
    const before = retainedArrayBufferGrowth(() => chunks.slice(0, half).forEach((c) => d.push(c)));
    expect(before).toBeLessThan(1 << 20); // only the list of what arrived
    const after = retainedArrayBufferGrowth(() => chunks.slice(half, half + 3).forEach((c) => d.push(c)));
    expect(after).toBeGreaterThan(3 << 20); // now the 4 MB frame buffer
    expect(chunks.slice(half + 3).flatMap((c) => d.push(c))).toHaveLength(1);
  });
});

describe('encodePublishHead', () => {
  it.each([3, 4, 5] as const)('v%i: head + payload is exactly the encoded PUBLISH', (v) => {
    for (const qos of [0, 1, 2] as const) {
      const p = {
        type: 'publish' as const,
        topic: 'a/b',
        payload: Buffer.alloc(70_000, 7),
        qos,
        retain: qos === 1,
        dup: qos === 2,
        ...(qos > 0 ? { packetId: 42 } : {}),
        ...(v === 5 ? { properties: { contentType: 'x', userProperties: [['k', 'v']] as [string, string][] } } : {}),
      };
      const whole = encodePacket(p, v);
      const head = encodePublishHead(p, v);
      expect(head.length).toBe(whole.length - p.payload.length);
      expect(Buffer.concat([head, p.payload]).equals(whole)).toBe(true);
    }
  });
});
