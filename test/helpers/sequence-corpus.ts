// Where Mosquitto's message-sequence corpus lives in the repository (vendored under
// test/fixtures/mosquitto-sequences with its EPL-2.0 / EDL-1.0 licence files), for
// every suite and script that reads it. Found from the repository root, not from this
// file, because scripts/fuzz-codec.mjs runs it from a bundle elsewhere.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repo root: found from this file, or the working directory when run from a bundle elsewhere. */
export function repoRoot(): string {
  const here = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
  return existsSync(join(here, 'src/codec/index.ts')) ? here : process.cwd();
}

export const SEQUENCES_DIR = join(repoRoot(), 'test/fixtures/mosquitto-sequences');

/** The corpus side's directory (lib: server->client cases, broker: client->server); throws, naming it, when absent. */
export function sequencesDir(side: 'lib' | 'broker', root = SEQUENCES_DIR): string {
  const dir = join(root, side);
  if (!existsSync(dir)) {
    throw new Error(`mosquitto sequence corpus not found at ${dir}: it is vendored in test/fixtures/mosquitto-sequences`);
  }
  return dir;
}
