// C12: coverage-guided fuzzing of the codec decoder for N seconds.
//   node scripts/fuzz-codec.mjs [--seconds 60] [--seed <n>] [--no-save]
// Seeds: mosquitto's sequence corpus (test/fixtures/mosquitto-sequences) plus test/fixtures/fuzz-corpus.
// Afterwards the corpus directory holds the minimised set of entries that add
// coverage beyond the seeds; findings are printed and saved as regressions.
// The engine is TypeScript, so it is bundled with esbuild first.
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    seed: { type: 'string' },
    'no-save': { type: 'boolean', default: false },
  },
});
const seconds = Number(values.seconds);
const rngSeed = values.seed === undefined ? (Date.now() ^ process.pid) >>> 0 : Number(values.seed);
if (!Number.isFinite(seconds) || seconds <= 0 || !Number.isFinite(rngSeed)) {
  process.stderr.write('fuzz-codec: --seconds and --seed take numbers\n');
  process.exit(2);
}

// inside node_modules so the bundle's bare imports (esbuild) still resolve
mkdirSync('node_modules/.cache', { recursive: true });
const dir = mkdtempSync(join('node_modules/.cache', 'codec-fuzz-'));
let lib;
try {
  const out = join(dir, 'fuzz-lib.mjs');
  await build({
    stdin: {
      contents: "export * from './test/fuzz/fuzz-host.ts'; export * from './test/fuzz/fuzz-corpus.ts';",
      resolveDir: process.cwd(),
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    platform: 'node',
    packages: 'external',
    outfile: out,
    logLevel: 'warning',
  });
  lib = await import(pathToFileURL(join(process.cwd(), out)).href);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const { entries, regressions } = lib.loadCorpus();
const seeds = [...lib.loadSequenceSeeds(), ...regressions];
process.stderr.write(`fuzz-codec: ${seeds.length} seeds, ${entries.length} corpus entries, ${seconds} s, seed ${rngSeed}\n`);
const show = (s) =>
  `${(s.elapsedMs / 1000).toFixed(0)} s: ${s.execs} execs (${Math.round(s.execs / (s.elapsedMs / 1000))}/s), ` +
  `blocks ${s.blocksCovered}/${s.blocksKnown}, features ${s.features}, queue ${s.queue}`;
const report = await lib.runFuzzer({
  seeds,
  corpus: entries,
  budgetMs: seconds * 1000,
  rngSeed,
  onProgress: (s) => process.stderr.write(`  ${show(s)}\n`),
});
process.stdout.write(`${show(report)}; ${report.added.length} corpus entries add coverage\n`);
if (!values['no-save'] && report.added.length > 0) {
  const [written, removed] = lib.saveCorpus(report.added);
  process.stdout.write(`corpus: ${written} written, ${removed} removed (${lib.CORPUS_DIR})\n`);
}
for (const f of report.findings) {
  process.stdout.write(`\nFINDING: ${f.message}\ninput: ${f.input}\n`);
  if (!values['no-save']) process.stdout.write(`saved as ${lib.saveRegression(f.input)}\n`);
}
process.exitCode = report.findings.length > 0 ? 1 : 0;
