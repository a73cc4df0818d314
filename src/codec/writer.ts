// Fills one packet's bytes in place: a Buffer of its own, or room the caller
// lends (OutBuffer). Sizes are computed (and values validated) before a Writer
// exists, so writes here never check bounds.
import { writeVbi, vbiSize } from './varint.js';

/**
 * Room a caller lends the encoder, so packets need no Buffer of their own:
 * reserve(size) makes `size` bytes free at buf[pos..], the encoder fills them
 * and leaves `pos` alone (the caller decides whether the bytes count).
 */
export interface OutBuffer {
  buf: Buffer;
  pos: number;
  reserve(size: number): void;
}

export class Writer {
  private readonly start: number;

  constructor(
    readonly buf: Buffer,
    public pos: number,
  ) {
    this.start = pos;
  }

  /** The packet's bytes: the whole Buffer when it has one of its own, else a view of the lent room. */
  done(): Buffer {
    const b = this.buf;
    return this.start === 0 && this.pos === b.length ? b : b.subarray(this.start, this.pos);
  }

  u8(n: number): void {
    this.buf[this.pos++] = n;
  }

  u16(n: number): void {
    const b = this.buf;
    b[this.pos++] = n >>> 8;
    b[this.pos++] = n & 0xff;
  }

  u32(n: number): void {
    this.buf.writeUInt32BE(n, this.pos);
    this.pos += 4;
  }

  vbi(n: number): void {
    this.pos = writeVbi(this.buf, this.pos, n);
  }

  /** Length-prefixed UTF-8; the string was validated when the size was computed. */
  utf8(s: string): void {
    const b = this.buf;
    const start = this.pos + 2;
    const len = s.length;
    let n: number;
    if (len <= 32) {
      let i = 0;
      for (; i < len; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        b[start + i] = c;
      }
      n = i === len ? len : b.write(s, start, 'utf8');
    } else {
      n = b.write(s, start, 'utf8');
    }
    b[this.pos] = n >>> 8;
    b[this.pos + 1] = n & 0xff;
    this.pos = start + n;
  }

  /** Length-prefixed binary data. */
  binary(data: Uint8Array): void {
    this.u16(data.length);
    this.bytes(data);
  }

  bytes(data: Uint8Array): void {
    this.buf.set(data, this.pos);
    this.pos += data.length;
  }
}

/** Finds room for the whole packet (in `out` when given, else a new Buffer) and writes its fixed header. */
export function startPacket(firstByte: number, remainingLength: number, out: OutBuffer | undefined, leaveOut = 0): Writer {
  // leaveOut: trailing bytes the caller will send separately (a large PUBLISH payload).
  const size = 1 + vbiSize(remainingLength) + remainingLength - leaveOut;
  let w: Writer;
  if (out) {
    out.reserve(size);
    w = new Writer(out.buf, out.pos);
  } else w = new Writer(Buffer.allocUnsafe(size), 0);
  w.buf[w.pos] = firstByte;
  w.pos = writeVbi(w.buf, w.pos + 1, remainingLength);
  return w;
}
