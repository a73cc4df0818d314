// Reads a password file line by line through one reused buffer, so memory does
// not grow with the file (1,000,000 users is ~125 MB). Lines are latin1
// strings (one char per byte, see passwd-file.ts) sliced from one string per
// 64 KiB chunk: small enough for V8's young generation (a megabyte string goes
// to the large-object space, which grew RSS with the file), large enough that
// per-line work is a string slice, not a call into C++.
import { readSync } from 'node:fs';
import { MqttToolError } from '../../errors.js';

export interface ScannedLine {
  raw: string;
  /** Followed by '\n' in the file. */
  eol: boolean;
  lineNo: number;
  /** Byte offset of the line's first byte. */
  offset: number;
}

export type OnLine = (raw: string, eol: boolean, lineNo: number, offset: number) => void;

const CHUNK = 1 << 16;
/** Far above any line the broker accepts (two 65,535-byte fields); a longer one is not a password file. */
export const MAX_LINE = 1 << 20;

export class LineReader {
  private readonly buf = Buffer.allocUnsafe(CHUNK);
  /** The start of a line that continues in the next chunk. */
  private carry = '';
  private pos: number;
  private lineStart: number;
  private lineNo: number;

  /** From byte `start` (a line start), numbering from `lineNo`. */
  constructor(
    private readonly fd: number,
    start = 0,
    lineNo = 1,
  ) {
    this.pos = start;
    this.lineStart = start;
    this.lineNo = lineNo;
  }

  /** Reads one chunk and reports its complete lines; false once the file has ended (after the last line). */
  next(onLine: OnLine): boolean {
    const n = readSync(this.fd, this.buf, 0, CHUNK, this.pos);
    if (n === 0) {
      if (this.carry.length > 0) onLine(this.carry, false, this.lineNo, this.lineStart);
      this.carry = '';
      return false;
    }
    const base = this.pos - this.carry.length;
    this.pos += n;
    const text = this.carry + this.buf.toString('latin1', 0, n);
    let from = 0;
    let nl: number;
    while ((nl = text.indexOf('\n', from)) >= 0) {
      onLine(text.slice(from, nl), true, this.lineNo++, this.lineStart);
      from = nl + 1;
      this.lineStart = base + from;
    }
    this.carry = text.slice(from);
    if (this.carry.length > MAX_LINE) throw new MqttToolError('PASSWORD_FILE_CORRUPT', `Corrupt password file at line ${this.lineNo}: the line is longer than ${MAX_LINE} bytes.`);
    return true;
  }
}

/** Every line of the open file `fd` from byte `start`, a chunk's worth held at a time. */
export function* scanLines(fd: number, start = 0, lineNo = 1): Generator<ScannedLine> {
  const reader = new LineReader(fd, start, lineNo);
  let batch: ScannedLine[] = [];
  const push: OnLine = (raw, eol, n, offset) => void batch.push({ raw, eol, lineNo: n, offset });
  for (let more = true; more; ) {
    more = reader.next(push);
    yield* batch;
    batch = [];
  }
}
