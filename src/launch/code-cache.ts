// Starts a tool's bundle with a V8 code cache. Parsing and compiling the
// ~200 KB bundle, and then each function on its first call, is about half of
// what a one-message mqtt-pub costs over `node -e 0`; with the bytes V8
// produced last time it skips both. Node 22 offers module.enableCompileCache()
// for this; Node 20 does not, so we do the same by hand: compile the bundle with
// vm.Script, give V8 last run's cache, and when there was none (or V8 refused
// it: another Node, other flags) write a new one at exit.
// Node 22/24's module.enableCompileCache() was measured in its place (bench/issue14):
// 3-5 ms slower per one-message publish (38.9 vs 35.5 ms on 22.23, 41.6 vs 36.5 on
// 24.22), as its cache is made right after compiling and so lacks every function
// the run then compiled lazily; ours is made at exit. So ours stays on every Node.
//
// Built on its own into dist/launch.js (CommonJS, not cached itself: it is tiny).
// The cache lives in the user's cache directory, one file per tool, build and
// Node version; it is only read when the user owns it and nobody else can write
// it, since V8 runs cached code without re-checking it against the source.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { Script } from 'node:vm';
import { DIR_NAME, MAX_KIND_LENGTH, MAX_KINDS, align8, onlyOurs } from './cache-format.js';
import { RUN_KIND, SAVE_BEFORE_FLAGS } from './hooks.js';

/** sha256 prefixes of each tool's bundle, filled in by scripts/build.mjs. */
declare const BUNDLE_IDS: Record<string, string>;

// Paths are joined by hand and Buffer's own latin1Write/latin1Slice/utf8Slice
// (on Node 20-24, undocumented) used where present: node:path's join and
// Buffer's write/toString are JavaScript that a start compiles on first use
// and a one-message publish otherwise never calls (with the cache writer moved
// to launch-save.js: 1.2 M instructions fewer per start, callgrind).
type FastBuffer = Buffer & {
  latin1Write?(text: string, at: number): number;
  latin1Slice?(start: number, end: number): string;
  utf8Slice?(start: number, end: number): string;
};
const writeLatin1 = (buf: FastBuffer, text: string, at: number): number =>
  buf.latin1Write ? buf.latin1Write(text, at) : buf.write(text, at, 'latin1');
const latin1 = (buf: FastBuffer, start: number, end: number): string =>
  buf.latin1Slice ? buf.latin1Slice(start, end) : buf.toString('latin1', start, end);
const utf8 = (buf: FastBuffer, start: number, end: number): string =>
  buf.utf8Slice ? buf.utf8Slice(start, end) : buf.toString('utf8', start, end);

/** `dir` without trailing slashes, then '/', then `name`. */
function under(dir: string, name: string): string {
  let end = dir.length;
  while (end > 0 && dir.charCodeAt(end - 1) === 0x2f) end--;
  return `${dir.slice(0, end)}/${name}`;
}

/** Where the cache goes, or undefined when disabled or there is no home to put it in. */
export function cacheDirectory(env: NodeJS.ProcessEnv): string | undefined {
  // NODE_DISABLE_COMPILE_CACHE is Node 22's switch for its own cache; honour it here too.
  if (env.NODE_DISABLE_COMPILE_CACHE || env.MQTT_CLI_NO_CODE_CACHE) return undefined;
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && xdg.startsWith('/')) return under(xdg, DIR_NAME);
  return env.HOME ? under(under(env.HOME, '.cache'), DIR_NAME) : undefined;
}

/** Far above any tool's cache or bundle (~300 KB each); a larger file is not ours to load. */
const MAX_BYTES = 64 * 1024 * 1024;

/** The cache file, open, with its size, if it exists and only this user could have written it. */
function openTrusted(path: string): { fd: number; size: number } | undefined {
  let fd: number;
  try {
    // O_NOFOLLOW: not through a planted symlink; O_NONBLOCK: a planted FIFO must not hang the open.
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    if (st.isFile() && onlyOurs(st) && st.size <= MAX_BYTES) return { fd, size: st.size };
  } catch {
    // unreadable: no cache
  }
  closeSync(fd);
  return undefined;
}

/** Reads the file's `size` bytes into buf from `at`; false when it holds another number of bytes (it changed meanwhile). */
function readExactly(fd: number, buf: Buffer, at: number, size: number): boolean {
  const end = at + size;
  let n: number;
  do {
    // Up to one byte more than expected: that byte tells a file that grew.
    n = readSync(fd, buf, at, end + 1 - at, null);
    at += n;
  } while (n > 0 && at <= end);
  return at === end;
}

/** A cache file (layout: cache-format.ts): the kinds of run whose functions it holds, then V8's bytes. */
interface CacheFile {
  kinds: string[];
  data: Buffer;
}

function parseCache(buf: Buffer): CacheFile | undefined {
  if (buf.length < 4) return undefined;
  const n = (buf[0]! | (buf[1]! << 8) | (buf[2]! << 16)) + buf[3]! * 0x1000000; // u32 LE
  const start = align8(4 + n);
  if (n > MAX_KINDS * (MAX_KIND_LENGTH + 1) || start >= buf.length) return undefined;
  // The inverse of cache-save.ts's join('\n'): [''] (a run that named no kind) reads back as [''], not [].
  return { kinds: utf8(buf, 4, 4 + n).split('\n'), data: buf.subarray(start) };
}

