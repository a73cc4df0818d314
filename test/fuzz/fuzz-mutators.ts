// Input mutations for the coverage-guided codec fuzzer: generic byte edits plus
// MQTT-aware ones (fix or skew the remaining length and 16-bit length prefixes,
// splice frames, insert protocol tokens), all driven by a seeded PRNG.

import { vbi } from '../helpers/mqtt-bytes.js';

/** xorshift32: tiny, seedable, good enough to pick mutations. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s;
  }
  below(n: number): number {
    return n <= 0 ? 0 : this.next() % n;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)]!;
  }
}

const h = (s: string): Uint8Array => Buffer.from(s.replace(/ /g, ''), 'hex');
const str = (s: string): Uint8Array => {
  const b = Buffer.from(s, 'utf8');
  return Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]);
};

/** v5 properties: id then a typical value. */
const PROPERTIES: readonly Uint8Array[] = [
  h('01 01'), h('02 00 00 00 0a'), h('03 00 01 61'), h('08 00 01 2b'), h('09 00 02 01 02'), h('0b 01'), h('0b 00'),
  h('0b ff ff ff 7f'), h('11 ff ff ff ff'), h('12 00 00'), h('13 00 0a'), h('15 00 01 61'), h('16 00 01 00'), h('17 02'),
  h('18 00 00 00 01'), h('19 01'), h('1a 00 01 61'), h('1c 00 01 61'), h('1f 00 01 61'), h('21 00 00'), h('22 00 05'),
  h('23 00 00'), h('23 00 01'), h('24 02'), h('25 01'), h('26 00 01 61 00 01 62'), h('27 00 00 00 00'), h('28 00'),
  h('29 01'), h('2a 00'), h('2b 00'),
];

/** Protocol tokens worth dropping in whole: names, lengths, odd UTF-8, v5 properties, headers. */
export const DICTIONARY: readonly Uint8Array[] = [
  ...PROPERTIES,
  // each property also as a whole one-property block (length first), since that length rarely comes out right
  ...PROPERTIES.map((p) => Buffer.concat([Buffer.from([p.length]), p])),
  h('00'),
  str('MQTT'), str('MQIsdp'), h('04'), h('05'), h('03'), h('83'), h('84'), h('85'),
  h('80 01'), h('ff 7f'), h('80 80 01'), h('ff ff 7f'), h('80 80 80 01'), h('ff ff ff 7f'), h('80 80 80 80 01'), h('80 00'),
  h('00 00'), h('ff ff'), h('00 01'), h('7f ff'), h('ff ff ff ff'), h('00 00 00 00'),
  str('#'), str('+'), str('a/+/#'), str('$share/g/a'), str('$share//a'), str('$share/+/a'), str('$SYS/x'), str('a/#/b'), str('a+'),
  h('00 01 00'), h('c0 80'), h('ed a0 80'), h('f4 90 80 80'), h('ff'), h('ef bb bf'), h('ef bf bf'), h('c2 85'), h('e0 80 80'),
  // fixed headers of every type with legal and illegal flags
  h('10'), h('20'), h('30'), h('32'), h('34'), h('36'), h('3b'), h('3e'), h('40'), h('50'), h('62'), h('60'), h('70'),
  h('82'), h('80'), h('90'), h('a2'), h('b0'), h('c0 00'), h('d0 00'), h('e0 00'), h('f0 00'),
  // reason codes, subscription options, connect flags
  h('80'), h('81'), h('87'), h('8f'), h('91'), h('97'), h('9e'), h('a1'), h('a2'), h('02'), h('2e'), h('3f'), h('c2'), h('fe'),
];

const INTERESTING = [0x00, 0x01, 0x02, 0x03, 0x7f, 0x80, 0x81, 0xff, 0xfe, 0x10, 0x20, 0x30, 0x40];


/** Length of the remaining-length field at off+1 (1-4 bytes, or as many as there are). */
function vbiFieldLength(b: Uint8Array, off: number): number {
  let i = 1;
  while (i < 4 && off + i < b.length && (b[off + i]! & 0x80) !== 0) i++;
  return Math.min(i, b.length - off - 1);
}

/** Rewrites the remaining length of the frame at `off` to `n` (default: all bytes after it). */
function setRemainingLength(b: Uint8Array, off: number, n?: number): Uint8Array {
  if (off >= b.length) return b;
  const field = vbiFieldLength(b, off);
  const body = b.subarray(off + 1 + field);
  const head = b.subarray(0, off + 1);
  return Buffer.concat([head, vbi(n ?? body.length), body]);
}

/** Start offsets of the frames in b, trusting declared lengths (stops at the first one that overruns). */
function frameStarts(b: Uint8Array): number[] {
  const starts: number[] = [];
  let off = 0;
  while (off < b.length && starts.length < 64) {
    starts.push(off);
    let rl = 0;
    let mult = 1;
    let i = 1;
    for (; i <= 4 && off + i < b.length; i++) {
      rl += (b[off + i]! & 0x7f) * mult;
      mult *= 128;
      if ((b[off + i]! & 0x80) === 0) break;
    }
    off += i + 1 + rl;
  }
  return starts;
}

