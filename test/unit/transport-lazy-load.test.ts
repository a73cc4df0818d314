// A plain TCP publish must not load TLS, WebSocket or SOCKS code: index.ts
// reaches them only through dynamic import(), which the bundle runs on first use
// (test/e2e/pub-lazy-load.test.ts checks the shipped binary's behaviour).
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { staticClosure } from '../helpers/bundle-graph.js';

const root = resolve(import.meta.dirname, '../..');
const HEAVY = [/node_modules\/ws\//, /node_modules\/socks\//, /src\/client\/transports\/(tls|tls-options|websocket|socks)\.ts$/];

describe('lazy transports', () => {
  const out = mkdtempSync(join(tmpdir(), 'lazy-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('the static graph of transports/index.ts holds no TLS, ws or socks code', async () => {
    const r = await build({
      stdin: { contents: "export { openTransport } from './src/client/transports/index.ts';", resolveDir: root, sourcefile: 'entry.ts', loader: 'ts' },
      bundle: true, splitting: true, format: 'esm', platform: 'node', outdir: out, metafile: true, write: false,
      external: ['bufferutil', 'utf-8-validate'], logLevel: 'silent',
    });
    const meta = r.metafile;
    const entry = Object.keys(meta.outputs).find((k) => meta.outputs[k]?.entryPoint !== undefined);
    expect(entry).toBeDefined();
    const reachable = staticClosure(meta, entry as string);
    const staticInputs = [...reachable].flatMap((o) => Object.keys(meta.outputs[o]?.inputs ?? {}));
    const staticExternals = [...reachable].flatMap((o) => (meta.outputs[o]?.imports ?? []).filter((i) => i.external && i.kind === 'import-statement').map((i) => i.path));
    expect(staticInputs.some((i) => i.endsWith('src/client/transports/tcp.ts'))).toBe(true);
    expect(staticInputs.filter((i) => HEAVY.some((re) => re.test(i)))).toEqual([]);
    expect(staticExternals).not.toContain('node:tls');
    // ...and they do exist, in chunks loaded on demand.
    const allInputs = Object.values(meta.outputs).flatMap((o) => Object.keys(o.inputs));
    for (const re of HEAVY) expect(allInputs.some((i) => re.test(i))).toBe(true);
  });
});
