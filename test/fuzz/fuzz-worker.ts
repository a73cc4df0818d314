// Worker side of the coverage fuzzer (bundled by fuzz-host.ts). Coverage is
// switched on before the codec bundle is imported, so every codec function is
// compiled with block counters; the inspector session sees only this worker.
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { fileURLToPath } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { CoverageTracker, fuzz, type FuzzStats, type PreciseCoverage } from './coverage-fuzzer.js';
import { makeOracle, type CodecApi } from './fuzz-oracle.js';

export interface WorkerInput {
  codecUrl: string;
  seeds: Uint8Array[];
  corpus: Uint8Array[];
  budgetMs: number;
  rngSeed: number;
  maxLen: number;
  /** [execs, current input length] as Int32, then the current input bytes. */
  shared: SharedArrayBuffer;
}

/** Any codec allocation this large for an input of at most maxLen bytes is unbounded growth. */
const ALLOCATION_LIMIT = 1 << 20;

class AllocationGuardError extends Error {
  override name = 'AllocationGuardError';
}

function guardAllocations(): void {
  const check = (n: unknown, what: string) => {
    if (typeof n === 'number' && n > ALLOCATION_LIMIT) throw new AllocationGuardError(`${what}(${n}) for a small input`);
  };
  for (const name of ['alloc', 'allocUnsafe', 'allocUnsafeSlow'] as const) {
    const original = Buffer[name] as (...args: unknown[]) => Buffer;
    (Buffer as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      check(args[0], `Buffer.${name}`);
      return original.apply(Buffer, args);
    };
  }
  const concat = Buffer.concat;
  Buffer.concat = (list: readonly Uint8Array[], total?: number) => {
    check(total ?? list.reduce((n, b) => n + b.length, 0), 'Buffer.concat');
    return concat(list, total);
  };
}

function post<T>(session: Session, method: string, params?: object): T {
  const box: { error: Error | null; result?: T } = { error: null };
  // a same-thread session answers synchronously, inside post()
  session.post(method, params, (error, result) => {
    box.error = error;
    box.result = result as T;
  });
  if (box.error) throw box.error;
  return box.result as T;
}

const input = workerData as WorkerInput;
const session = new Session();
session.connect();
post(session, 'Profiler.enable');
post(session, 'Profiler.startPreciseCoverage', { callCount: true, detailed: true });
const api = (await import(input.codecUrl)) as CodecApi;
guardAllocations();

const ctl = new Int32Array(input.shared, 0, 2);
const current = new Uint8Array(input.shared, 8);
const coverage = new CoverageTracker(() => post<PreciseCoverage>(session, 'Profiler.takePreciseCoverage'), '/codec.mjs');
const report = fuzz({
  seeds: input.seeds,
  corpus: input.corpus,
  budgetMs: input.budgetMs,
  rngSeed: input.rngSeed,
  maxLen: input.maxLen,
  oracle: makeOracle(api),
  coverage,
  onExec: (bytes) => {
    current.set(bytes);
    Atomics.store(ctl, 1, bytes.length);
    Atomics.add(ctl, 0, 1);
  },
  onProgress: (stats: FuzzStats) => parentPort!.postMessage({ kind: 'progress', stats }),
});
session.disconnect();
// CODEC_FUZZ_UNCOVERED=<file>: list the codec bundle's never-run blocks, to see where the fuzzer is stuck
if (process.env.CODEC_FUZZ_UNCOVERED) {
  const src = readFileSync(fileURLToPath(input.codecUrl), 'utf8');
  const lines = coverage.uncovered().sort((a, b) => a - b).map((at) => src.slice(at, at + 100).split('\n')[0]);
  writeFileSync(process.env.CODEC_FUZZ_UNCOVERED, lines.join('\n') + '\n');
}
parentPort!.postMessage({ kind: 'done', report });
