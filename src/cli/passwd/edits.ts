// The three edits (add/update, delete, -U) as streaming line edits
// (edit-stream.ts). Usernames and hashes are latin1 strings, as in passwd-file.ts.
import { MqttToolError } from '../../errors.js';
import type { LineEdit } from './edit-stream.js';
import { keep } from './edit-stream.js';
import { hashMany, hashPassword, MAX_PBKDF2_ITERATIONS, parseHashField, type HashSpec } from './hash.js';
import { fromBinary, type EntryLine, type PasswdLine } from './passwd-file.js';
import { startProgress, type Progress } from './progress.js';

export type Warn = (line: string) => void;

/** The -H/-I choice; `followsFile`: neither was given, so a file that already holds argon2id gets argon2id. */
export type HashChoice = HashSpec & { followsFile?: true };

/**
 * The shape of a $7$ field as Mosquitto writes it, by length and '$' places
 * only: a regex or a base64 decode per line costs more than the rest of an
 * edit of 1,000,000 users. Anything else gets the full check.
 */
function looksLikePbkdf2(h: string): boolean {
  if (!h.startsWith('$7$')) return false;
  const salt = h.indexOf('$', 3) + 1;
  if (salt < 5 || salt > 12 || h.charCodeAt(3) === 48 || h.length !== salt + 17 + 88 || h.charCodeAt(salt + 16) !== 36 || !h.endsWith('==')) return false;
  for (let i = 3; i < salt - 1; i++) if (h.charCodeAt(i) < 48 || h.charCodeAt(i) > 57) return false;
  return Number(h.slice(3, salt - 1)) <= MAX_PBKDF2_ITERATIONS;
}
const isArgon2id = (l: PasswdLine): boolean => l.kind === 'entry' && l.hash.startsWith('$argon2id$');

/** Warns about entries the broker will drop (bad $6$/$7$/argon2 fields). */
export function warnIfUnusable(l: PasswdLine, warn: Warn): void {
  if (l.kind !== 'entry' || looksLikePbkdf2(l.hash)) return;
  const p = parseHashField(l.hash);
  if (p.kind === 'invalid') warn(`Warning: Line ${l.lineNo}: ${p.reason}; the broker will ignore this entry.`);
}

/** A username read from the file, for a message on a terminal: UTF-8, control characters as \\xNN. */
export const shownName = (latin1: string): string =>
  Buffer.from(latin1, 'latin1')
    .toString('utf8')
    .replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

export function resolveHash(choice: HashChoice, sawArgon2id: boolean): HashSpec {
  return choice.followsFile && sawArgon2id ? { type: 'argon2id', iterations: 1 } : { type: choice.type, iterations: choice.iterations };
}

export interface SetEdit extends LineEdit {
  /** After the edit: whether the user was new. */
  readonly added: boolean;
  /** The hash actually used (argon2id when the file has it and no -H/-I was given). */
  readonly spec: HashSpec;
}

/** Add or update `username` (-c: the file then holds only this user). */
export function setUserEdit(username: string, password: Buffer, choice: HashChoice, create: boolean, warn: Warn, onSpec: (s: HashSpec) => void): SetEdit {
  let found = false;
  let sawArgon2id = false;
  let field = '';
  let spec: HashSpec = choice;
  const line = (eol: boolean): string => `${username}:${field}${eol ? '\n' : ''}`;
  return {
    get added() {
      return create || !found;
    },
    get spec() {
      return spec;
    },
    replacesAll: create,
    changes(l) {
      warnIfUnusable(l, warn);
      if (isArgon2id(l)) sawArgon2id = true;
      const mine = l.kind === 'entry' && l.username === username;
      if (mine) found = true;
      return mine;
    },
    async prepare() {
      spec = resolveHash(choice, sawArgon2id);
      onSpec(spec);
      field = await hashPassword(password, spec);
    },
    rewrite: (lines) => lines.map((l) => (l.kind === 'entry' && l.username === username ? line(true) : keep(l))),
    finish: (needsNewline) => (found && !create ? '' : `${needsNewline ? '\n' : ''}${line(true)}`),
  };
}

/** Remove every line of `username`; USER_NOT_FOUND (nothing written) when there is none. */
export function deleteUserEdit(username: string, shown: string, warn: Warn): LineEdit {
  let found = false;
  const mine = (l: PasswdLine): boolean => l.kind === 'entry' && l.username === username;
  return {
    changes(l) {
      warnIfUnusable(l, warn);
      if (mine(l)) found = true;
      return mine(l);
    },
    async prepare() {
      if (!found) throw new MqttToolError('USER_NOT_FOUND', `User ${shown} not found in password file.`);
    },
    rewrite: (lines) => lines.map((l) => (mine(l) ? '' : keep(l))),
    finish: () => '',
  };
}

/**
 * -U: every entry whose field is not a hash a broker reads (plain text, but
 * also "$7$hunter2" or "$Summer$2024") is hashed; the broker would drop it and
 * leave the clear text on disk. Valid hashes of any known kind are kept.
 */
export function isPlainForUpdate(hash: string): boolean {
  const kind = parseHashField(hash).kind;
  return kind === 'plain' || kind === 'invalid' || kind === 'unknown';
}

export function convertEdit(choice: HashChoice, warn: Warn, onSpec: (s: HashSpec) => void): LineEdit & { stop(): void } {
  let total = 0;
  let done = 0;
  let sawArgon2id = false;
  let spec: HashSpec = choice;
  let progress: Progress | undefined;
  const plain = (l: PasswdLine): l is EntryLine => l.kind === 'entry' && isPlainForUpdate(l.hash);
  return {
    changes(l) {
      if (isArgon2id(l)) sawArgon2id = true;
      if (!plain(l)) return false;
      total++;
      if (parseHashField(l.hash).kind !== 'plain') {
        warn(`Warning: Line ${l.lineNo}: the password of user ${shownName(l.username)} looks like a hash no broker reads; it is hashed as a plain-text password.`);
      }
      return true;
    },
    async prepare() {
      spec = resolveHash(choice, sawArgon2id);
      onSpec(spec);
      progress = await startProgress('Hashing passwords', total);
    },
    async rewrite(lines) {
      const todo = lines.filter(plain);
      const hashes = await hashMany(
        todo.map((l) => fromBinary(l.hash)),
        spec,
        (n) => progress?.update(done + n),
      );
      done += todo.length;
      const byLine = new Map(todo.map((l, i) => [l.lineNo, hashes[i] as string]));
      return lines.map((l) => {
        const h = byLine.get(l.lineNo);
        return h === undefined || l.kind !== 'entry' ? keep(l) : `${l.username}:${h}${l.eol ? '\n' : ''}`;
      });
    },
    finish: () => '',
    // ~10 MB of lines at most; each batch starts the hashing threads anew.
    batchLines: 50_000,
    stop: () => progress?.stop(),
  };
}
