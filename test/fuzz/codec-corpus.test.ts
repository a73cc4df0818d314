// C12: coverage-guided fuzzing of the decoder. Replays the committed fuzz corpus
// (test/fixtures/fuzz-corpus, grown by `node scripts/fuzz-codec.mjs`) and the C10
// seeds (mosquitto's sequence corpus, vendored in test/fixtures/mosquitto-sequences)
// through the oracle, then runs the coverage-guided fuzzer for ~10 s with a fixed
// seed. Any oracle failure, hang or runaway allocation fails the suite; the seeded
// parts fail, loudly, when the vendored data is missing.
import { describe, expect, it } from 'vitest';
import { decodePacket, encodePacket, FrameDecoder } from '../../src/codec/index.js';
import { CodecError } from '../../src/errors.js';
import { loadCorpus, loadSequenceSeeds } from './fuzz-corpus.js';
import { runFuzzer } from './fuzz-host.js';
import { makeOracle } from './fuzz-oracle.js';

const RNG_SEED = 20261125;
const BUDGET_MS = Number(process.env.CODEC_FUZZ_MS ?? 10_000);
const oracle = makeOracle({ decodePacket, encodePacket, FrameDecoder, CodecError });
const { entries, regressions } = loadCorpus();

function failures(inputs: readonly Uint8Array[]): string[] {
  const out: string[] = [];
  for (const input of inputs) {
    try {
      oracle(input);
    } catch (e) {
      out.push(`${Buffer.from(input).toString('hex')}: ${(e as Error).message}`);
    }
  }
  return out;
}

describe('C12: coverage-guided decoder fuzzing', () => {
  it(`the committed corpus (${entries.length} entries, ${regressions.length} regressions) passes the oracle`, () => {
    expect(entries.length).toBeGreaterThan(100);
    expect(failures([...entries, ...regressions])).toEqual([]);
  });

  it('the C10 seeds (mosquitto sequence corpus) pass the oracle', () => {
    const seeds = loadSequenceSeeds(); // throws, naming the path, when the vendored data is absent
    expect(seeds.length).toBeGreaterThan(1000);
    expect(failures(seeds)).toEqual([]);
  });

  it(`a ${BUDGET_MS / 1000} s coverage-guided run from the seeds and corpus finds nothing`, async () => {
    const report = await runFuzzer({
      seeds: [...loadSequenceSeeds(), ...regressions],
      corpus: entries,
      budgetMs: BUDGET_MS,
      rngSeed: RNG_SEED,
    });
    const found = report.findings.map((f) => `${f.message}\ninput: ${f.input}`);
    expect(found, found.join('\n\n')).toEqual([]);
    // the seeds and corpus alone reach this much of the codec; less means the coverage feedback broke
    expect(report.blocksCovered).toBeGreaterThan(550);
    expect(report.execs).toBeGreaterThan(report.queue);
  }, 60_000);
});
