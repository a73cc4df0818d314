// C12 engine: a small coverage-guided fuzzer in plain Node. Coverage comes from
// V8's own block counters (inspector Profiler precise coverage, callCount +
// detailed), taken after every input in a worker whose only profiled code is
// the bundled codec. V8 reports per-range execution counts but merges a block
// into its parent or neighbour when they ran equally often, so a block is known
// by its start offset, every block ever reported is remembered, and each gets
// the count of the innermost reported range around its start. A feature is
// (block, AFL-style hit-count bucket); an input that adds a feature joins the
// queue. No native code, nothing downloaded.
import { mutate, Rng } from './fuzz-mutators.js';

/** What Profiler.takePreciseCoverage returns (the parts we read). */
export interface PreciseCoverage {
  result: { url: string; functions: { ranges: { startOffset: number; endOffset: number; count: number }[] }[] }[];
}

interface Block {
  start: number;
  id: number;
}

/** Hit counts 1, 2, 3, 4-7, 8-15, 16-31, 32-127, 128+ as buckets 0-7. */
function bucket(count: number): number {
  if (count <= 3) return count - 1;
  if (count < 8) return 3;
  if (count < 16) return 4;
  if (count < 32) return 5;
  return count < 128 ? 6 : 7;
}

export class CoverageTracker {
  private readonly blocksByFunction = new Map<number, Block[]>();
  private readonly blockIds = new Map<number, number>();
  private readonly seen = new Set<number>();
  private readonly covered = new Set<number>();

  /** `take` returns precise coverage (and resets V8's counters); only scripts whose URL ends with `urlSuffix` count. */
  constructor(
    private readonly take: () => PreciseCoverage,
    private readonly urlSuffix: string,
  ) {}

  get blocksKnown(): number {
    return this.blockIds.size;
  }
  get blocksCovered(): number {
    return this.covered.size;
  }
  get features(): number {
    return this.seen.size;
  }

  /** Start offsets of the known blocks that never ran. */
  uncovered(): number[] {
    return [...this.blockIds].filter(([, id]) => !this.covered.has(id)).map(([start]) => start);
  }

  /** Features hit since the last call that were never recorded before (not recorded yet: see commit). */
  collect(): number[] {
    const fresh: number[] = [];
    for (const script of this.take().result) {
      if (!script.url.endsWith(this.urlSuffix)) continue;
      for (const fn of script.functions) {
        const ranges = fn.ranges;
        const blocks = this.learn(ranges);
        for (const b of blocks) {
          let count = 0;
          // ranges are sorted by start, outer before inner: the last container is the innermost
          for (const r of ranges) if (r.startOffset <= b.start && b.start < r.endOffset) count = r.count;
          if (count === 0) continue;
          const f = b.id * 8 + bucket(count);
          if (!this.seen.has(f)) fresh.push(f);
        }
      }
    }
    return fresh;
  }

  commit(features: readonly number[]): void {
    for (const f of features) {
      this.seen.add(f);
      this.covered.add(f >> 3);
    }
  }

  private learn(ranges: PreciseCoverage['result'][number]['functions'][number]['ranges']): Block[] {
    const fnStart = ranges[0]!.startOffset;
    let blocks = this.blocksByFunction.get(fnStart);
    if (!blocks) this.blocksByFunction.set(fnStart, (blocks = []));
    for (const r of ranges) {
      if (this.blockIds.has(r.startOffset)) continue;
      const id = this.blockIds.size;
      this.blockIds.set(r.startOffset, id);
      blocks.push({ start: r.startOffset, id });
    }
    return blocks;
  }
}

export interface FuzzStats {
  execs: number;
  elapsedMs: number;
  blocksCovered: number;
  blocksKnown: number;
  features: number;
  queue: number;
}

export interface FuzzFinding {
  message: string;
  input: string; // hex
}

export interface FuzzReport extends FuzzStats {
  /** Corpus entries (committed or new) that added coverage, in the order they did. */
  added: string[];
  findings: FuzzFinding[];
}