/** Offsets of plausible length-prefixed strings: a u16 length n followed by n printable bytes. */
function stringFields(b: Uint8Array): number[] {
  const out: number[] = [];
  for (let at = 0; at + 2 < b.length; at++) {
    const n = (b[at]! << 8) | b[at + 1]!;
    if (n === 0 || at + 2 + n > b.length) continue;
    let printable = true;
    for (let i = at + 2; i < at + 2 + n && printable; i++) printable = b[i]! >= 0x20 && b[i]! < 0x7f;
    if (printable) out.push(at);
  }
  return out;
}

const STRINGS = DICTIONARY.filter((t) => t.length >= 2 && ((t[0]! << 8) | t[1]!) === t.length - 2);

type Mutator = (rng: Rng, b: Uint8Array, other: Uint8Array) => Uint8Array;

const insert = (b: Uint8Array, at: number, x: Uint8Array) => Buffer.concat([b.subarray(0, at), x, b.subarray(at)]);
const copy = (b: Uint8Array) => Buffer.from(b);

const MUTATORS: readonly Mutator[] = [
  (rng, b) => { // flip a bit
    if (b.length === 0) return b;
    const c = copy(b);
    const at = rng.below(c.length);
    c[at] = c[at]! ^ (1 << rng.below(8));
    return c;
  },
  (rng, b) => { // set a byte, often to an edge value
    if (b.length === 0) return b;
    const c = copy(b);
    c[rng.below(c.length)] = rng.below(2) ? rng.pick(INTERESTING) : rng.below(256);
    return c;
  },
  (rng, b) => insert(b, rng.below(b.length + 1), Buffer.from(Array.from({ length: 1 + rng.below(4) }, () => rng.below(256)))),
  (rng, b) => { // delete a short range
    const at = rng.below(b.length);
    return Buffer.concat([b.subarray(0, at), b.subarray(at + 1 + rng.below(8))]);
  },
  (rng, b) => { // duplicate a range elsewhere (repeated properties, filters)
    const at = rng.below(b.length);
    const piece = b.subarray(at, at + 1 + rng.below(16));
    return insert(b, rng.below(b.length + 1), piece);
  },
  (rng, b) => insert(b, rng.below(b.length + 1), rng.pick(DICTIONARY)),
  (rng, b) => { // overwrite with a token
    const t = rng.pick(DICTIONARY);
    const at = rng.below(b.length + 1);
    return Buffer.concat([b.subarray(0, at), t, b.subarray(at + t.length)]);
  },
  (rng, b, other) => Buffer.concat([b.subarray(0, rng.below(b.length + 1)), other.subarray(rng.below(other.length + 1))]),
  (_rng, b, other) => Buffer.concat([b, other]), // a second frame in the same stream
  (rng, b) => setRemainingLength(b, rng.pick(frameStarts(b))), // make the frame fit again after body edits
  (rng, b) => { // skew the remaining length
    const starts = frameStarts(b);
    const off = rng.pick(starts);
    const big = [127, 128, 16383, 16384, 2097151, 2097152, 268435455];
    const rest = b.length - off - 1 - vbiFieldLength(b, off);
    return setRemainingLength(b, off, rng.below(3) ? Math.max(0, rest + rng.below(9) - 4) : rng.pick(big));
  },
  (rng, b) => { // fix or skew a 16-bit length prefix (strings, binary data, packet ids)
    if (b.length < 2) return b;
    const at = rng.below(b.length - 1);
    const rest = b.length - at - 2;
    const n = rng.below(2) ? rest - rng.below(Math.min(rest + 1, 64)) : rng.pick([0, 1, 0xffff, rest + 1]);
    const c = copy(b);
    c.writeUInt16BE(Math.max(0, Math.min(0xffff, n)), at);
    return c;
  },
  (rng, b) => { // a one-byte length (often a v5 property length) that covers the rest of the frame
    if (b.length === 0) return b;
    const c = copy(b);
    const at = rng.below(c.length);
    c[at] = Math.min(127, c.length - at - 1);
    return c;
  },
  (rng, b) => { // arithmetic on a byte (counts, lengths, ids)
    if (b.length === 0) return b;
    const c = copy(b);
    const at = rng.below(c.length);
    c[at] = (c[at]! + rng.below(33) - 16) & 0xff;
    return c;
  },
  (rng, b) => b.subarray(0, rng.below(b.length + 1)), // truncate
  (rng, b) => { // swap a whole length-prefixed string (topic, filter, client id) for a dictionary one
    const fields = stringFields(b);
    if (fields.length === 0) return b;
    const at = rng.pick(fields);
    const end = at + 2 + ((b[at]! << 8) | b[at + 1]!);
    return Buffer.concat([b.subarray(0, at), rng.pick(STRINGS), b.subarray(end)]);
  },
];

/** One to four stacked mutations of `input`; `other` is another corpus entry to splice with. */
export function mutate(rng: Rng, input: Uint8Array, other: Uint8Array, maxLen: number): Uint8Array {
  let b = input;
  const n = 1 + rng.below(4);
  for (let i = 0; i < n; i++) b = rng.pick(MUTATORS)(rng, b, other);
  // a trailing length fix-up half the time keeps most mutants parseable past the fixed header
  if (b.length > 0 && rng.below(2) === 0) b = setRemainingLength(b, frameStarts(b).at(-1)!);
  return b.length > maxLen ? b.subarray(0, maxLen) : b;
}
