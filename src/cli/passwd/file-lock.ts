// One writer at a time per password file: `<file>.lock`, holding "<pid> <nonce>".
// It is made complete (written, then hard-linked into place) so a reader never
// sees an empty lock. A lock whose pid is dead is stale (a writer killed with
// -9) and is broken; a live one is waited for, then refused. mosquitto_passwd
// takes no lock at all, so two parallel runs can lose an edit (#1851).
import { closeSync, constants, lstatSync, openSync, readSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { MqttToolError } from '../../errors.js';
import { faultAt } from './faults.js';
import { ioError } from './io-errors.js';
import { linkIntoPlace, pidAlive } from '../shared/lock-file.js';

export interface FileLock {
  path: string;
  /** Throws PASSWORD_FILE_LOCKED if the lock is no longer ours (broken as stale by another run). */
  verify(): void;
  /** Files being written under this lock: removed if a signal ends the run. */
  temps: Set<string>;
  release(): void;
}

const DEFAULT_WAIT_MS = 10_000;
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function waitLimit(): number {
  const env = Number(process.env.MQTT_PASSWD_LOCK_TIMEOUT_MS);
  return Number.isFinite(env) && env >= 0 ? env : DEFAULT_WAIT_MS;
}


/**
 * The lock's text; '' for anything that is not a regular file (a symlink
 * planted to a secret must not have its first word printed as a pid).
 */
function readLock(path: string): string | undefined {
  let fd: number | undefined;
  try {
    if (!lstatSync(path).isFile()) return '';
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const buf = Buffer.alloc(64);
    return buf.toString('utf8', 0, readSync(fd, buf, 0, 64, 0));
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The pid a lock names, only when its first word is a number. */
const lockOwner = (text: string | undefined): string | undefined => /^\d{1,10}$/.exec((text ?? '').split(/\s/)[0] ?? '')?.[0];

/** Removes the lock if its owner is dead; true if it did. */
function breakIfStale(path: string): boolean {
  const text = readLock(path);
  if (text === undefined) return true; // released meanwhile: just retry
  const pid = Number(lockOwner(text));
  if (!Number.isInteger(pid) || pid <= 0 || pidAlive(pid)) return false;
  // Re-read so a lock replaced since the first read is not the one removed.
  if (readLock(path) !== text) return true;
  try {
    unlinkSync(path);
  } catch {
    /* someone else broke it */
  }
  return true;
}

/** `openFailure` starts the message for a lock that cannot be created (mosquitto's wording differs for -c). */
export async function acquireLock(file: string, openFailure = `Unable to open password file ${file}`): Promise<FileLock> {
  const path = `${file}.lock`;
  const token = `${process.pid} ${randomBytes(8).toString('hex')}\n`;
  const staging = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  const deadline = Date.now() + waitLimit();
  try {
    faultAt('lock');
    writeFileSync(staging, token, { flag: 'wx', mode: 0o600 });
  } catch (e) {
    throw ioError(e, openFailure);
  }
  try {
    for (;;) {
      if (linkIntoPlace(staging, path, token)) break;
      if (breakIfStale(path)) continue;
      if (Date.now() >= deadline) {
        const owner = lockOwner(readLock(path));
        throw new MqttToolError('PASSWORD_FILE_LOCKED', `Password file ${file} is locked by another process${owner ? ` (pid ${owner})` : ''}; if none is running, remove ${path}.`);
      }
      await sleep(20 + Math.random() * 30);
    }
  } catch (e) {
    if (e instanceof MqttToolError) throw e;
    throw ioError(e, openFailure);
  } finally {
    try {
      unlinkSync(staging);
    } catch {
      /* already gone */
    }
  }
  const unlock = (): void => {
    if (readLock(path) !== token) return;
    try {
      faultAt('unlock');
      unlinkSync(path);
    } catch {
      /* a stale lock is broken by the next run */
    }
  };
  // Interrupted while holding the lock (Ctrl-C during a long -U): remove the
  // half-written sidecar, drop the lock, then die of the same signal.
  const temps = new Set<string>();
  const onSignal = (signal: NodeJS.Signals): void => {
    for (const t of temps) {
      try {
        unlinkSync(t);
      } catch {
        /* already gone */
      }
    }
    unlock();
    for (const s of SIGNALS) process.off(s, onSignal);
    process.kill(process.pid, signal);
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  return {
    path,
    temps,
    verify() {
      if (readLock(path) !== token) throw new MqttToolError('PASSWORD_FILE_LOCKED', `Lost the lock on password file ${file}; nothing was changed.`);
    },
    release() {
      for (const s of SIGNALS) process.off(s, onSignal);
      unlock();
    },
  };
}
