// Lock files for mqtt-passwd's password-file lock and mqtt-pub's spool lock:
// a lock appears complete (a finished file hard-linked into place, so a reader
// never sees it empty), and its owner's pid tells a live lock from a stale one.
import { linkSync, writeFileSync } from 'node:fs';

/** Whether a process with this id exists (EPERM: it does, under another user). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

/**
 * Puts `staging` (already written, holding `text`) in place as `path` unless
 * `path` exists; true when it is now ours. Where the file system has no hard
 * links (vfat, some network mounts) it falls back to an exclusive create.
 */
export function linkIntoPlace(staging: string, path: string, text: string): boolean {
  try {
    linkSync(staging, path);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') return false;
    if (!NO_HARD_LINKS.has(code)) throw e;
  }
  try {
    writeFileSync(path, text, { flag: 'wx', mode: 0o600 });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}
