// Cursor over one frame. Every read checks the bytes are there and throws
// MALFORMED otherwise, so no declared length can reach past the packet.
import { malformed } from './codec-errors.js';
import { decodeVbi, vbiSize } from './varint.js';

// Made on first non-ASCII string: creating it costs a one-message publish ~0.1 ms it never needs.
let strictUtf8: InstanceType<typeof TextDecoder> | undefined;

export class Reader {
  constructor(
    readonly buf: Buffer,
    public pos: number,
    public end: number,
  ) {}

  remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number, what: string): void {
    if (this.end - this.pos < n) malformed(`${what} runs past the end of the packet`);
  }

  u8(what: string): number {
    this.need(1, what);
    return this.buf[this.pos++]!;
  }

  u16(what: string): number {
    this.need(2, what);
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 2;
    return (b[p]! << 8) | b[p + 1]!;
  }

  u32(what: string): number {
    this.need(4, what);
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  vbi(what: string): number {
    const value = decodeVbi(this.buf, this.pos, this.end, what);
    if (value < 0) malformed(`${what} runs past the end of the packet`);
    this.pos += vbiSize(value);
    return value;
  }

  /** Length-prefixed UTF-8 string: well-formed, no U+0000, BOM kept. */
  utf8(what: string): string {
    const len = this.u16(what);
    if (len > this.end - this.pos) malformed(`${what} length ${len} exceeds the ${this.end - this.pos} bytes left`);
    const start = this.pos;
    this.pos = start + len;
    return decodeMqttString(this.buf, start, start + len, what);
  }

  /** Length-prefixed binary data, returned as a view of the frame. */
  binary(what: string): Buffer {
    const len = this.u16(what);
    if (len > this.end - this.pos) malformed(`${what} length ${len} exceeds the ${this.end - this.pos} bytes left`);
    const start = this.pos;
    this.pos = start + len;
    return this.buf.subarray(start, start + len);
  }

  /** Everything up to end, as a view of the frame. */
  rest(): Buffer {
    const start = this.pos;
    this.pos = this.end;
    return this.buf.subarray(start, this.end);
  }

  /** Fails when bytes remain: trailing content after a packet is malformed. */
  done(what: string): void {
    if (this.pos !== this.end) malformed(`${this.end - this.pos} unexpected trailing bytes in ${what}`);
  }
}

export function decodeMqttString(buf: Buffer, start: number, end: number, what: string): string {
  // Fast path: pure ASCII needs no validating decoder; U+0000 is refused either way.
  let ascii = true;
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    if (c === 0) malformed(`${what} contains U+0000`);
    if (c >= 0x80) ascii = false;
  }
  if (ascii) return buf.toString('latin1', start, end);
  try {
    strictUtf8 ??= new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    return strictUtf8.decode(buf.subarray(start, end));
  } catch {
    return malformed(`${what} is not well-formed UTF-8`);
  }
}
