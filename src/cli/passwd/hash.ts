// Password hashes as Mosquitto brokers (2.0: $6$, $7$; 2.1: argon2id too) or a
// bcrypt auth plugin read them. Pure apart from node:crypto: no files, no argv, no terminal.
import { createHash, pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { MqttToolError } from '../../errors.js';
import { pbkdf2Many } from './hash-pool.js';
import { importExternal } from '../../import-external.js';
import { argon2Raw, hashArgon2id, parseArgon2, type Argon2Params } from './argon2.js';

export type HashType = 'sha512' | 'sha512-pbkdf2' | 'bcrypt' | 'argon2id';
export const HASH_TYPES: readonly HashType[] = ['sha512-pbkdf2', 'argon2id', 'sha512', 'bcrypt'];
export interface HashSpec {
  type: HashType;
  /** PBKDF2 iterations, the bcrypt cost, or argon2id's passes (t); unused by sha512. */
  iterations: number;
}

/** The 2.0.x broker drops an entry whose salt is not exactly 12 bytes. */
export const SALT_BYTES = 12;
export const HASH_BYTES = 64;
/** OWASP's figure for PBKDF2-HMAC-SHA512, and Mosquitto 2.1's default. */
export const DEFAULT_PBKDF2_ITERATIONS = 210_000;
export const DEFAULT_BCRYPT_COST = 10;
/** Counts read from a file above this are refused: a slow-hash DoS, not a password. */
export const MAX_PBKDF2_ITERATIONS = 10_000_000;
/** bcrypt ignores every byte after the 72nd. */
export const BCRYPT_MAX_BYTES = 72;

export type ParsedHash =
  | { kind: 'sha512'; salt: Buffer; hash: Buffer }
  | { kind: 'sha512-pbkdf2'; iterations: number; salt: Buffer; hash: Buffer }
  | { kind: 'bcrypt'; cost: number; encoded: string }
  | ({ kind: 'argon2' } & Argon2Params)
  /** Shaped like $6$/$7$ but unusable (bad base64, lengths, iteration count). */
  | { kind: 'invalid'; scheme: string; reason: string }
  /** Some other `$scheme$...` hash: kept, never verified. */
  | { kind: 'unknown'; scheme: string }
  | { kind: 'plain' };

const B64 = /^[A-Za-z0-9+/]*={0,2}$/;
const BCRYPT = /^\$2[abxy]\$(\d\d)\$[./A-Za-z0-9]{53}$/;
const ARGON2 = /^\$argon2(?:id|i|d)\$/;
const OTHER_SCHEME = /^\$([A-Za-z0-9-]{1,32})\$[A-Za-z0-9./+=$,-]{8,}$/;

/** Standard base64 with padding, as OpenSSL writes it; anything else is not ours. */
export function decodeBase64Strict(s: string): Buffer | undefined {
  if (s.length === 0 || s.length % 4 !== 0 || !B64.test(s)) return undefined;
  const buf = Buffer.from(s, 'base64');
  return buf.toString('base64') === s ? buf : undefined;
}

/** Classifies the hash field of a password-file line (already trimmed). */
export function parseHashField(field: string): ParsedHash {
  if (field.startsWith('$6$')) return parseSha512(field);
  if (field.startsWith('$7$')) return parsePbkdf2(field);
  const bcrypt = BCRYPT.exec(field);
  if (bcrypt) return { kind: 'bcrypt', cost: Number(bcrypt[1]), encoded: field };
  if (ARGON2.test(field)) {
    const a = parseArgon2(field);
    return 'invalid' in a ? { kind: 'invalid', scheme: field.slice(1, field.indexOf('$', 1)), reason: a.invalid } : { kind: 'argon2', ...a };
  }
  const other = OTHER_SCHEME.exec(field);
  if (other) return { kind: 'unknown', scheme: other[1] as string };
  return { kind: 'plain' };
}

function parseSha512(field: string): ParsedHash {
  const parts = field.split('$'); // ['', '6', salt, hash]
  if (parts.length !== 4) return { kind: 'invalid', scheme: '6', reason: 'expected $6$salt$hash' };
  const salt = decodeBase64Strict(parts[2] as string);
  const hash = decodeBase64Strict(parts[3] as string);
  if (!salt) return { kind: 'invalid', scheme: '6', reason: 'the salt is not valid base64' };
  if (!hash || hash.length !== HASH_BYTES) return { kind: 'invalid', scheme: '6', reason: 'the hash is not 64 bytes of base64' };
  return { kind: 'sha512', salt, hash };
}

function parsePbkdf2(field: string): ParsedHash {
  const parts = field.split('$'); // ['', '7', iterations, salt, hash]
  if (parts.length !== 5) return { kind: 'invalid', scheme: '7', reason: 'expected $7$iterations$salt$hash' };
  const count = parts[2] as string;
  const iterations = /^\d{1,12}$/.test(count) ? Number(count) : NaN;
  if (!(iterations >= 1 && iterations <= MAX_PBKDF2_ITERATIONS)) {
    return { kind: 'invalid', scheme: '7', reason: `iteration count '${count}' is not between 1 and ${MAX_PBKDF2_ITERATIONS}` };
  }
  const salt = decodeBase64Strict(parts[3] as string);
  const hash = decodeBase64Strict(parts[4] as string);
  if (!salt) return { kind: 'invalid', scheme: '7', reason: 'the salt is not valid base64' };
  if (!hash || hash.length !== HASH_BYTES) return { kind: 'invalid', scheme: '7', reason: 'the hash is not 64 bytes of base64' };
  return { kind: 'sha512-pbkdf2', iterations, salt, hash };
}

/** A label for `--list -v`: the type, its cost, and which brokers read it. */
export function describeHash(p: ParsedHash): string {
  return `${hashLabel(p)}\t${hashReaders(p)}`;
}

function hashLabel(p: ParsedHash): string {
  switch (p.kind) {
    case 'sha512-pbkdf2':
      return `sha512-pbkdf2\t${p.iterations}`;
    case 'bcrypt':
      return `bcrypt\t${p.cost}`;
    case 'argon2':
      return `${p.variant}\tm=${p.m},t=${p.t},p=${p.p}`;
    case 'invalid':
      return `invalid $${p.scheme}$`;
    case 'unknown':
      return `unknown $${p.scheme}$`;
    default:
      return p.kind;
  }
}

/** Which brokers accept an entry of this kind (the one place that says so). */
export function hashReaders(p: ParsedHash): string {
  switch (p.kind) {
    case 'sha512':
      return 'Mosquitto 1.x, 2.x';
    case 'sha512-pbkdf2':
      return 'Mosquitto 2.0+';
    case 'argon2':
      return p.variant === 'argon2id' ? 'Mosquitto 2.1+' : 'no Mosquitto broker';
    case 'bcrypt':
      return 'auth plugins only, no Mosquitto broker';
    default:
      return 'no broker';
  }
}

function pbkdf2Async(password: Buffer, salt: Buffer, iterations: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    pbkdf2(password, salt, iterations, HASH_BYTES, 'sha512', (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export function sha512Digest(password: Buffer, salt: Buffer): Buffer {
  return createHash('sha512').update(password).update(salt).digest();
}

type Bcrypt = typeof import('bcryptjs');
let bcryptModule: Promise<Bcrypt> | undefined;
/** bcryptjs is only loaded by the runs that need it (start-up cost). */
function loadBcrypt(): Promise<Bcrypt> {
  bcryptModule ??= importExternal<Bcrypt>('bcryptjs');
  return bcryptModule;
}

/** bcryptjs hashes a string; refuse bytes that would not survive the UTF-8 round trip. */
function bcryptInput(password: Buffer): string {
  if (password.length > BCRYPT_MAX_BYTES) {
    throw new MqttToolError('UNSUPPORTED_HASH', `bcrypt uses only the first ${BCRYPT_MAX_BYTES} bytes of a password; use -H sha512-pbkdf2 for longer passwords.`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(password);
  } catch {
    throw new MqttToolError('UNSUPPORTED_HASH', 'bcrypt needs a password that is valid UTF-8; use -H sha512-pbkdf2.');
  }
}

/** The hash field for a new entry. `salt` (12 bytes) is fresh random bytes when not given. */
export async function hashPassword(password: Buffer, spec: HashSpec, salt?: Buffer): Promise<string> {
  if (spec.type === 'bcrypt') {
    const bcrypt = await loadBcrypt();
    return bcrypt.hash(bcryptInput(password), await bcrypt.genSalt(spec.iterations));
  }
  if (spec.type === 'argon2id') return hashArgon2id(password, spec.iterations);
  const s = salt ?? randomBytes(SALT_BYTES);
  if (spec.type === 'sha512') return `$6$${s.toString('base64')}$${sha512Digest(password, s).toString('base64')}`;
  return pbkdf2Field(spec.iterations, s, await pbkdf2Async(password, s, spec.iterations));
}

const pbkdf2Field = (iterations: number, salt: Buffer, key: Buffer): string =>
  `$7$${iterations}$${salt.toString('base64')}$${key.toString('base64')}`;

/** Hashes many passwords (for -U); PBKDF2 runs on every core (hash-pool.ts). */
export async function hashMany(passwords: Buffer[], spec: HashSpec, onProgress?: (done: number) => void): Promise<string[]> {
  const n = passwords.length;
  // One call for every salt: thousands of small randomBytes() calls cost more than the hashing at low iteration counts.
  const salts = randomBytes(SALT_BYTES * n);
  const saltOf = (i: number): Buffer => salts.subarray(i * SALT_BYTES, (i + 1) * SALT_BYTES);
  if (spec.type === 'sha512-pbkdf2') {
    const keys = await pbkdf2Many(passwords, salts, spec.iterations, onProgress);
    return passwords.map((_, i) => pbkdf2Field(spec.iterations, saltOf(i), keys.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES)));
  }
  // sha512 is instant; bcryptjs runs on this thread anyway; argon2id (47 MB each) one at a time.
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    out.push(await hashPassword(passwords[i] as Buffer, spec, spec.type === 'bcrypt' ? undefined : saltOf(i)));
    onProgress?.(i + 1);
  }
  return out;
}

/** Length-independent constant-time comparison (digests first, so lengths do not leak). */
function sameBytes(a: Buffer, b: Buffer): boolean {
  const da = createHash('sha512').update(a).digest();
  const db = createHash('sha512').update(b).digest();
  return timingSafeEqual(da, db) && a.length === b.length;
}

/**
 * True when `password` matches the hash field. Throws UNSUPPORTED_HASH for a
 * format we keep but cannot verify (unknown schemes) and
 * PASSWORD_FILE_CORRUPT for a broken $6$/$7$/argon2 entry.
 */
export async function verifyPassword(password: Buffer, field: string): Promise<boolean> {
  const p = parseHashField(field);
  switch (p.kind) {
    case 'sha512':
      return sameBytes(sha512Digest(password, p.salt), p.hash);
    case 'sha512-pbkdf2':
      return sameBytes(await pbkdf2Async(password, p.salt, p.iterations), p.hash);
    case 'bcrypt': {
      if (password.length > BCRYPT_MAX_BYTES) return false;
      const bcrypt = await loadBcrypt();
      return bcrypt.compare(password.toString('utf8'), p.encoded);
    }
    case 'plain':
      return sameBytes(password, Buffer.from(field, 'latin1'));
    case 'argon2':
      return sameBytes(await argon2Raw(password, p, p.hash.length), p.hash);
    case 'unknown':
      throw new MqttToolError('UNSUPPORTED_HASH', `the entry uses an unknown hash format ($${p.scheme}$), which mqtt-passwd cannot verify.`);
    case 'invalid':
      throw new MqttToolError('PASSWORD_FILE_CORRUPT', `the entry's $${p.scheme}$ hash is invalid: ${p.reason}.`);
  }
}
