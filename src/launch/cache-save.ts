// Writing a tool's code cache: built on its own into dist/launch-save.js, which
// the launcher (code-cache.ts) requires only in a run that writes a cache. The
// launcher is compiled from source at every start; what most runs never do is
// not compiled with it.
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Script } from 'node:vm';
import { align8, onlyOurs } from './cache-format.js';

/** Another build's cache is left alone this long (two installs may be in use), then removed. */
const STALE_MS = 30 * 24 * 3600 * 1000;

function cacheBytes(kinds: readonly string[], data: Buffer): Buffer {
  const text = Buffer.from(kinds.join('\n'), 'utf8');
  const head = Buffer.alloc(align8(4 + text.length));
  head.writeUInt32LE(text.length, 0);
  text.copy(head, 4);
  return Buffer.concat([head, data]);
}

/** Writes the cache atomically and drops the tool's stale caches from other builds. Never fails the run. */
export function save(dir: string, file: string, tool: string, script: Script, kinds: readonly string[]): void {
  const tmp = join(dir, `${file}.${process.pid}.tmp`);
  try {
    const data = cacheBytes(kinds, script.createCachedData());
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Never write into a directory that others can write to (XDG_CACHE_HOME on /tmp, say).
    if (!onlyOurs(statSync(dir))) return;
    try {
      writeFileSync(tmp, data, { mode: 0o600, flag: 'wx' });
      renameSync(tmp, join(dir, file));
    } catch (e) {
      rmSync(tmp, { force: true }); // a full disk must not leave half a cache behind
      throw e;
    }
    for (const old of readdirSync(dir)) {
      if (old === file || !old.startsWith(`${tool}-`)) continue;
      const path = join(dir, old);
      if (Date.now() - statSync(path).mtimeMs > STALE_MS) unlinkSync(path);
    }
  } catch {
    // A read-only or full home only costs the next run its head start.
  }
}
