// Crash-safe edits of the password file. mosquitto_passwd truncates the file
// and copies new text back in place, so a crash or full disk midway leaves a
// broker with a partial file. Instead: under a lock, write a temp file in the
// same directory (O_EXCL, 0600), give it the original's owner, group and mode,
// fsync, rename it over the original, fsync the directory. At every instant
// the path names either the complete old file or the complete new one.
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fstatSync,
  fsyncSync,
  lstatSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { MqttToolError } from '../../errors.js';
import { acquireLock, type FileLock } from './file-lock.js';
import { pidAlive } from '../shared/lock-file.js';
import { faultAt, faultPartialWrite } from './faults.js';
import { ioError, strerror } from './io-errors.js';

export type Warn = (line: string) => void;

export interface EditOptions {
  file: string;
  followSymlinks: boolean;
  force: boolean;
  /** A missing file is created (-c); otherwise it is an error, as in mosquitto_passwd. */
  allowMissing: boolean;
}

interface Target {
  path: string;
  stat?: Stats;
}

const openError = (file: string, e: unknown): MqttToolError => ioError(e, `Unable to open password file ${file}`);

/** Where the edit lands. A symlink is only followed when asked (W4): renaming over it would replace the link. */
export function resolveTarget(file: string, followSymlinks: boolean): Target {
  let st: Stats;
  try {
    st = lstatSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { path: file };
    throw openError(file, e);
  }
  let path = file;
  if (st.isSymbolicLink()) {
    if (!followSymlinks) {
      throw new MqttToolError('IO_ERROR', `Password file ${file} is a symbolic link; use --follow-symlinks to edit its target.`);
    }
    try {
      path = realpathSync(file);
      st = statSync(path);
    } catch (e) {
      throw openError(file, e);
    }
  }
  if (st.isDirectory()) throw new MqttToolError('IO_ERROR', `Unable to open password file ${file}. Is a directory.`);
  if (!st.isFile()) throw new MqttToolError('IO_ERROR', `Password file ${file} is not a regular file.`);
  return { path, stat: st };
}

/** Reads for --check/--list: symlinks followed, nothing locked. */
export function readPasswordFile(file: string, warn: Warn): Buffer {
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw new MqttToolError('IO_ERROR', `Unable to open password file ${file}. Is a directory.`);
    if (st.mode & 0o007) warn(worldReadable(file));
    return readFileSync(file);
  } catch (e) {
    throw openError(file, e);
  }
}

const worldReadable = (file: string): string => `Warning: File ${file} has world readable permissions. Future versions will refuse to load this file.`;

/** Warns as Mosquitto 2.0.16+ does; refuses a world-writable file unless --force (W5). */
export function checkPermissions(path: string, st: Stats, force: boolean, warn: Warn): void {
  if (st.mode & 0o002 && !force) {
    throw new MqttToolError('IO_ERROR', `Password file ${path} is writable by other users; run chmod o-w on it, or use --force.`);
  }
  if (st.mode & 0o007) warn(worldReadable(path));
  try {
    const dir = statSync(dirname(path));
    // 0o1000: the sticky bit (as /tmp) stops others replacing our file.
    if (dir.mode & 0o002 && !(dir.mode & 0o1000)) {
      warn(`Warning: Directory ${dirname(path)} is writable by other users, who could replace the password file.`);
    }
  } catch {
    /* the write itself will report it */
  }
}

/** Temp files and lock staging files left by runs killed with -9; only called under the lock. */
export function removeLeftovers(path: string): void {
  const dir = dirname(path);
  const base = basename(path);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const temp = name.startsWith(`.${base}.mqtt-passwd-`) && name.endsWith('.tmp');
    const staging = /^(\d+)\.[0-9a-f]{8}$/.exec(name.startsWith(`${base}.lock.`) ? name.slice(base.length + 6) : '');
    if (!temp && !(staging && !pidAlive(Number(staging[1])))) continue;
    try {
      unlinkSync(join(dir, name));
    } catch {
      /* not ours to worry about */
    }
  }
}


function writeAll(fd: number, data: Buffer): void {
  // Injected "disk full": half the bytes land, then ENOSPC.
  const stopAt = faultPartialWrite() ? Math.floor(data.length / 2) : data.length;
  let off = 0;
  while (off < stopAt) off += writeSync(fd, data, off, stopAt - off);
  faultAt('write');
}

/** Replaces `path` with `data` atomically, keeping `original`'s owner, group and mode. */
export function replaceFile(path: string, data: Buffer, original: Stats | undefined, lock: FileLock, warn: Warn): void {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.mqtt-passwd-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    faultAt('open-temp');
    fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    writeAll(fd, data);
    if (original) {
      faultAt('chown');
      // Only when it differs: some file systems refuse even a no-op chown.
      const made = fstatSync(fd);
      if (made.uid !== original.uid || made.gid !== original.gid) fchownSync(fd, original.uid, original.gid);
      faultAt('chmod');
      fchmodSync(fd, original.mode & 0o7777);
    }
    faultAt('fsync');
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    lock.verify();
    faultAt('rename');
    renameSync(temp, path);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      /* never created */
    }
    throw ioError(e, `Unable to write password file ${path}`);
  }
  syncDirectory(dir, warn);
}

/** Makes the rename durable; the change is already visible, so a failure here only warns. */
function syncDirectory(dir: string, warn: Warn): void {
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
 * Locks the file, reads it, lets `edit` compute the new bytes (null: no change)
 * and writes them safely. Returns whether the file was written.
 */
export async function editPasswordFile(o: EditOptions, edit: (current: Buffer | undefined) => Promise<Buffer | null>, warn: Warn): Promise<boolean> {
  const target = resolveTarget(o.file, o.followSymlinks);
  if (!target.stat && !o.allowMissing) throw openError(o.file, Object.assign(new Error('missing'), { code: 'ENOENT' }));
  if (target.stat) checkPermissions(o.file, target.stat, o.force, warn);
  const lock = await acquireLock(target.path, target.stat ? undefined : `Unable to open file ${o.file} for writing`);
  try {
    removeLeftovers(target.path);
    // Read again under the lock: another run may have replaced the file meanwhile.
    let current: Buffer | undefined;
    let st: Stats | undefined;
    try {
      current = readFileSync(target.path);
      st = statSync(target.path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || !o.allowMissing) throw openError(o.file, e);
    }
    const next = await edit(current);
    if (next === null) return false;
    replaceFile(target.path, next, st, lock, warn);
    return true;
  } finally {
    lock.release();
  }
}
