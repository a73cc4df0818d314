// The code cache file, as the launcher (code-cache.ts) reads it and cache-save.ts
// writes it. Built into both dist/launch.js and dist/launch-save.js.
//
// Layout: kinds text length (u32 LE), the kinds ('\n'-separated, UTF-8), zero
// padding to 8 bytes (V8 copies a cache that is not pointer-aligned), V8's bytes.
// A "kind" is what cli/shared/run-kind.ts says of a run (its option keys, -q, -V):
// V8 caches what a run compiled, so a cache made by one kind of run lacks
// functions another calls, and a run of a kind the cache has not seen writes it
// again with its own functions added, once.
import type { Stats } from 'node:fs';

export const DIR_NAME = 'mqtt-cli';

/** Kinds recorded per cache, at most; beyond, the cache is kept as it is. */
export const MAX_KINDS = 16;
export const MAX_KIND_LENGTH = 512;

export const align8 = (n: number): number => (n + 7) & ~7;

/** Owned by this user and writable by nobody else: V8 runs cached code without checking it. */
export function onlyOurs(st: Stats): boolean {
  const uid = process.getuid?.();
  return (uid === undefined || st.uid === uid) && (st.mode & 0o022) === 0;
}
