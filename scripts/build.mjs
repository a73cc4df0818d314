// One CommonJS bundle per binary, started by the CommonJS shims in bin/ through dist/launch.js.
// Why CommonJS: a CommonJS entry never starts Node's ESM loader, and one file
// means one read and one compile; together that is about 10 ms of a ~25 ms
// budget over `node -e 0` (measured for one QoS 0 publish, see bench/pub).
// What a plain publish does not need stays out of the start-up path: our own
// lazily imported modules (TLS, WebSocket, SOCKS, help text) become functions
// that run on first use, and the heavy dependencies (ws, socks, chalk, ora,
// bcryptjs, yargs) are not bundled at all but imported from node_modules when
// used, so their code is not even parsed by a plain publish.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { BUNDLE_OPTIONS } from './bundle-options.mjs';

const entries = {
  'mqtt-pub': 'src/cli/pub/main.ts',
  'mqtt-sub': 'src/cli/sub/main.ts',
  'mqtt-passwd': 'src/cli/passwd/main.ts',
  'mqtt-rr': 'src/cli/rr/main.ts',
};
// During development a tool may not exist yet; CI checks all four are present.
const present = Object.fromEntries(Object.entries(entries).filter(([, file]) => existsSync(file)));
if (process.env.CI && Object.keys(present).length !== Object.keys(entries).length) {
  throw new Error('build: a tool entry point is missing');
}

// Build beside dist/ and swap it in, so a running test never sees a half-built dist/.
const next = `dist.next-${process.pid}`;
rmSync(next, { recursive: true, force: true });
mkdirSync(next);
await build({ ...BUNDLE_OPTIONS, entryPoints: present, outdir: next });
// The launcher reads each bundle as Latin-1 (src/launch/code-cache.ts), which is
// right only for pure ASCII: charset 'ascii' escapes strings and identifiers and
// minifying drops comments; this guards an option change that would undo either.
for (const tool of Object.keys(present)) {
  const at = readFileSync(`${next}/${tool}.js`).findIndex((b) => b > 0x7f);
  if (at >= 0) {
    rmSync(next, { recursive: true, force: true });
    throw new Error(`build: ${tool}.js is not ASCII at byte ${at}; the launcher needs ASCII`);
  }
}
// The bins start each bundle through dist/launch.js, which keeps a V8 code
// cache per bundle (src/launch/code-cache.ts); a bundle's hash names its cache,
// so a rebuilt bundle never meets code compiled from another.
const ids = Object.fromEntries(
  Object.keys(present).map((tool) => [
    tool,
    createHash('sha256').update(readFileSync(`${next}/${tool}.js`)).digest('hex').slice(0, 16),
  ]),
);
// Compiled from source at every start (it is what loads the code cache).
await build({
  ...BUNDLE_OPTIONS,
  entryPoints: { launch: 'src/launch/code-cache.ts', 'launch-save': 'src/launch/cache-save.ts' },
  outdir: next,
  define: { BUNDLE_IDS: JSON.stringify(ids) },
  // The launcher requires the cache writer only in a run that writes a cache.
  external: ['./launch-save.js'],
});
// The package is "type": "module"; these .js files are CommonJS.
writeFileSync(`${next}/package.json`, '{ "type": "commonjs" }\n');
const old = `dist.old-${process.pid}`;
if (existsSync('dist')) renameSync('dist', old);
renameSync(next, 'dist');
rmSync(old, { recursive: true, force: true });
