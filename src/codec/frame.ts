// Fixed header parsing. Returns the header only when the whole frame is
// available, otherwise how many more bytes are needed at least. The maximum
// packet size is enforced as soon as the remaining length is known, so an
// oversize body is never buffered.
import { malformed, tooLarge } from './codec-errors.js';
import { decodeVbi, vbiSize } from './varint.js';

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
  const remainingLength = decodeVbi(buf, off + 1, end, 'remaining length');
  if (remainingLength < 0) return { needMore: 1 };
  const headerLength = 1 + vbiSize(remainingLength);
  const total = headerLength + remainingLength;
  if (maximumPacketSize !== undefined && total > maximumPacketSize) {
    tooLarge(`${total} bytes exceeds the maximum packet size of ${maximumPacketSize}`);
  }
  const have = end - off;
  if (have < total) return { needMore: total - have };
  return { type, flags: first & 0x0f, remainingLength, headerLength };
}
