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
import { constants, fstatSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { readFileBounded, readOpenBounded } from '../bounded-read.js';

/** sha256 prefixes of each tool's bundle, filled in by scripts/build.mjs. */
declare const BUNDLE_IDS: Record<string, string>;

const DIR_NAME = 'mqtt-cli';

/** Where a run finds the launcher's "save the cache now" (set only while a cache is to be written). */
export const SAVE_BEFORE_FLAGS = Symbol.for('mqtt-cli.saveCodeCacheBeforeFlags');

/** Where the cache goes, or undefined when disabled or there is no home to put it in. */
export function cacheDirectory(env: NodeJS.ProcessEnv): string | undefined {
  // NODE_DISABLE_COMPILE_CACHE is Node 22's switch for its own cache; honour it here too.
  if (env.NODE_DISABLE_COMPILE_CACHE || env.MQTT_CLI_NO_CODE_CACHE) return undefined;
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && xdg.startsWith('/')) return join(xdg, DIR_NAME);
  return env.HOME ? join(env.HOME, '.cache', DIR_NAME) : undefined;
}

/** Far above any tool's cache or bundle (~300 KB each); a larger file is not ours to load. */
const MAX_BYTES = 64 * 1024 * 1024;

/** The cache's bytes, if the file exists and only this user could have written it. */
function readTrusted(path: string): Buffer | undefined {
  let fd: number;
  try {
    // O_NONBLOCK: opening a planted FIFO must not wait for a writer; O_NOFOLLOW:
    // a symlink is not our file. Both are checked again with fstat before reading.
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    const uid = process.getuid?.();
    if (!st.isFile() || (uid !== undefined && st.uid !== uid) || (st.mode & 0o022) !== 0) return undefined;
    const r = readOpenBounded(fd, MAX_BYTES);
    return r.complete ? r.data : undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * The bundle's text. scripts/build.mjs makes every bundle pure ASCII, so its
 * bytes are its characters: read in place and taken as Latin-1, it costs about
 * half of readFileSync(..., 'utf8'), which validates and decodes UTF-8.
 */
function readBundle(path: string): string {
  const r = readFileBounded(path, MAX_BYTES);
  if (!r.complete) throw new Error(`${path} is larger than ${MAX_BYTES} bytes: not a bundle of this package`);
  return r.data.toString('latin1');
}

/** Another build's cache is left alone this long (two installs may be in use), then removed. */
const STALE_MS = 30 * 24 * 3600 * 1000;

/** Writes the cache atomically and drops the tool's stale caches from other builds. Never fails the run. */
function save(dir: string, file: string, tool: string, script: Script): void {
  const tmp = join(dir, `${file}.${process.pid}.tmp`);
  try {
    const data = script.createCachedData();
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Never write into a directory that others can write to (XDG_CACHE_HOME on /tmp, say).
    const st = statSync(dir);
    const uid = process.getuid?.();
    if ((uid !== undefined && st.uid !== uid) || (st.mode & 0o022) !== 0) return;
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

/** Runs dist/<tool>.js as a CommonJS module would run, with the code cache when there is one. */
export function launch(tool: string): void {
  const bundle = join(__dirname, `${tool}.js`);
  const source = readBundle(bundle);
  const dir = cacheDirectory(process.env);
  const file = `${tool}-${BUNDLE_IDS[tool] ?? 'dev'}-${process.version}-${process.arch}.v8`;
  const cachedData = dir ? readTrusted(join(dir, file)) : undefined;
  // __mqttImport: the bundle's import() of chalk, ora, yargs and the like (see
  // src/import-external.ts); Node 20 refuses import() from inside a vm.Script.
  const wrapped = `(function (exports, require, module, __filename, __dirname, __mqttImport) {${source}\n})`;
  const script = new Script(wrapped, { filename: bundle, cachedData });
  // Only a successful run is worth caching: it compiled the functions the next one will call.
  if (dir && (!cachedData || script.cachedDataRejected)) {
    let saved = false;
    const saveOnce = (): void => {
      if (saved) return;
      saved = true;
      save(dir, file, tool, script);
    };
    // V8 refuses a cache made under other V8 flags, and a long run sets some (cli/shared/v8-tiering.ts):
    // it saves through this first, so the cache carries the flags the next run starts with.
    (globalThis as Record<symbol, unknown>)[SAVE_BEFORE_FLAGS] = saveOnce;
    process.once('exit', (code) => {
      if (code === 0) saveOnce();
    });
  }
  const main = script.runInThisContext() as (...args: unknown[]) => void;
  const mod = { exports: {} };
  main.call(mod.exports, mod.exports, require, mod, bundle, __dirname, (specifier: string) => import(specifier));
}
