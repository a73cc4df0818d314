// The bins start their bundle through dist/launch.js with a V8 code cache in
// $XDG_CACHE_HOME/mqtt-cli (src/launch/code-cache.ts). What must hold: a
// successful run leaves a private cache; the next run takes it as it is (an
// accepted cache is not rewritten, so its inode stays, unless the run was of a
// kind the cache has not seen, which adds its functions once); a cache V8 refuses, or
// one someone else could have written, is never used and is replaced; when the
// cache cannot be written or is switched off, the run is unaffected.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cacheDirectory } from '../../src/launch/code-cache.js';
import { startBroker, type Broker } from '../helpers/broker.js';
import { pub, requireBuild, ROOT, type RunResult } from './pub-run.js';

let b: Broker;
let home: string;
let dir: string;

beforeAll(async () => {
  requireBuild();
  b = await startBroker();
});
afterAll(async () => b?.stop());
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'code-cache-'));
  dir = join(home, 'mqtt-cli');
  return () => rmSync(home, { recursive: true, force: true });
});

const publish = (env: NodeJS.ProcessEnv = {}, port = b.port): Promise<RunResult> =>
  pub(['-h', '127.0.0.1', '-p', String(port), '-t', 'cache/t', '-m', 'x'], { env: { XDG_CACHE_HOME: home, ...env } });

function cacheFiles(): string[] {
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.v8'));
  } catch {
    return [];
  }
}

function onlyCache(): { path: string; ino: number; mode: number } {
  const files = cacheFiles();
  expect(files).toHaveLength(1);
  const path = join(dir, files[0] as string);
  const st = statSync(path);
  return { path, ino: st.ino, mode: st.mode & 0o777 };
}

/** The kinds of run a cache file says it holds (its header: u32 LE length, then the kinds a line each). */
function kindsOf(path: string): string[] {
  const buf = readFileSync(path);
  const n = buf.readUInt32LE(0);
  return n === 0 ? [] : buf.toString('utf8', 4, 4 + n).split('\n');
}

const PLAIN = 'host message port topic';

