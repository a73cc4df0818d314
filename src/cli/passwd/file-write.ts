// Crash-safe edits of the password file. mosquitto_passwd truncates the file
// and copies new text back in place, so a crash or full disk midway leaves a
// broker with a partial file and nothing to recover it from. Ours: under a
// lock, the new bytes are committed to a sidecar first, then written into the
// same inode (in-place.ts), so bind mounts and hard links see the edit and a
// crash leaves the old file or a recoverable new one.
import { closeSync, constants, fstatSync, fsyncSync, linkSync, lstatSync, openSync, readdirSync, realpathSync, statSync, unlinkSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { MqttToolError } from '../../errors.js';
import { acquireLock, type FileLock } from './file-lock.js';
import { pidAlive } from '../shared/lock-file.js';
import { faultAt } from './faults.js';
import { ioError } from './io-errors.js';
import { applyPending, commitPending, hasPending, pendingNotice, pendingPath, recoverPending, syncDirectory, tempPath, writeFully, type Warn } from './in-place.js';
import { streamEdit, type LineEdit } from './edit-stream.js';
import { fromBinary } from './passwd-file.js';

export type { Warn };

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

/**
 * Opens for --check/--list: symlinks followed, nothing locked. The type is
 * checked before opening, and the open never blocks, so a FIFO cannot hang us.
 */
export function openForReading(file: string, warn: Warn): number {
  let fd: number | undefined;
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw new MqttToolError('IO_ERROR', `Unable to open password file ${file}. Is a directory.`);
    if (!st.isFile()) throw new MqttToolError('IO_ERROR', `Password file ${file} is not a regular file.`);
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
    // The path may have been swapped between stat and open.
    if (!fstatSync(fd).isFile()) throw new MqttToolError('IO_ERROR', `Password file ${file} is not a regular file.`);
    if (st.mode & 0o007) warn(worldReadable(file));
    // The sidecar sits beside the real file (an edit resolves a symlink first).
    const real = realpathSync(file);
    if (hasPending(real)) warn(pendingNotice(real));
    return fd;
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
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


/** A file that did not exist (-c): written whole beside it and linked into place, so it appears complete or not at all. */
function createFile(path: string, data: Buffer, lock: FileLock, warn: Warn): void {
  const temp = tempPath(path);
  let fd: number | undefined;
  try {
    faultAt('open-temp');
    fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    writeFully(fd, data, null, 'write');
    faultAt('write');
    faultAt('fsync');
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    lock.verify();
    faultAt('rename');
    linkSync(temp, path);
  } catch (e) {
    throw ioError(e, `Unable to write password file ${path}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      /* never created */
    }
  }
  syncDirectory(dirname(path), warn);
}

/** Opens the file to edit, or undefined when it is missing and may be created. */
function openExisting(path: string, o: EditOptions): number | undefined {
  try {
    return openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' && o.allowMissing) return undefined;
    throw openError(o.file, e);
  }
}

/**
 * Locks the file, finishes any edit a crashed run left, streams `edit` over
 * the file and writes the result into the same inode (in-place.ts). Returns
 * whether the file was written.
 */
export async function editPasswordFile(o: EditOptions, edit: LineEdit, warn: Warn): Promise<boolean> {
  const target = resolveTarget(o.file, o.followSymlinks);
  if (!target.stat && !o.allowMissing) throw openError(o.file, Object.assign(new Error('missing'), { code: 'ENOENT' }));
  if (target.stat) checkPermissions(o.file, target.stat, o.force, warn);
  const lock = await acquireLock(target.path, target.stat ? undefined : `Unable to open file ${o.file} for writing`);
  try {
    removeLeftovers(target.path);
    recoverPending(target.path, warn);
    // Opened again under the lock: another run may have changed the file meanwhile.
    const fd = openExisting(target.path, o);
    if (fd === undefined) {
      await edit.prepare?.();
      createFile(target.path, fromBinary(edit.finish(false)), lock, warn);
      return true;
    }
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) throw new MqttToolError('IO_ERROR', `Password file ${o.file} is not a regular file.`);
      if (!(await commitPending(target.path, st, lock, (write) => streamEdit(fd, edit, write), warn))) return false;
    } finally {
      closeSync(fd);
    }
    try {
      applyPending(target.path, warn);
    } catch (e) {
      const err = ioError(e, `Unable to write password file ${o.file}`);
      throw new MqttToolError(err.code, `${err.message} The new content waits in ${pendingPath(target.path)}; the next edit of the file completes it.`, { cause: e });
    }
    return true;
  } finally {
    lock.release();
  }
}
