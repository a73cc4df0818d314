// What a shipped binary loads: a preloaded probe lists, at exit, the builtins
// and node_modules packages the process loaded (pub- and rr-lazy-load tests).
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const probe = join(mkdtempSync(join(tmpdir(), 'lazy-probe-')), 'probe.cjs');
writeFileSync(
  probe,
  `const made = [];
  for (const name of ['stdout', 'stderr']) {
    const own = Object.getOwnPropertyDescriptor(process, name);
    Object.defineProperty(process, name, { configurable: true, enumerable: true, get() { if (!made.includes(name)) made.push(name); return own.get.call(process); } });
  }
  process.on('exit', () => {
    const streams = [...made];
    const builtins = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13));
    const pkgs = new Set();
    for (const f of Object.keys(require.cache)) { const m = /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(f); if (m) pkgs.add(m[1]); }
    process.stderr.write('LOADED ' + JSON.stringify({ builtins, pkgs: [...pkgs], streams }) + '\\n');
  });\n`,
);

export interface Loaded {
  status: number | null;
  builtins: string[];
  pkgs: string[];
  /** Which of process.stdout and process.stderr the run created (the probe's own exit line aside). */
  streams: string[];
}

/** Runs bin/<tool>.js with `args` under the probe (asynchronously: a responder in the test may have to answer it). */
export async function loaded(tool: string, args: string[]): Promise<Loaded> {
  const proc = spawn(process.execPath, ['--require', probe, join(root, `bin/${tool}.js`), ...args], {
    env: { ...process.env, NO_COLOR: '1', XDG_CONFIG_HOME: '/nonexistent-mqtt-cli-test' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const status = await new Promise<number | null>((r) => proc.on('close', r));
  const line = stderr.split('\n').find((l) => l.startsWith('LOADED '));
  if (!line) throw new Error(`no probe output; stderr: ${stderr}`);
  return { status, ...JSON.parse(line.slice(7)) };
}

/** Builtins that only TLS, WebSocket or worker code would load. */
export const HEAVY_BUILTINS = /^(tls|_tls_wrap|http|https|zlib|worker_threads)$/;
