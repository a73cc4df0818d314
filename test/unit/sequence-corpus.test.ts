// The vendored Mosquitto sequence corpus is all here, with its licence: C10, C12
// and the client corpus suite read it, and a clone of the repository alone must pass.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SEQUENCES_DIR, sequencesDir } from '../helpers/sequence-corpus.js';

const jsonFiles = (side: 'lib' | 'broker') => readdirSync(sequencesDir(side)).filter((f) => f.endsWith('.json'));

describe('vendored mosquitto sequence corpus', () => {
  it('lives in test/fixtures/mosquitto-sequences, inside the repository', () => {
    expect(SEQUENCES_DIR.replaceAll('\\', '/')).toMatch(/\/test\/fixtures\/mosquitto-sequences$/);
  });

  it('carries its licence (EPL-2.0 OR BSD-3-Clause) and README', () => {
    const missing = ['LICENSE.txt', 'epl-v20', 'edl-v10', 'README.md'].filter((f) => !existsSync(join(SEQUENCES_DIR, f)));
    expect(missing).toEqual([]);
    expect(readFileSync(join(SEQUENCES_DIR, 'LICENSE.txt'), 'utf8')).toContain('EPL-2.0 OR BSD-3-Clause');
  });

  it('holds the client-side (lib) and server-side (broker) data files', () => {
    expect(jsonFiles('lib')).toHaveLength(13);
    expect(jsonFiles('broker')).toHaveLength(20);
    for (const side of ['lib', 'broker'] as const) {
      for (const f of jsonFiles(side)) {
        const groups = JSON.parse(readFileSync(join(sequencesDir(side), f), 'utf8')) as { tests?: unknown[] }[];
        expect(groups.length, `${side}/${f}`).toBeGreaterThan(0);
        expect(groups.every((g) => Array.isArray(g.tests)), `${side}/${f}`).toBe(true);
      }
    }
  });

  it('names a missing side in its error', () => {
    expect(() => sequencesDir('lib', join(SEQUENCES_DIR, 'nowhere'))).toThrow(/mosquitto sequence corpus not found at .*nowhere/);
  });
});
