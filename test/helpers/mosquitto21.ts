// The Mosquitto 2.1 reference build (broker and clients) that `npm run setup` makes from
// vendor/ with scripts/build-mosquitto-2.1.sh, for tests of argon2id password files,
// mosquitto_rr and 2.1-only options. Missing build: a clear error, never a silent skip.
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MOSQUITTO21_NAME = 'mosquitto-2.1-dd2c25c1';

export type Mosquitto21Tool = 'mosquitto' | 'mosquitto_pub' | 'mosquitto_sub' | 'mosquitto_rr' | 'mosquitto_passwd';

export interface Mosquitto21 {
  /** The build directory, holding bin/ and lib/. */
  dir: string;
  /** Absolute path of one of the built programs. */
  bin(name: Mosquitto21Tool): string;
  /** process.env plus LD_LIBRARY_PATH on the build's lib/: without it the clients load Debian's 2.0 libmosquitto. */
  env: NodeJS.ProcessEnv;
}

const TOOLS: readonly Mosquitto21Tool[] = ['mosquitto', 'mosquitto_pub', 'mosquitto_sub', 'mosquitto_rr', 'mosquitto_passwd'];

/** Where the build script puts it (same default and override as scripts/build-mosquitto-2.1.sh). */
export function mosquitto21Dir(): string {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  return process.env.MOSQUITTO21_DIR ?? join(root, '.cache', MOSQUITTO21_NAME);
}

export function mosquitto21Available(): boolean {
  const dir = mosquitto21Dir();
  return TOOLS.every((t) => existsSync(join(dir, 'bin', t)));
}

export function mosquitto21(): Mosquitto21 {
  const dir = mosquitto21Dir();
  const missing = TOOLS.filter((t) => !existsSync(join(dir, 'bin', t)));
  if (missing.length > 0) {
    throw new Error(
      `run npm run setup: Mosquitto 2.1 reference build missing at ${dir} (no ${missing.join(', ')}); ` +
        'scripts/build-mosquitto-2.1.sh builds it from vendor/',
    );
  }
  const lib = join(dir, 'lib');
  const prev = process.env.LD_LIBRARY_PATH;
  return {
    dir,
    bin: (name) => join(dir, 'bin', name),
    env: { ...process.env, LD_LIBRARY_PATH: prev ? `${lib}${delimiter}${prev}` : lib },
  };
}
