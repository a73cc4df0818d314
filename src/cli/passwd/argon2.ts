// Argon2 hashes in libargon2's encoded form, as Mosquitto 2.1 writes and
// verifies them: $argon2id$v=19$m=47104,t=1,p=1$<salt>$<hash> (unpadded
// base64, 64-byte salt and hash). The arithmetic is hash-wasm's WebAssembly
// build: no compiler or prebuilt binary on the user's machine, ~3x faster than
// pure JS, and only its 32 kB argon2 file is loaded, only when argon2 is used.
import { randomBytes } from 'node:crypto';
import { importExternal } from '../../import-external.js';

export type Argon2Variant = 'argon2id' | 'argon2i' | 'argon2d';

export interface Argon2Params {
  variant: Argon2Variant;
  /** Memory in KiB, passes, lanes. */
  m: number;
  t: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

/** Mosquitto 2.1's parameters (libcommon/password_common.c). */
export const ARGON2_MEMORY_KIB = 47104;
export const ARGON2_PASSES = 1;
export const ARGON2_LANES = 1;
export const ARGON2_SALT_BYTES = 64;
export const ARGON2_HASH_BYTES = 64;
/** Above these a line costs more to check than a password is worth: refused, as a slow-hash DoS. */
export const MAX_ARGON2_MEMORY_KIB = 1024 * 1024;
export const MAX_ARGON2_PASSES = 1000;
const MAX_ARGON2_LANES = 255;

const ENCODED = /^\$(argon2id|argon2i|argon2d)\$v=19\$m=(\d{1,10}),t=(\d{1,10}),p=(\d{1,3})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

/** Unpadded standard base64, exactly as libargon2 writes it. */
function decodeUnpadded(s: string): Buffer | undefined {
  if (s.length % 4 === 1) return undefined;
  const buf = Buffer.from(s, 'base64');
  return buf.toString('base64').replace(/=+$/, '') === s ? buf : undefined;
}

export const encodeUnpadded = (b: Uint8Array): string => Buffer.from(b).toString('base64').replace(/=+$/, '');

/** The parameters of an encoded argon2 hash, or why it is unusable. */
export function parseArgon2(field: string): Argon2Params | { invalid: string } {
  const m = ENCODED.exec(field);
  if (!m) return { invalid: 'expected $argon2id$v=19$m=M,t=T,p=P$salt$hash' };
  const [, variant, mem, t, p, salt64, hash64] = m as unknown as [string, Argon2Variant, string, string, string, string, string];
  const params = { m: Number(mem), t: Number(t), p: Number(p) };
  if (params.p < 1 || params.p > MAX_ARGON2_LANES) return { invalid: `parallelism ${p} is not between 1 and ${MAX_ARGON2_LANES}` };
  if (params.m < 8 * params.p || params.m > MAX_ARGON2_MEMORY_KIB) return { invalid: `memory ${mem} KiB is not between ${8 * params.p} and ${MAX_ARGON2_MEMORY_KIB}` };
  if (params.t < 1 || params.t > MAX_ARGON2_PASSES) return { invalid: `time cost ${t} is not between 1 and ${MAX_ARGON2_PASSES}` };
  const salt = decodeUnpadded(salt64);
  const hash = decodeUnpadded(hash64);
  if (!salt || salt.length < 8) return { invalid: 'the salt is not at least 8 bytes of base64' };
  if (!hash || hash.length < 4) return { invalid: 'the hash is not at least 4 bytes of base64' };
  return { variant, ...params, salt, hash };
}

interface HashWasmArgon2 {
  argon2id(o: Argon2Options): Promise<Uint8Array>;
  argon2i(o: Argon2Options): Promise<Uint8Array>;
  argon2d(o: Argon2Options): Promise<Uint8Array>;
}
interface Argon2Options {
  password: Uint8Array;
  salt: Uint8Array;
  iterations: number;
  parallelism: number;
  memorySize: number;
  hashLength: number;
  outputType: 'binary';
}

let loaded: Promise<HashWasmArgon2> | undefined;
function loadArgon2(): Promise<HashWasmArgon2> {
  // The argon2-only file of hash-wasm (its index loads every algorithm: ~30 ms).
  loaded ??= importExternal<HashWasmArgon2 & { default?: HashWasmArgon2 }>('hash-wasm/dist/argon2.umd.min.js').then((m) => m.default ?? m);
  return loaded;
}

/** The raw argon2 output for these parameters. */
export async function argon2Raw(password: Uint8Array, p: Omit<Argon2Params, 'hash'>, length: number): Promise<Buffer> {
  const lib = await loadArgon2();
  const out = await lib[p.variant]({
    password,
    salt: p.salt,
    iterations: p.t,
    parallelism: p.p,
    memorySize: p.m,
    hashLength: length,
    outputType: 'binary',
  });
  return Buffer.from(out);
}

/** A new argon2id field with Mosquitto 2.1's parameters (`passes` from -I). */
export async function hashArgon2id(password: Uint8Array, passes = ARGON2_PASSES, salt: Buffer = randomBytes(ARGON2_SALT_BYTES)): Promise<string> {
  const params = { variant: 'argon2id' as const, m: ARGON2_MEMORY_KIB, t: passes, p: ARGON2_LANES, salt };
  const hash = await argon2Raw(password, params, ARGON2_HASH_BYTES);
  return `$argon2id$v=19$m=${params.m},t=${params.t},p=${params.p}$${encodeUnpadded(salt)}$${encodeUnpadded(hash)}`;
}
