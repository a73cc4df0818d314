import { describe, expect, it } from 'vitest';
import { PayloadCopies } from '../../src/cli/pub/payload-copies.js';

describe('PayloadCopies (pub -l payloads)', () => {
  it('copies: the source may be overwritten at once, as the stdin read buffer is', () => {
    const copies = new PayloadCopies();
    const src = Buffer.from('sensor 1 value 42');
    const c = copies.copy(src);
    src.fill(0x78);
    expect(c.toString()).toBe('sensor 1 value 42');
  });

  it('no two copies share a byte, across many slabs', () => {
    const copies = new PayloadCopies();
    const made: Buffer[] = [];
    for (let i = 0; i < 3000; i++) {
      const len = (i * 37) % 300; // 0..299 bytes, some of them empty
      made.push(copies.copy(Buffer.alloc(len, i % 251)));
    }
    made.forEach((c, i) => {
      expect(c.length).toBe((i * 37) % 300);
      expect(c.every((b) => b === i % 251)).toBe(true);
    });
  });

  it('short lines come from small slabs of their own, not from Buffer pool slabs', () => {
    // What a slab of 8 KiB (Buffer's pool) cost at QoS 1/2: see payload-copies.ts.
    const copies = new PayloadCopies();
    const c = copies.copy(Buffer.from('a line'));
    expect(c.buffer.byteLength).toBeLessThanOrEqual(2048);
    expect(c.buffer).not.toBe(Buffer.from('x').buffer);
  });

  it('a long line gets a buffer of its own size', () => {
    const copies = new PayloadCopies();
    const long = Buffer.alloc(5000, 0x41);
    const c = copies.copy(long);
    expect(c.buffer.byteLength).toBe(5000);
    expect(c.equals(long)).toBe(true);
    const short = copies.copy(Buffer.from('after'));
    expect(short.buffer).not.toBe(c.buffer);
    expect(c.equals(long)).toBe(true);
  });
});
