// Fills one pre-sized Buffer in place. Sizes are computed (and values
// validated) before a Writer exists, so writes here never check bounds.
import { writeVbi, vbiSize } from './varint.js';

export class Writer {
  readonly buf: Buffer;
  pos = 0;

  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
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

/** Allocates the whole packet and writes its fixed header. */
export function startPacket(firstByte: number, remainingLength: number, leaveOut = 0): Writer {
  // leaveOut: trailing bytes the caller will send separately (a large PUBLISH payload).
  const w = new Writer(1 + vbiSize(remainingLength) + remainingLength - leaveOut);
  w.buf[0] = firstByte;
  w.pos = writeVbi(w.buf, 1, remainingLength);
  return w;
}