/** The cache's bytes, read into buf; undefined when unreadable or changed meanwhile: a cache never fails a run. */
function readCache(trusted: { fd: number; size: number }, buf: Buffer): CacheFile | undefined {
  try {
    return readExactly(trusted.fd, buf, 0, trusted.size) ? parseCache(buf.subarray(0, trusted.size)) : undefined;
  } catch {
    return undefined;
  }
}

// The bundle runs as the body of this function, as a CommonJS module's does.
// __mqttImport: the bundle's import() of chalk, ora, yargs and the like (see
// src/import-external.ts); Node 20 refuses import() from inside a vm.Script.
const HEAD = '(function (exports, require, module, __filename, __dirname, __mqttImport) {';
const TAIL = '\n})';

/**
 * The bundle's text, wrapped, and the cache's bytes, through one buffer: read
 * once more, the bundle's 200 KB would be a second buffer, and wrapped by
 * concatenation, a third copy (V8 flattens it), each on fresh pages that a start
 * pays ~3 us apiece to touch (perf stat: 100 page faults of ~2,770 fewer).
 * scripts/build.mjs makes every bundle pure ASCII, so its bytes are its
 * characters: taken as Latin-1, they cost half of a UTF-8 decode.
 */
function readSources(bundle: string, cacheFile: string | undefined, retries = 1): { source: string; cache: CacheFile | undefined } {
  const trusted = cacheFile === undefined ? undefined : openTrusted(cacheFile);
  try {
    const fd = openSync(bundle, 'r');
    try {
      const size = fstatSync(fd).size;
      if (size > MAX_BYTES) throw new Error(`${bundle} is larger than ${MAX_BYTES} bytes: not a bundle of this package`);
      const length = HEAD.length + size + TAIL.length;
      const buf = Buffer.allocUnsafeSlow(Math.max(length, trusted?.size ?? 0) + 1);
      writeLatin1(buf, HEAD, 0);
      if (!readExactly(fd, buf, HEAD.length, size)) {
        // Changed while read (an install in progress): read again as it is now, without a cache made for another.
        if (retries === 0) throw new Error(`${bundle} keeps changing while it is read`);
        return readSources(bundle, undefined, retries - 1);
      }
      writeLatin1(buf, TAIL, HEAD.length + size);
      const source = latin1(buf, 0, length);
      // The bundle's bytes are a string now: the cache may take their place.
      return { source, cache: trusted && readCache(trusted, buf) };
    } finally {
      closeSync(fd);
    }
  } finally {
    if (trusted) closeSync(trusted.fd);
  }
}

/** A run that adds its kind to an existing cache does so only when it ended within this many seconds. */
const ADD_WITHIN_S = 10;

/** Writes the cache (dist/launch-save.js, loaded only by a run that writes one). */
function save(dir: string, file: string, tool: string, script: Script, kinds: readonly string[]): void {
  try {
    (require('./launch-save.js') as typeof import('./cache-save.js')).save(dir, file, tool, script, kinds);
  } catch {
    // A cache never fails a run.
  }
}

/** Runs dist/<tool>.js as a CommonJS module would run, with the code cache when there is one. */
export function launch(tool: string): void {
  const bundle = `${__dirname}/${tool}.js`;
  const dir = cacheDirectory(process.env);
  const file = `${tool}-${BUNDLE_IDS[tool] ?? 'dev'}-${process.version}-${process.arch}.v8`;
  const { source, cache } = readSources(bundle, dir && `${dir}/${file}`);
  const script = new Script(source, { filename: bundle, ...(cache ? { cachedData: cache.data } : {}) });
  if (!dir) return run(script, bundle);
  const fresh = !cache || script.cachedDataRejected === true;
  let saved = false;
  const saveOnce = (): void => {
    if (saved) return;
    saved = true;
    const told = (globalThis as Record<symbol, unknown>)[RUN_KIND];
    const kind = typeof told === 'string' ? told.slice(0, MAX_KIND_LENGTH).split('\n').join(' ') : '';
    if (fresh) save(dir, file, tool, script, [kind]);
    else if (!cache.kinds.includes(kind) && cache.kinds.length < MAX_KINDS) save(dir, file, tool, script, [...cache.kinds, kind]);
  };
  // V8 refuses a cache made under other V8 flags, and a long run sets some (cli/shared/v8-tiering.ts):
  // it saves through this first, so the cache carries the flags the next run starts with.
  (globalThis as Record<symbol, unknown>)[SAVE_BEFORE_FLAGS] = saveOnce;
  // Only a successful run is worth caching: it compiled the functions the next one will call.
  // V8 drops the bytecode of functions long unused (a long subscription), so a long run only
  // adds to a cache when it saved before its flags changed; a first cache is better than none.
  process.on('exit', (code) => {
    if (code === 0 && (fresh || process.uptime() < ADD_WITHIN_S)) saveOnce();
  });
  run(script, bundle);
}

function run(script: Script, bundle: string): void {
  const main = script.runInThisContext() as (...args: unknown[]) => void;
  const mod = { exports: {} };
  main.call(mod.exports, mod.exports, require, mod, bundle, __dirname, (specifier: string) => import(specifier));
}
