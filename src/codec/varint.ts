// MQTT Variable Byte Integer: 7 bits per byte, little-endian groups, at most
// 4 bytes, always the minimal form (an overlong form is a Malformed Packet).
import { malformed } from './codec-errors.js';

export const MAX_VBI = 268_435_455;

export function vbiSize(n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : 4;
}

/** Writes n at off and returns the offset after it. Caller guarantees 0 <= n <= MAX_VBI. */
export function writeVbi(buf: Uint8Array, off: number, n: number): number {
  while (n >= 0x80) {
    buf[off++] = (n & 0x7f) | 0x80;
    n >>>= 7;
  }
  buf[off++] = n;
  return off;
}

export function encodeVbi(n: number): Buffer {
  const b = Buffer.allocUnsafe(vbiSize(n));
  writeVbi(b, 0, n);
  return b;
}

/**
 * Reads a VBI at off (bytes before end only). Returns the value and its length,
 * or null when more bytes are needed. Throws MALFORMED for a 5th byte or an
 * overlong encoding.
 */
export function decodeVbi(buf: Uint8Array, off: number, end: number): { value: number; length: number } | null {
  let value = 0;
  let mult = 1;
  for (let i = 0; i < 4; i++) {
    if (off + i >= end) return null;
    const b = buf[off + i]!;
    value += (b & 0x7f) * mult;
    if ((b & 0x80) === 0) {
      if (b === 0 && i > 0) malformed('variable byte integer is not in its shortest form');
      return { value, length: i + 1 };
    }
    mult *= 0x80;
  }
  return malformed('variable byte integer longer than 4 bytes');
}
