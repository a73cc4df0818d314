// Host side of the coverage fuzzer: bundles the codec and the worker with
// esbuild into a temp dir, runs the worker, and watches it. The worker
// publishes each input before running it, so a hang (no progress for hangMs)
// or a worker death (e.g. out of memory) is reported with the guilty input.
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FuzzReport, FuzzStats } from './coverage-fuzzer.js';
import { repoRoot } from '../helpers/sequence-corpus.js';
import type { WorkerInput } from './fuzz-worker.js';

const ROOT = repoRoot();

export interface RunOptions {
  seeds: Uint8Array[];
  corpus: Uint8Array[];
  budgetMs: number;
  rngSeed: number;
  maxLen?: number;
  /** No new input started for this long means a hang. */
  hangMs?: number;
  onProgress?: (stats: FuzzStats) => void;
}

async function bundle(dir: string): Promise<{ codec: string; worker: string }> {
  const common = { bundle: true, format: 'esm', platform: 'node', target: 'node20.19', logLevel: 'warning' } as const;
  const codec = join(dir, 'codec.mjs');
  const worker = join(dir, 'fuzz-worker.mjs');
  await build({
    ...common,
    stdin: {
      contents: "export * from './src/codec/index.ts'; export { CodecError } from './src/errors.ts';",
      resolveDir: ROOT,
      sourcefile: 'codec-entry.ts',
      loader: 'ts',
    },
    outfile: codec,
  });
  await build({ ...common, entryPoints: [join(ROOT, 'test/fuzz/fuzz-worker.ts')], outfile: worker });
  return { codec, worker };
}

export async function runFuzzer(opts: RunOptions): Promise<FuzzReport> {
  const maxLen = opts.maxLen ?? 2048;
  const hangMs = opts.hangMs ?? 5000;
  const dir = mkdtempSync(join(tmpdir(), 'codec-fuzz-'));
  try {
    const files = await bundle(dir);
    const shared = new SharedArrayBuffer(8 + maxLen);
    const data: WorkerInput = {
      codecUrl: pathToFileURL(files.codec).href,
      seeds: opts.seeds,
      corpus: opts.corpus,
      budgetMs: opts.budgetMs,
      rngSeed: opts.rngSeed,
      maxLen,
      shared,
    };
    // a small heap: allocation that grows with declared lengths dies here instead of swapping
    const worker = new Worker(files.worker, { workerData: data, resourceLimits: { maxOldGenerationSizeMb: 512 } });
    return await watch(worker, shared, hangMs, opts.onProgress);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function currentInput(shared: SharedArrayBuffer): string {
  const len = Atomics.load(new Int32Array(shared, 0, 2), 1);
  return Buffer.from(new Uint8Array(shared, 8, len)).toString('hex');
}

function watch(worker: Worker, shared: SharedArrayBuffer, hangMs: number, onProgress?: (s: FuzzStats) => void): Promise<FuzzReport> {
  const ctl = new Int32Array(shared, 0, 2);
  return new Promise((resolvePromise, reject) => {
    let last = -1;
    let lastChange = Date.now();
    let settled = false;
    const crashReport = (message: string): FuzzReport => ({
      execs: Atomics.load(ctl, 0),
      elapsedMs: 0,
      blocksCovered: 0,
      blocksKnown: 0,
      features: 0,
      queue: 0,
      added: [],
      findings: [{ message, input: currentInput(shared) }],
    });
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearInterval(timer);
      fn();
    };
    const timer = setInterval(() => {
      const n = Atomics.load(ctl, 0);
      if (n !== last) {
        last = n;
        lastChange = Date.now();
      } else if (Date.now() - lastChange > hangMs) {
        const report = crashReport(`hang: one input ran for more than ${hangMs} ms`);
        finish(() => void worker.terminate().then(() => resolvePromise(report)));
      }
    }, 100);
    worker.on('message', (m: { kind: string; stats?: FuzzStats; report?: FuzzReport }) => {
      if (m.kind === 'progress') onProgress?.(m.stats!);
      else if (m.kind === 'done') finish(() => resolvePromise(m.report!));
    });
    worker.on('error', (e: Error & { code?: string }) => {
      // before the first input it is our bug (bundling, inspector), not a finding
      if (Atomics.load(ctl, 0) === 0) finish(() => reject(e));
      else finish(() => resolvePromise(crashReport(`worker died: ${e.code ?? e.name}: ${e.message}`)));
    });
    worker.on('exit', (code) => finish(() => reject(new Error(`fuzz worker exited (${code}) without a report`))));
  });
}
