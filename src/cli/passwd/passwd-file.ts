// A password-file line. Pure. Text is held as latin1 strings, one char
// per byte, so every line we do not rewrite goes back out byte for byte
// (comments, blank lines, CRLF endings, argon2id or unknown formats, any
// encoding). The broker's rules: a line starting with '#' is skipped; otherwise
// the username is the text before the first ':' and the hash the text up to the
// next ':', both trimmed of blanks.
import { MqttToolError } from '../../errors.js';

export interface EntryLine {
  kind: 'entry';
  raw: string;
  /** Followed by '\n' in the file. */
  eol: boolean;
  lineNo: number;
  username: string;
  hash: string;
}
export interface OtherLine {
  kind: 'comment' | 'blank';
  raw: string;
  eol: boolean;
  lineNo: number;
}
export type PasswdLine = EntryLine | OtherLine;

/** Bytes ↔ the latin1 strings used throughout (lossless both ways). */
export const toBinary = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');
export const fromBinary = (s: string): Buffer => Buffer.from(s, 'latin1');
/** A username or password given as text (argv) in the file's byte form. */
export const utf8ToBinary = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');

const isBlank = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);
// The regex only when there is something to trim: it is most of a 1,000,000-line scan otherwise.
const trimBlanks = (s: string): string =>
  s.length > 0 && (isBlank(s.charCodeAt(0)) || isBlank(s.charCodeAt(s.length - 1))) ? s.replace(/^[ \t\r\n\v\f]+|[ \t\r\n\v\f]+$/g, '') : s;

function corrupt(lineNo: number): MqttToolError {
  return new MqttToolError('PASSWORD_FILE_CORRUPT', `Corrupt password file at line ${lineNo}.`);
}

/** Parses one line; throws PASSWORD_FILE_CORRUPT for a line the broker could not use. */
export function parseLine(raw: string, lineNo: number, eol: boolean): PasswdLine {
  if (raw.startsWith('#')) return { kind: 'comment', raw, eol, lineNo };
  if (trimBlanks(raw) === '') return { kind: 'blank', raw, eol, lineNo };
  const colon = raw.indexOf(':');
  if (colon < 0) throw corrupt(lineNo);
  const username = trimBlanks(raw.slice(0, colon));
  const rest = raw.slice(colon + 1);
  const next = rest.indexOf(':');
  const hash = trimBlanks(next < 0 ? rest : rest.slice(0, next));
  if (username === '' || hash === '') throw corrupt(lineNo);
  return { kind: 'entry', raw, eol, lineNo, username, hash };
}