export interface FuzzOptions {
  /** Replayed first; they seed the queue but are never reported as additions (they live elsewhere). */
  seeds: readonly Uint8Array[];
  /** The committed corpus, replayed smallest first; those still adding coverage are reported again. */
  corpus: readonly Uint8Array[];
  budgetMs: number;
  rngSeed: number;
  maxLen: number;
  oracle: (input: Uint8Array) => void;
  coverage: CoverageTracker;
  /** Called before each input runs (the host's hang watchdog records it). */
  onExec?: (input: Uint8Array) => void;
  onProgress?: (stats: FuzzStats) => void;
  maxFindings?: number;
}

const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

/** Stable finding signature: the message without numbers, hex or stack, so one bug is one finding. */
function signature(message: string): string {
  return message.split('\n')[0]!.replace(/[0-9a-f]{6,}|\d+/g, '#').slice(0, 160);
}

const BATCH = 16;

export function fuzz(opts: FuzzOptions): FuzzReport {
  const started = performance.now();
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return fuzzLoop(opts, started);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

function fuzzLoop(opts: FuzzOptions, started: number): FuzzReport {
  const deadline = started + opts.budgetMs;
  const rng = new Rng(opts.rngSeed);
  const cov = opts.coverage;
  const queue: Uint8Array[] = [];
  const added: string[] = [];
  const findings = new Map<string, FuzzFinding>();
  let execs = 0;

  /** Runs the oracle; a finding is recorded (smallest input per signature kept) and false returned. */
  const check = (input: Uint8Array): boolean => {
    opts.onExec?.(input);
    execs++;
    try {
      opts.oracle(input);
      return true;
    } catch (first) {
      // stack traces are off while fuzzing (capturing them was a quarter of the time); rerun for one
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 20;
      let e = first;
      try {
        opts.oracle(input);
      } catch (again) {
        e = again;
      } finally {
        Error.stackTraceLimit = limit;
      }
      const err = e as Error;
      const message = err?.name === 'Finding' ? err.message : `${err?.name} escaped the oracle: ${err?.message}\n${err?.stack}`;
      const sig = signature(message);
      const prev = findings.get(sig);
      if (!prev || prev.input.length > input.length * 2) findings.set(sig, { message, input: hex(input) });
      return false;
    }
  };

  /**
   * Taking coverage costs more than running the oracle, so inputs run in batches with one take;
   * only a batch with something new is re-run input by input to find who added it. (A batch sums
   * hit counts, so a lower count bucket that only one input shows can be missed: a price for ~2x.)
   * Returns the inputs that added features.
   */
  const runBatch = (inputs: readonly Uint8Array[]): Uint8Array[] => {
    const ok = inputs.filter(check);
    if (ok.length === 0 || cov.collect().length === 0) return [];
    const adders: Uint8Array[] = [];
    for (const input of ok) {
      check(input);
      const fresh = cov.collect();
      cov.commit(fresh);
      if (fresh.length > 0) adders.push(input);
    }
    return adders;
  };

  const stats = (): FuzzStats => ({
    execs,
    elapsedMs: Math.round(performance.now() - started),
    blocksCovered: cov.blocksCovered,
    blocksKnown: cov.blocksKnown,
    features: cov.features,
    queue: queue.length,
  });

  const seeds = opts.seeds.filter((s) => s.length <= opts.maxLen);
  for (let i = 0; i < seeds.length; i += 32) queue.push(...runBatch(seeds.slice(i, i + 32)));
  for (const c of [...opts.corpus].sort((a, b) => a.length - b.length)) {
    if (runBatch([c]).length > 0) {
      queue.push(c);
      added.push(hex(c));
    }
  }
  if (queue.length === 0) queue.push(new Uint8Array([0x30, 0x00]));

  let lastProgress = performance.now();
  while (performance.now() < deadline && findings.size < (opts.maxFindings ?? 20)) {
    const children: Uint8Array[] = [];
    for (let i = 0; i < BATCH; i++) {
      // half the time a recent entry: new coverage tends to have unexplored neighbours
      const parent = rng.below(2) ? queue[queue.length - 1 - rng.below(Math.min(queue.length, 64))]! : rng.pick(queue);
      children.push(mutate(rng, parent, rng.pick(queue), opts.maxLen));
    }
    for (const child of runBatch(children)) {
      queue.push(child);
      added.push(hex(child));
    }
    if (opts.onProgress && performance.now() - lastProgress > 2000) {
      lastProgress = performance.now();
      opts.onProgress(stats());
    }
  }
  return { ...stats(), added, findings: [...findings.values()] };
}
