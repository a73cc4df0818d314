// argv (tokenised by command.ts) → what to do. Pure. Messages and checks are
// mosquitto_passwd 2.0's where it has them (see mosquitto-clients.md §10).
import { flag, str } from '../shared/args.js';
import { ArgvError } from '../shared/argv-error.js';
import { optionName, type PasswdArgs, type PasswdFlag } from './command.js';
import { DEFAULT_BCRYPT_COST, DEFAULT_PBKDF2_ITERATIONS, HASH_TYPES, MAX_PBKDF2_ITERATIONS, type HashSpec, type HashType } from './hash.js';
import { ARGON2_PASSES, MAX_ARGON2_PASSES } from './argon2.js';

/** Where the password of an add/update/check comes from. */
export type PasswordSource = { kind: 'argv'; password: string } | { kind: 'prompt' } | { kind: 'stdin' };

export interface FileOptions {
  file: string;
  /** Edit even when the file is writable by other users. */
  force: boolean;
  /** Follow a symlinked password file to its target (refused otherwise). */
  followSymlinks: boolean;
}

export type PasswdPlan =
  /** `reason`: what was wrong, said on one line before the usage. */
  | { mode: 'usage'; reason?: string }
  | { mode: 'version' }
  | ({ mode: 'set'; username: string; create: boolean; hash: HashSpec; password: PasswordSource } & FileOptions)
  | ({ mode: 'delete'; username: string } & FileOptions)
  | ({ mode: 'convert'; hash: HashSpec } & FileOptions)
  | ({ mode: 'check'; username: string; password: PasswordSource } & FileOptions)
  | ({ mode: 'list'; verbose: boolean } & FileOptions);

export const MAX_FIELD = 65535;

// mosquitto_passwd prints no --help hint after its usage errors.
const usage = (msg: string): ArgvError => new ArgvError(msg, { usageHint: false });

/** Pairs that mosquitto_passwd refuses, plus ours; first match wins, in this order. */
const EXCLUSIVE: Array<[PasswdFlag, PasswdFlag]> = [
  ['create', 'delete'],
  ['create', 'update'],
  ['delete', 'update'],
  ['batch', 'delete'],
  ['stdin', 'batch'],
  ['stdin', 'delete'],
  ['stdin', 'update'],
  ['check', 'create'],
  ['check', 'delete'],
  ['check', 'update'],
  ['check', 'batch'],
  ['list', 'create'],
  ['list', 'delete'],
  ['list', 'update'],
  ['list', 'batch'],
  ['list', 'check'],
  ['list', 'stdin'],
];

const DEFAULT_COST: Record<HashType, number> = {
  'sha512-pbkdf2': DEFAULT_PBKDF2_ITERATIONS,
  sha512: DEFAULT_PBKDF2_ITERATIONS,
  bcrypt: DEFAULT_BCRYPT_COST,
  argon2id: ARGON2_PASSES,
};

/** -H and -I. Neither given: $7$, unless the file already holds argon2id (main.ts asks `followsFile`). */
export function parseHashSpec(hash: string | undefined, iterations: string | undefined): HashSpec & { followsFile?: true } {
  const type = (hash ?? 'sha512-pbkdf2') as HashType;
  if (!HASH_TYPES.includes(type)) throw usage(`Unknown hash type '${hash}'`);
  if (iterations === undefined) return { type, iterations: DEFAULT_COST[type], ...(hash === undefined ? { followsFile: true as const } : {}) };
  // Stricter than mosquitto's atoi(): "5x" is a typo, not 5.
  const n = /^\s*[-+]?\d+\s*$/.test(iterations) ? Number(iterations) : NaN;
  if (Number.isNaN(n)) throw usage(`Invalid number of iterations '${iterations}'.`);
  if (n < 1) throw usage('Number of iterations must be > 0.');
  if (type === 'bcrypt' && (n < 4 || n > 31)) throw usage('The bcrypt cost (-I) must be between 4 and 31.');
  if (type === 'argon2id' && n > MAX_ARGON2_PASSES) throw usage(`The argon2id time cost (-I) must be at most ${MAX_ARGON2_PASSES}.`);
  if ((type === 'sha512-pbkdf2' || type === 'sha512') && n > MAX_PBKDF2_ITERATIONS) throw usage(`Number of iterations must be at most ${MAX_PBKDF2_ITERATIONS}.`);
  return { type, iterations: n };
}