describe('code cache', () => {
  it('a successful run writes a private cache named for the tool, build and Node; the next run uses it unchanged', async () => {
    const first = await publish();
    expect(first.status).toBe(0);
    expect(first.stderr).toBe('');
    const c = onlyCache();
    expect(c.path).toMatch(new RegExp(`mqtt-pub-[0-9a-f]{16}-${process.version}-${process.arch}\\.v8$`));
    expect(c.mode).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);

    const second = await publish();
    expect(second.status).toBe(0);
    expect(second.stderr).toBe('');
    expect(onlyCache().ino).toBe(c.ino); // accepted, so not rewritten
  });

  it('a first run that sets V8 flags (pub -l long enough to cap the young generation) leaves a cache the next run accepts', async () => {
    // V8 refuses a cache made under other flags; the launcher must save it before they change.
    const lines = Array.from({ length: 60_000 }, (_, i) => `line ${i} of a long -l input`).join('\n');
    const first = await pub(['-h', '127.0.0.1', '-p', String(b.port), '-t', 'cache/l', '-l', '-q', '1'], {
      env: { XDG_CACHE_HOME: home },
      stdin: `${lines}\n`,
      timeoutMs: 30_000,
    });
    expect(first.status).toBe(0);
    const [long] = kindsOf(onlyCache().path);
    expect(long).toMatch(/ qos=1 /);
    expect((await publish()).status).toBe(0);
    // Accepted, and the second kind added; a refused cache would be replaced by the second run's alone.
    expect(kindsOf(onlyCache().path)).toEqual([long, PLAIN]);
  });

  it('a run of another kind adds its functions to the cache once; runs of either kind then leave it as it is', async () => {
    expect((await publish()).status).toBe(0);
    const plain = onlyCache();
    const plainSize = statSync(plain.path).size;
    expect(kindsOf(plain.path)).toEqual([PLAIN]);
    const debug = ['-h', '127.0.0.1', '-p', String(b.port), '-t', 'cache/t', '-m', '-5', '-q', '1', '-d', '-u', 'u', '-P', '-secret'];
    const r = await pub(debug, { env: { XDG_CACHE_HOME: home } });
    expect(r.status).toBe(0);
    const both = onlyCache();
    expect(both.ino).not.toBe(plain.ino);
    expect(kindsOf(both.path)).toEqual([PLAIN, 'debug host message password port qos=1 topic username']);
    expect(readFileSync(both.path).includes('secret')).toBe(false); // option names only, never what was typed
    expect(statSync(both.path).size).toBeGreaterThan(plainSize); // -d's formatting functions, QoS 1's acks
    expect((await pub(debug, { env: { XDG_CACHE_HOME: home } })).status).toBe(0);
    expect((await publish()).status).toBe(0);
    expect(onlyCache().ino).toBe(both.ino);
  });

  it('a bundle that names no kind of run writes its cache once, not at every start', async () => {
    // The launcher and a bundle of its own that never reports a kind (cli/shared/run-kind.ts).
    const root = join(home, 'pkg');
    mkdirSync(join(root, 'bin'), { recursive: true });
    mkdirSync(join(root, 'dist'));
    for (const f of ['launch.js', 'launch-save.js', 'package.json']) copyFileSync(join(ROOT, 'dist', f), join(root, 'dist', f));
    writeFileSync(join(root, 'dist', 'mqtt-pub.js'), 'process.exitCode = 0;\n');
    writeFileSync(join(root, 'bin', 'tool.cjs'), 'require("../dist/launch.js").launch("mqtt-pub");\n');
    const start = (): number | null => spawnSync(process.execPath, [join(root, 'bin', 'tool.cjs')], { env: { ...process.env, XDG_CACHE_HOME: home } }).status;
    expect(start()).toBe(0);
    const c = onlyCache();
    expect(kindsOf(c.path)).toEqual([]);
    for (let i = 0; i < 2; i++) {
      expect(start()).toBe(0);
      expect(onlyCache().ino).toBe(c.ino); // each run: a rewrite's inode could be the one a previous rewrite freed
    }
  });

  it('a failed run writes no cache', async () => {
    const r = await publish({}, 1); // nothing listens on port 1
    expect(r.status).not.toBe(0);
    expect(cacheFiles()).toEqual([]);
  });

  it('a cache V8 refuses (garbage) does not change the run and is replaced', async () => {
    expect((await publish()).status).toBe(0);
    const c = onlyCache();
    writeFileSync(c.path, Buffer.alloc(4096, 0x5a));
    const r = await publish();
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const after = onlyCache();
    expect(after.ino).not.toBe(c.ino);
    expect(statSync(after.path).size).toBeGreaterThan(10_000);
  });

  it('a cache others could have written (group-writable) is not used and is replaced', async () => {
    expect((await publish()).status).toBe(0);
    const c = onlyCache();
    chmodSync(c.path, 0o620);
    expect((await publish()).status).toBe(0);
    const after = onlyCache();
    expect(after.ino).not.toBe(c.ino);
    expect(after.mode).toBe(0o600);
  });

  it('a FIFO planted where the cache goes neither hangs the run nor is read', async () => {
    expect((await publish()).status).toBe(0);
    const c = onlyCache();
    rmSync(c.path);
    expect(spawnSync('mkfifo', ['-m', '600', c.path]).status).toBe(0);
    const started = Date.now();
    const r = await pub(['-h', '127.0.0.1', '-p', String(b.port), '-t', 'cache/t', '-m', 'x'], {
      env: { XDG_CACHE_HOME: home },
      timeoutMs: 5000,
    });
    expect(r.status).toBe(0);
    expect(Date.now() - started).toBeLessThan(4000);
    expect(statSync(c.path).isFile()).toBe(true); // replaced by a real cache
  });

  it('NODE_DISABLE_COMPILE_CACHE or MQTT_CLI_NO_CODE_CACHE: no cache is read or written', async () => {
    expect((await publish({ NODE_DISABLE_COMPILE_CACHE: '1' })).status).toBe(0);
    expect((await publish({ MQTT_CLI_NO_CODE_CACHE: '1' })).status).toBe(0);
    expect(cacheFiles()).toEqual([]);
  });

  it('a cache directory others can write to is not written to', async () => {
    mkdirSync(dir, { mode: 0o700 });
    chmodSync(dir, 0o777);
    const r = await publish();
    expect(r.status).toBe(0);
    expect(cacheFiles()).toEqual([]);
  });

  it('an unwritable cache location costs nothing but the cache', async () => {
    const file = join(home, 'not-a-dir');
    writeFileSync(file, '');
    const r = await publish({ XDG_CACHE_HOME: file });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('the cached bundle still loads ESM packages on demand (chalk for colour, yargs for --help)', async () => {
    expect((await publish()).status).toBe(0);
    const coloured = await publish({ FORCE_COLOR: '1' }, 1);
    expect(coloured.status).toBe(1);
    expect(coloured.stderr).toMatch(/^\x1b\[31mError: /);
    const help = await pub(['--help'], { env: { XDG_CACHE_HOME: home } });
    expect(help.status).toBe(1);
    expect(help.stdout.toString()).toMatch(/-h, --host/);
    expect(help.stderr).toBe('');
  });
});

describe('cacheDirectory', () => {
  it('follows XDG_CACHE_HOME (absolute only), then HOME, and honours the switches', () => {
    expect(cacheDirectory({ XDG_CACHE_HOME: '/x', HOME: '/h' })).toBe('/x/mqtt-cli');
    expect(cacheDirectory({ XDG_CACHE_HOME: 'rel', HOME: '/h' })).toBe('/h/.cache/mqtt-cli');
    expect(cacheDirectory({ HOME: '/h' })).toBe('/h/.cache/mqtt-cli');
    expect(cacheDirectory({})).toBeUndefined();
    expect(cacheDirectory({ HOME: '/h', NODE_DISABLE_COMPILE_CACHE: '1' })).toBeUndefined();
    expect(cacheDirectory({ HOME: '/h', MQTT_CLI_NO_CODE_CACHE: '1' })).toBeUndefined();
  });

  it('joins by hand as path.join would for these names: trailing slashes go, the root stays', () => {
    expect(cacheDirectory({ XDG_CACHE_HOME: '/x/y//' })).toBe('/x/y/mqtt-cli');
    expect(cacheDirectory({ XDG_CACHE_HOME: '/' })).toBe('/mqtt-cli');
    expect(cacheDirectory({ HOME: '/h/' })).toBe('/h/.cache/mqtt-cli');
    expect(cacheDirectory({ HOME: '/' })).toBe('/.cache/mqtt-cli');
  });
});
