// The password file as lines. Pure. Text is held as latin1 strings, one char
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

export interface PasswdFile {
  lines: PasswdLine[];
}

/** Bytes ↔ the latin1 strings used throughout (lossless both ways). */
export const toBinary = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');
export const fromBinary = (s: string): Buffer => Buffer.from(s, 'latin1');
/** A username or password given as text (argv) in the file's byte form. */
export const utf8ToBinary = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');

const trimBlanks = (s: string): string => s.replace(/^[ \t\r\n\v\f]+|[ \t\r\n\v\f]+$/g, '');

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

export function parsePasswdFile(bytes: Uint8Array): PasswdFile {
  const text = toBinary(bytes);
  const pieces = text.split('\n');
  const lines: PasswdLine[] = [];
  pieces.forEach((raw, i) => {
    const last = i === pieces.length - 1;
    if (last && raw === '') return; // the file ended with '\n'
    lines.push(parseLine(raw, i + 1, !last));
  });
  return { lines };
}

export function serialisePasswdFile(file: PasswdFile): Buffer {
  return fromBinary(file.lines.map((l) => (l.eol ? `${l.raw}\n` : l.raw)).join(''));
}

export const entries = (file: PasswdFile): EntryLine[] => file.lines.filter((l): l is EntryLine => l.kind === 'entry');

export function findUser(file: PasswdFile, username: string): EntryLine | undefined {
  return entries(file).find((e) => e.username === username);
}

function entryLine(username: string, hash: string, lineNo: number): EntryLine {
  return { kind: 'entry', raw: `${username}:${hash}`, eol: true, lineNo, username, hash };
}

/**
 * Sets the user's hash: every line for that user is rewritten in place (as
 * mosquitto_passwd does); a new user is appended. Returns a new file.
 */
export function setUser(file: PasswdFile, username: string, hash: string): { file: PasswdFile; added: boolean } {
  let found = false;
  const lines = file.lines.map((l) => {
    if (l.kind !== 'entry' || l.username !== username) return l;
    found = true;
    return entryLine(username, hash, l.lineNo);
  });
  if (!found) {
    const last = lines[lines.length - 1];
    // The old last line had no newline: it needs one before ours follows.
    if (last && !last.eol) lines[lines.length - 1] = { ...last, eol: true };
    lines.push(entryLine(username, hash, lines.length + 1));
  }
  return { file: { lines }, added: !found };
}

/** Removes every line for the user; `removed` is how many. */
export function deleteUser(file: PasswdFile, username: string): { file: PasswdFile; removed: number } {
  const lines = file.lines.filter((l) => l.kind !== 'entry' || l.username !== username);
  return { file: { lines }, removed: file.lines.length - lines.length };
}

/** Replaces the hash of the given entries (by line number), leaving all else as it was. */
export function rehashEntries(file: PasswdFile, hashes: ReadonlyMap<number, string>): PasswdFile {
  return {
    lines: file.lines.map((l) => {
      const h = l.kind === 'entry' ? hashes.get(l.lineNo) : undefined;
      return h === undefined || l.kind !== 'entry' ? l : entryLine(l.username, h, l.lineNo);
    }),
  };
}

/** A file holding just this user (for -c). */
export function singleUserFile(username: string, hash: string): PasswdFile {
  return { lines: [entryLine(username, hash, 1)] };
}