/** mosquitto_passwd's username rules, plus: not empty (2.0.11 writes a line the broker rejects). */
export function checkUsername(username: string): void {
  if (Buffer.byteLength(username) > MAX_FIELD) throw usage('Username must be less than 65536 characters long.');
  if (username === '') throw usage('Username must not be empty.');
  // iscntrl() in the C locale: 0x00-0x1f and 0x7f.
  if (/[\x00-\x1f\x7f]/.test(username)) throw usage('Username must not contain control characters.');
  if (username.includes(':')) throw usage("Username must not contain the ':' character.");
  // The broker would read a comment, or the name without its blanks.
  if (username.startsWith('#')) throw usage("Username must not start with '#': the line would be a comment.");
  if (/^[ \t\v\f]|[ \t\v\f]$/.test(username)) throw usage('Username must not start or end with a blank: the broker would read it without.');
}

export function checkPassword(password: Uint8Array | string): void {
  const size = typeof password === 'string' ? Buffer.byteLength(password) : password.length;
  if (size > MAX_FIELD) throw usage('Password must be less than 65536 characters long.');
}

function fileOptions(args: PasswdArgs, file: string): FileOptions {
  return { file, force: flag(args, 'force'), followSymlinks: flag(args, 'followSymlinks') };
}

/** The "-X argument given but ... missing" checks, in mosquitto's order. */
function checkArity(args: PasswdArgs): void {
  const f = flags(args);
  const n = args.positionals.length;
  if (f.create && f.batch && n < 3) throw usage('-c argument given but password file, username, or password missing.');
  if (f.create && !f.batch && n < 2) throw usage('-c argument given but password file or username missing.');
  if (f.delete && n < 2) throw usage('-D argument given but password file or username missing.');
  if (f.update && n !== 1) throw usage('-U argument given but password file missing.');
  if (f.check && n !== 2) throw usage('--check argument given but password file or username missing.');
  if (f.list && n !== 1) throw usage('--list argument given but password file missing.');
}

/** The flags given, as one record (the plan reads many of them together). */
function flags(args: PasswdArgs): Partial<Record<PasswdFlag, boolean>> {
  const out: Partial<Record<PasswdFlag, boolean>> = {};
  for (const [key, value] of Object.entries(args.values)) if (value === true) out[key as PasswdFlag] = true;
  return out;
}

/** Why these positionals do not fit (none at all: the plain usage, as mosquitto_passwd). */
function positionalsReason(n: number, expected: number): { reason?: string } {
  if (n === 0) return {};
  if (n === 1) return { reason: 'Username missing.' };
  if (n < expected) return { reason: 'Password missing: with -b it is the last argument.' };
  return { reason: `Too many arguments${expected === 2 ? ' (a password on the command line needs -b)' : ''}.` };
}

export function toPasswdPlan(args: PasswdArgs): PasswdPlan {
  if (args.request === 'version') return { mode: 'version' };
  if (args.request === 'help') return args.unknown ? { mode: 'usage', reason: `Unknown option '${args.unknown}'.` } : { mode: 'usage' };
  const hash = parseHashSpec(str(args, 'hash'), str(args, 'iterations'));
  const f = flags(args);
  for (const [a, b] of EXCLUSIVE) if (f[a] && f[b]) throw usage(`${optionName(a)} and ${optionName(b)} cannot be used together.`);
  checkArity(args);
  const [file, username, password] = args.positionals as [string, string | undefined, string | undefined];
  if (f.update) return { mode: 'convert', hash, ...fileOptions(args, file) };
  if (f.list) return { mode: 'list', verbose: !!f.verbose, ...fileOptions(args, file) };
  const expected = f.batch ? 3 : 2;
  if (args.positionals.length !== expected) return { mode: 'usage', ...positionalsReason(args.positionals.length, expected) };
  checkUsername(username as string);
  const source: PasswordSource = f.batch ? { kind: 'argv', password: password as string } : f.stdin ? { kind: 'stdin' } : { kind: 'prompt' };
  if (source.kind === 'argv') checkPassword(source.password);
  const user = { username: username as string, ...fileOptions(args, file) };
  if (f.check) return { mode: 'check', password: source, ...user };
  if (f.delete) return { mode: 'delete', ...user };
  return { mode: 'set', create: !!f.create, hash, password: source, ...user };
}
