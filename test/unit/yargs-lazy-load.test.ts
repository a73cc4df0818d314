// yargs (and its cliui, string-width, y18n, yargs-parser) is for --help and
// --completion-script only: no tool may reach it through a static import, since
// loading it costs more than a whole publish. Mirrors transport-lazy-load.test.ts.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { staticClosure } from '../helpers/bundle-graph.js';

const root = resolve(import.meta.dirname, '../..');
const YARGS = [/node_modules\/(yargs|yargs-parser|cliui|string-width|y18n)\//, /src\/cli\/shared\/yargs-help\.ts$/];
const TOOLS = ['pub', 'sub', 'passwd'] as const;

describe('lazy yargs', () => {
  const out = mkdtempSync(join(tmpdir(), 'lazy-yargs-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('no tool entry reaches yargs, cliui, string-width or yargs-help.ts statically; yargs-help.ts is in an on-demand chunk', async () => {
    const r = await build({
      entryPoints: Object.fromEntries(TOOLS.map((t) => [t, join(root, `src/cli/${t}/main.ts`)])),
      bundle: true, splitting: true, format: 'esm', platform: 'node', outdir: out, metafile: true, write: false,
      external: ['bufferutil', 'utf-8-validate'], logLevel: 'silent',
    });
    const meta = r.metafile;
    for (const tool of TOOLS) {
      const entry = Object.keys(meta.outputs).find((k) => meta.outputs[k]?.entryPoint?.endsWith(`src/cli/${tool}/main.ts`));
      expect(entry, tool).toBeDefined();
      const staticInputs = [...staticClosure(meta, entry as string)].flatMap((o) => Object.keys(meta.outputs[o]?.inputs ?? {}));
      expect(staticInputs.some((i) => i.endsWith(`src/cli/${tool}/command.ts`)), tool).toBe(true);
      expect(staticInputs.filter((i) => YARGS.some((re) => re.test(i))), tool).toEqual([]);
    }
    // ...and yargs-help.ts does exist, in a chunk loaded on demand. yargs itself is
    // never bundled: it is reached through importExternal() (src/import-external.ts).
    const allInputs = Object.values(meta.outputs).flatMap((o) => Object.keys(o.inputs));
    expect(allInputs.some((i) => /src\/cli\/shared\/yargs-help\.ts$/.test(i))).toBe(true);
    expect(allInputs.filter((i) => /node_modules\/(yargs|yargs-parser|cliui|string-width|y18n)\//.test(i))).toEqual([]);
  });

  // The shipped binary, when `npm run build` has produced it (npm test always does).
  it.runIf(existsSync(join(root, 'dist/mqtt-pub.js')))('dist/mqtt-pub.js holds no yargs code and imports yargs only dynamically', () => {
    const text = readFileSync(join(root, 'dist/mqtt-pub.js'), 'utf8');
    // String constants of yargs' completion template and of its usage/validation.
    expect(text).not.toMatch(/yargs command completion script|Not enough non-option arguments/);
    // No static import/require of yargs or its helpers (a static one would load them at start-up).
    expect(text).not.toMatch(/(?:from\s*|require\()["'](?:yargs|yargs-parser|cliui|string-width|y18n)["']/);
    // Control: the lazy path is there.
    expect(text).toMatch(/\bimportExternal\(["']yargs["']\)/);
  });
});
