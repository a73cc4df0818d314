// A plain TCP publish must not load TLS, WebSocket or SOCKS code: index.ts
// reaches them only through dynamic import(), which esbuild turns into chunks.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const HEAVY = [/node_modules\/ws\//, /node_modules\/socks\//, /src\/client\/transports\/(tls|tls-options|websocket|socks)\.ts$/];

/** Outputs reachable from `entry` through static imports only. */
function staticClosure(meta: Metafile, entry: string): Set<string> {
  const seen = new Set<string>();
  const walk = (out: string): void => {
    if (seen.has(out)) return;
    seen.add(out);
    for (const imp of meta.outputs[out]?.imports ?? []) {
      if (imp.kind === 'import-statement' && !imp.external) walk(imp.path);
    }
  };
  walk(entry);
  return seen;
}

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

  // The shipped binary, when `npm run build` has produced it (npm test always does).
  it.runIf(existsSync(join(root, 'dist/mqtt-pub.js')))('dist/mqtt-pub.js loads no ws or socks code statically', () => {
    const seen = new Set<string>();
    const visit = (file: string): string => {
      if (seen.has(file)) return '';
      seen.add(file);
      const src = readFileSync(file, 'utf8');
      let text = src;
      // Static `import ... from "./x.js"` / `import "./x.js"`, not import("./x.js").
      for (const m of src.matchAll(/(?:^|\n)import\s*(?:[^;("']*?\sfrom\s*)?["'](\.{1,2}\/[^"']+)["']/g)) {
        text += visit(join(dirname(file), m[1] as string));
      }
      return text;
    };
    const text = visit(join(root, 'dist/mqtt-pub.js'));
    // String constants of ws and socks; they must exist somewhere in dist, just not statically reached.
    const markers = [/Sec-WebSocket-Accept/, /Socks5 Authentication failed/];
    const everything = readdirSync(join(root, 'dist/chunks')).map((f) => readFileSync(join(root, 'dist/chunks', f), 'utf8')).join('');
    for (const m of markers) {
      expect(everything).toMatch(m);
      expect(text).not.toMatch(m);
    }
  });
});
