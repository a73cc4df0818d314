// Edits that reach the file the broker reads. Replacing the file by rename
// gives it a new inode: a bind mount (`-v ./pw:/mosquitto/config/pw`) or a
// hard link keeps the old one, and a revoked user keeps logging in. So the
// new bytes are written into the same inode, in two steps:
//   1. the changed tail (from the first changed byte to the end) goes into a
//      sidecar `.<file>.mqtt-passwd-pending`, written as a temp file, fsynced
//      and renamed into place: from then on the edit is committed;
//   2. the tail is written over the original at its offset, the file is cut
//      to its new length and fsynced, and the sidecar is removed.
// A crash before 1 ends leaves the old file; after it, the next run (under the
// lock) writes the sidecar again, which is idempotent, and says so.
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readSync,
  renameSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { MqttToolError } from '../../errors.js';
import type { FileLock } from './file-lock.js';
import { faultAt, faultPartialWrite, type FaultStep } from './faults.js';
import { strerror } from '../../strerror.js';
import { ioError } from './io-errors.js';

export type Warn = (line: string) => void;

const MAGIC = 'mqtt-passwd-pending';
const CHUNK = 1 << 20;

interface Header {
  dev: number;
  ino: number;
  offset: number;
}

export const pendingPath = (path: string): string => join(dirname(path), `.${basename(path)}.mqtt-passwd-pending`);
export const tempPath = (path: string): string =>
  join(dirname(path), `.${basename(path)}.mqtt-passwd-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);

/** Writes all of `data` at `pos` (null: the current position); `step` may inject a half write. */
export function writeFully(fd: number, data: Buffer, pos: number | null, step: FaultStep): void {
  const stopAt = faultPartialWrite(step) ? Math.floor(data.length / 2) : data.length;
  let off = 0;
  while (off < stopAt) off += writeSync(fd, data, off, stopAt - off, pos === null ? null : pos + off);
  if (stopAt < data.length) faultAt(step);
}

/** Makes a rename or unlink durable; the change is already visible, so a failure only warns. */
export function syncDirectory(dir: string, warn: Warn): void {
  let fd: number | undefined;
  try {
    faultAt('dir-fsync');
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch (e) {
    warn(`Warning: Unable to flush directory ${dir} (${strerror(e)}); the change may not survive a power failure.`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Step 1: `produce` writes the tail through its callback and returns the
 * offset it starts at (null: nothing changes). Returns whether a sidecar was committed.
 */
export async function commitPending(
  path: string,
  target: Stats,
  lock: FileLock,
  produce: (write: (chunk: Buffer) => void) => Promise<{ offset: number } | null>,
  warn: Warn,
): Promise<boolean> {
  const temp = tempPath(path);
  let fd: number | undefined;
  try {
    faultAt('open-temp');
    fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    lock.temps.add(temp);
    // The header's offset is filled in once known; it is padded to a fixed width meanwhile.
    const header = (offset: number): Buffer => Buffer.from(`${MAGIC} ${JSON.stringify({ dev: target.dev, ino: target.ino, offset })}`.padEnd(128) + '\n');
    writeFully(fd, header(0), 0, 'write');
    let pos = 129;
    const out = fd;
    const result = await produce((chunk) => {
      writeFully(out, chunk, pos, 'write');
      pos += chunk.length;
    });
    if (!result) {
      closeSync(fd);
      fd = undefined;
      unlinkSync(temp);
      return false;
    }
    writeFully(fd, header(result.offset), 0, 'write');
    faultAt('write');
    faultAt('fsync');
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    lock.verify();
    faultAt('rename');
    renameSync(temp, pendingPath(path));
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      /* never created */
    }
    throw ioError(e, `Unable to write password file ${path}`);
  } finally {
    lock.temps.delete(temp);
  }
  syncDirectory(dirname(path), warn);
  return true;
}

function readHeader(fd: number, pending: string): Header {
  const buf = Buffer.alloc(129);
  const n = readSync(fd, buf, 0, 129, 0);
  const text = buf.toString('latin1', 0, n);
  try {
    if (n !== 129 || !text.startsWith(`${MAGIC} `) || !text.endsWith('\n')) throw new Error('bad header');
    return JSON.parse(text.slice(MAGIC.length + 1)) as Header;
  } catch {
    throw new MqttToolError('IO_ERROR', `${pending} is not an mqtt-passwd sidecar; move it away and run again.`);
  }
}

/** Step 2: writes the committed tail into `path`'s own inode, then removes the sidecar. */
export function applyPending(path: string, warn: Warn): void {
  const pending = pendingPath(path);
  const src = openSync(pending, constants.O_RDONLY | constants.O_NOFOLLOW);
  let dst: number | undefined;
  try {
    const h = readHeader(src, pending);
    dst = openSync(path, constants.O_WRONLY);
    const st = fstatSync(dst);
    if (st.dev !== h.dev || st.ino !== h.ino) {
      throw new MqttToolError('IO_ERROR', `${pending} holds an interrupted edit of another file than ${path}; check it, then remove it.`);
    }
    // The text before the offset is what the edit kept; a file now shorter was changed by someone else.
    if (st.size < h.offset) {
      throw new MqttToolError('IO_ERROR', `${pending} holds an interrupted edit that no longer fits ${path} (the file was cut since); check it, then remove it.`);
    }
    const buf = Buffer.allocUnsafe(CHUNK);
    let at = h.offset;
    for (let from = 129; ; ) {
      const n = readSync(src, buf, 0, CHUNK, from);
      if (n === 0) break;
      writeFully(dst, buf.subarray(0, n), at, 'write-in-place');
      from += n;
      at += n;
    }
    faultAt('write-in-place');
    ftruncateSync(dst, at);
    faultAt('fsync-in-place');
    fsyncSync(dst);
  } catch (e) {
    throw ioError(e, `Unable to write password file ${path}`);
  } finally {
    closeSync(src);
    if (dst !== undefined) closeSync(dst);
  }
  try {
    faultAt('remove-sidecar');
    unlinkSync(pending);
  } catch (e) {
    // Harmless: applying it again writes the same bytes.
    warn(`Warning: Unable to remove ${pending} (${strerror(e)}); the next edit of ${path} removes it.`);
  }
}

/** True when a committed edit is waiting (a run died between the steps). */
export function hasPending(path: string): boolean {
  try {
    closeSync(openSync(pendingPath(path), constants.O_RDONLY | constants.O_NOFOLLOW));
    return true;
  } catch {
    return false;
  }
}

/** Under the lock: finishes an edit a crashed run committed. */
export function recoverPending(path: string, warn: Warn): void {
  if (!hasPending(path)) return;
  applyPending(path, warn);
  warn(`Warning: Completed an interrupted edit of ${path} (from ${pendingPath(path)}).`);
}

/** What readers (--check, --list) say when they find a sidecar. */
export const pendingNotice = (path: string): string =>
  `Warning: An edit of ${path} was interrupted; its new content waits in ${pendingPath(path)}. Any edit (e.g. mqtt-passwd -U ${path}) completes it.`;
