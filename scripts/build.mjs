// One esbuild bundle per binary. Splitting keeps dynamically imported pieces
// (TLS, WebSocket, SOCKS, help text, spinners, bcrypt) in chunks loaded on demand.
import { build } from 'esbuild';
import { existsSync, rmSync } from 'node:fs';

const entries = {
  'mqtt-pub': 'src/cli/pub/main.ts',
  'mqtt-sub': 'src/cli/sub/main.ts',
  'mqtt-passwd': 'src/cli/passwd/main.ts',
};
// During development a tool may not exist yet; CI checks all three are present.
const present = Object.fromEntries(Object.entries(entries).filter(([, file]) => existsSync(file)));
if (process.env.CI && Object.keys(present).length !== Object.keys(entries).length) {
  throw new Error('build: a tool entry point is missing');
}

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: present,
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  chunkNames: 'chunks/[name]-[hash]',
  // ws's optional native accelerators are not installed; ws falls back to JS.
  external: ['bufferutil', 'utf-8-validate'],
  banner: {
    // Some CommonJS dependencies call require(); give the ESM bundle one.
    js: "import { createRequire as __mqttCreateRequire } from 'node:module'; const require = __mqttCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
  legalComments: 'none',
});
