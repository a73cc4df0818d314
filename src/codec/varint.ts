// MQTT Variable Byte Integer: 7 bits per byte, little-endian groups, at most
// 4 bytes, always the minimal form (an overlong form is a Malformed Packet).
// The one encoder (writeVbi) and the one decoder (decodeVbi) of the codec:
// fixed headers, property lengths and VBI property values all go through here.
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

/**
 * Reads the VBI at buf[off..end) and returns its value, or -1 when the bytes
 * end before its last byte. Throws MALFORMED, naming `what`, for a 5th byte or
 * an overlong form; as only the minimal form passes, its length is
 * vbiSize(value) (so no result object is allocated on the hot path).
 */
export function decodeVbi(buf: Uint8Array, off: number, end: number, what: string): number {
  let value = 0;
  let mult = 1;
  for (let i = 0; i < 4; i++) {
    if (off + i >= end) return -1;
    const b = buf[off + i]!;
    value += (b & 0x7f) * mult;
    if ((b & 0x80) === 0) {
      if (b === 0 && i > 0) malformed(`${what} is not in its shortest form`);
      return value;
    }
    mult *= 0x80;
  }
  return malformed(`${what} longer than 4 bytes`);
}
