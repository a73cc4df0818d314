// Arguments are bytes. Node decodes argv as UTF-8 and turns every invalid byte
// into U+FFFD, so `-m $'\xff\xfe'` would publish EF BF BD EF BF BD. When an
// argument holds U+FFFD we read the exact bytes back from /proc/self/cmdline
// and decode them "surrogate-escaped" (as Python does): each byte that is not
// valid UTF-8 becomes a lone surrogate U+DC80..U+DCFF. Every string option then
// works unchanged; binary fields (-m, -P, --will-payload, binary properties)
// turn the escapes back into the original bytes with argBytes(), and text fields
// (topics, -u, -i) refuse them, because a lone surrogate is not UTF-8.
import { utf8SequenceLength } from '../../codec/validate.js';
import { ArgvError } from './argv-error.js';
import { readFileBounded } from '../../bounded-read.js';

/** More than any kernel's argument space (ARG_MAX is 2 MiB by default). */
const MAX_CMDLINE = 64 * 1024 * 1024;

function readCmdline(): Buffer | undefined {
  try {
    const r = readFileBounded('/proc/self/cmdline', MAX_CMDLINE);
    return r.complete ? r.data : undefined;
  } catch {
    return undefined; // not Linux, or no /proc
  }
}

/** The arguments after node's own and the script's, as raw bytes: the last `count` of /proc/self/cmdline. */
function rawArguments(cmdline: Buffer, count: number): Buffer[] | undefined {
  const parts: Buffer[] = [];
  let start = 0;
  for (let nul = cmdline.indexOf(0); nul >= 0; nul = cmdline.indexOf(0, start)) {
    parts.push(cmdline.subarray(start, nul));
    start = nul + 1;
  }
  return parts.length >= count ? parts.slice(parts.length - count) : undefined;
}

/**
 * `argv` (process.argv.slice(2)) with invalid UTF-8 kept as surrogate escapes.
 * Arguments without U+FFFD are returned as they are, so a normal run never reads /proc.
 * Throws ArgvError when an argument had invalid bytes that cannot be read back.
 */
export function recoverArgv(argv: string[], cmdline: () => Buffer | undefined = readCmdline): string[] {
  const lossy = argv.findIndex((a) => a.includes('\ufffd'));
  if (lossy < 0) return argv;
  const raw = ((c) => (c ? rawArguments(c, argv.length) : undefined))(cmdline());
  // Each raw argument must decode (lossily) to exactly what Node gave us: then the mapping is certain.
  if (!raw || raw.some((r, i) => r.toString('utf8') !== argv[i])) {
    throw new ArgvError(`Argument ${lossy + 1} is not valid UTF-8, and its bytes cannot be read back on this system.`);
  }
  return argv.map((a, i) => (a.includes('\ufffd') ? decodeEscaped(raw[i]!) : a));
}

/** UTF-8 → string, each byte of an invalid sequence as U+DC00 + byte. */
export function decodeEscaped(bytes: Uint8Array): string {
  let out = '';
  let run = 0; // start of the current run of valid UTF-8
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const n = b < 0x80 ? 1 : utf8SequenceLength(bytes, i);
    if (n > 0) {
      i += n;
      continue;
    }
    out += Buffer.from(bytes.buffer, bytes.byteOffset + run, i - run).toString('utf8') + String.fromCharCode(0xdc00 + b);
    run = ++i;
  }
  return out + Buffer.from(bytes.buffer, bytes.byteOffset + run, bytes.length - run).toString('utf8');
}

/** A lone low surrogate in U+DC80..U+DCFF: an escaped byte. */
const ESCAPED = /(?<![\ud800-\udbff])[\udc80-\udcff]/;

/** True when `s` holds bytes that were not valid UTF-8 on the command line. */
export function hasEscapedBytes(s: string): boolean {
  return ESCAPED.test(s);
}

/** The exact bytes of an argument: its UTF-8, with escaped bytes restored. */
export function argBytes(s: string): Buffer {
  if (!hasEscapedBytes(s)) return Buffer.from(s, 'utf8');
  const parts: Buffer[] = [];
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++; // a pair: its low half is no escape
      continue;
    }
    if (c < 0xdc80 || c > 0xdcff) continue;
    parts.push(Buffer.from(s.slice(run, i), 'utf8'), Buffer.of(c - 0xdc00));
    run = i + 1;
  }
  parts.push(Buffer.from(s.slice(run), 'utf8'));
  return Buffer.concat(parts);
}
