// Reads a password file line by line in fixed-size chunks, so memory does not
// grow with the file (1,000,000 users is ~150 MB). Lines are latin1 strings
// (one char per byte, see passwd-file.ts), with their byte offset.
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

const CHUNK = 1 << 20;
/** Far above any line the broker accepts (two 65,535-byte fields); a longer one is not a password file. */
export const MAX_LINE = 1 << 20;

/** Every line of the open file `fd`, from byte `start` (a line start) on. */
export function* scanLines(fd: number, start = 0, firstLineNo = 1): Generator<ScannedLine> {
  const buf = Buffer.allocUnsafe(CHUNK);
  let carry = '';
  let carryOffset = start;
  let pos = start;
  let lineNo = firstLineNo;
  for (;;) {
    const n = readSync(fd, buf, 0, CHUNK, pos);
    if (n === 0) break;
    pos += n;
    const text = carry + buf.toString('latin1', 0, n);
    let from = 0;
    let nl: number;
    while ((nl = text.indexOf('\n', from)) >= 0) {
      yield { raw: text.slice(from, nl), eol: true, lineNo: lineNo++, offset: carryOffset + from };
      from = nl + 1;
    }
    carry = text.slice(from);
    carryOffset += from;
    if (carry.length > MAX_LINE) throw new MqttToolError('PASSWORD_FILE_CORRUPT', `Corrupt password file at line ${lineNo}: the line is longer than ${MAX_LINE} bytes.`);
  }
  if (carry.length > 0) yield { raw: carry, eol: false, lineNo, offset: carryOffset };
}
