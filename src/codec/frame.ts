// Fixed header parsing. Returns the header only when the whole frame is
// available, otherwise how many more bytes are needed at least. The maximum
// packet size is enforced as soon as the remaining length is known, so an
// oversize body is never buffered.
import { malformed, tooLarge } from './codec-errors.js';

export interface FrameHeader {
  type: number;
  flags: number;
  remainingLength: number;
  headerLength: number;
}

export interface NeedMore {
  needMore: number;
}

/**
 * Parses the fixed header at buf[off..end). `maximumPacketSize` counts the
 * whole packet (fixed header included), as MQTT 5 defines it.
 */
export function parseFrame(buf: Uint8Array, off: number, end: number, maximumPacketSize?: number): FrameHeader | NeedMore {
  if (off >= end) return { needMore: 2 };
  const first = buf[off]!;
  const type = first >> 4;
  if (type === 0) malformed('packet type 0 is reserved');
  let remainingLength = 0;
  let mult = 1;
  let i = 1;
  for (;;) {
    if (off + i >= end) return { needMore: 1 };
    const b = buf[off + i]!;
    remainingLength += (b & 0x7f) * mult;
    i++;
    if ((b & 0x80) === 0) {
      if (b === 0 && i > 2) malformed('remaining length is not in its shortest form');
      break;
    }
    if (i === 5) malformed('variable byte integer longer than 4 bytes in remaining length');
    mult *= 0x80;
  }
  const total = i + remainingLength;
  if (maximumPacketSize !== undefined && total > maximumPacketSize) {
    tooLarge(`${total} bytes exceeds the maximum packet size of ${maximumPacketSize}`);
  }
  const have = end - off;
  if (have < total) return { needMore: total - have };
  return { type, flags: first & 0x0f, remainingLength, headerLength: i };
}
