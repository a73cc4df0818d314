// Inputs for C12: mosquitto's sequence corpus (C10, vendored in
// test/fixtures/mosquitto-sequences) as seeds, and our own committed fuzz
// corpus in test/fixtures/fuzz-corpus (one hex line per file, named by hash).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePayload } from '../helpers/mqtt-bytes.js';
import { repoRoot, SEQUENCES_DIR, sequencesDir } from '../helpers/sequence-corpus.js';

const ROOT = repoRoot();
export const CORPUS_DIR = join(ROOT, 'test/fixtures/fuzz-corpus');
/** Inputs that once broke the codec; kept forever, never pruned by minimisation. */
export const REGRESSIONS_DIR = join(CORPUS_DIR, 'regressions');

interface RawGroup {
  tests: { msgs: { type: string; payload?: string }[] }[];
}

/**
 * Every byte string in the sequence corpus: each sent and expected message on
 * its own, and each test's sent messages as one stream. Throws when absent.
 */
export function loadSequenceSeeds(dir = SEQUENCES_DIR): Uint8Array[] {
  const seen = new Map<string, Uint8Array>();
  const add = (b: Buffer) => {
    if (b.length > 0) seen.set(b.toString('hex'), b);
  };
  for (const side of ['lib', 'broker'] as const) {
    const sideDir = sequencesDir(side, dir);
    for (const file of readdirSync(sideDir).filter((f) => f.endsWith('.json')).sort()) {
      for (const g of JSON.parse(readFileSync(join(sideDir, file), 'utf8')) as RawGroup[]) {
        for (const t of g.tests) {
          const msgs = t.msgs.filter((m) => m.payload !== undefined && (m.type === 'send' || m.type === 'recv'));
          const bytes = msgs.map((m) => parsePayload(m.payload!));
          bytes.forEach(add);
          add(Buffer.concat(bytes.filter((_b, i) => msgs[i]!.type === 'send')));
        }
      }
    }
  }
  return [...seen.values()];
}

function readHexDir(dir: string): Uint8Array[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.hex'))
    .sort()
    .map((f) => Buffer.from(readFileSync(join(dir, f), 'utf8').trim(), 'hex'));
}

/** The committed corpus: coverage entries, then regression inputs. */
export function loadCorpus(): { entries: Uint8Array[]; regressions: Uint8Array[] } {
  return { entries: readHexDir(CORPUS_DIR), regressions: readHexDir(REGRESSIONS_DIR) };
}

const fileName = (hex: string) => `${createHash('sha256').update(hex).digest('hex').slice(0, 16)}.hex`;

/** Replaces the coverage entries with `hexes` (a minimised set); regressions stay. Returns [written, removed]. */
export function saveCorpus(hexes: readonly string[]): [number, number] {
  mkdirSync(CORPUS_DIR, { recursive: true });
  const keep = new Map(hexes.map((h) => [fileName(h), h]));
  let removed = 0;
  for (const f of readdirSync(CORPUS_DIR).filter((n) => n.endsWith('.hex'))) {
    if (!keep.has(f)) {
      rmSync(join(CORPUS_DIR, f));
      removed++;
    }
  }
  let written = 0;
  for (const [name, h] of keep) {
    if (existsSync(join(CORPUS_DIR, name))) continue;
    writeFileSync(join(CORPUS_DIR, name), h + '\n');
    written++;
  }
  return [written, removed];
}

/** Stores an input that broke the codec, for the replay test. */
export function saveRegression(hex: string): string {
  mkdirSync(REGRESSIONS_DIR, { recursive: true });
  const path = join(REGRESSIONS_DIR, fileName(hex));
  writeFileSync(path, hex + '\n');
  return path;
}
