// The local zone's abbreviation ("CET", "IST", "+11"), as C's strftime("%Z")
// prints it: glibc takes it from the TZif file of $TZ (or /etc/localtime), and
// for dates past the file's last transition from the POSIX rule in its footer.
// JavaScript's Intl only offers names like "GMT+1", so @Z reads the file too.
// Loaded and parsed once per zone, only when @Z is used.
import { readFileBounded } from '../../bounded-read.js';
import { join } from 'node:path';
import { parsePosixTz } from './tz-posix.js';

interface PosixZone {
  std: string;
  stdOff: number; // seconds east of UTC
  dst?: string;
  dstOff?: number;
}

export interface Zone {
  transitions: number[];
  indices: number[];
  types: Array<{ off: number; isDst: boolean; abbr: string }>;
  footer?: PosixZone;
}

let cacheKey: string | undefined;
let cacheZone: Zone | undefined;
/** The largest zone file read (the biggest in tzdata is under 4 KiB). */
const MAX_ZONE_FILE = 1024 * 1024;

/** %Z for `d` in the process's zone, or undefined when it cannot be determined. */
export function zoneAbbreviation(d: Date): string | undefined {
  const key = process.env.TZ ?? '\0localtime';
  if (key !== cacheKey) {
    cacheKey = key;
    cacheZone = loadZone(process.env.TZ);
  }
  return cacheZone ? abbreviationAt(cacheZone, Math.floor(d.getTime() / 1000), -d.getTimezoneOffset() * 60) : undefined;
}

function loadZone(tz: string | undefined): Zone | undefined {
  if (tz === '') return { transitions: [], indices: [], types: [{ off: 0, isDst: false, abbr: 'UTC' }] };
  const name = tz === undefined ? '/etc/localtime' : tz.replace(/^:/, '');
  const path = name.startsWith('/') ? name : join(process.env.TZDIR ?? '/usr/share/zoneinfo', name);
  try {
    // Real zone files are a few KiB; TZ=/dev/zero must not be read for ever.
    const zone = readFileBounded(path, MAX_ZONE_FILE);
    if (!zone.complete) throw new Error('not a zone file');
    return parseTzif(zone.data);
  } catch {
    // Not a zone file: maybe a POSIX rule such as "EST5EDT" or "<+03>-3".
    const footer = tz === undefined ? undefined : parsePosix(name);
    return footer ? { transitions: [], indices: [], types: [], footer } : undefined;
  }
}

/** The abbreviation in force at Unix time `t`, where the local offset is `off` seconds east. */
export function abbreviationAt(z: Zone, t: number, off: number): string | undefined {
  const last = z.transitions.length ? z.transitions[z.transitions.length - 1]! : -Infinity;
  if (z.footer && t >= last) {
    if (z.footer.dst !== undefined && off === z.footer.dstOff) return z.footer.dst;
    if (off === z.footer.stdOff) return z.footer.std;
  }
  if (z.transitions.length && t >= z.transitions[0]!) {
    let lo = 0;
    let hi = z.transitions.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (z.transitions[mid]! <= t) lo = mid;
      else hi = mid - 1;
    }
    return z.types[z.indices[lo]!]?.abbr;
  }
  return (z.types.find((ty) => !ty.isDst) ?? z.types[0])?.abbr;
}

/** RFC 8536 TZif, versions 1-4 (the 64-bit block when there is one). */
export function parseTzif(buf: Buffer): Zone | undefined {
  if (buf.toString('latin1', 0, 4) !== 'TZif') return undefined;
  const version = buf[4]!;
  const counts = (at: number): number[] => [0, 1, 2, 3, 4, 5].map((k) => buf.readUInt32BE(at + 20 + 4 * k));
  let [isut, isstd, leap, timecnt, typecnt, charcnt] = counts(0) as [number, number, number, number, number, number];
  let pos = 44;
  let size = 4;
  if (version >= 0x32) {
    pos += timecnt * 5 + typecnt * 6 + charcnt + leap * 8 + isstd + isut;
    [isut, isstd, leap, timecnt, typecnt, charcnt] = counts(pos) as [number, number, number, number, number, number];
    pos += 44;
    size = 8;
  }
  const transitions: number[] = [];
  for (let i = 0; i < timecnt; i++, pos += size) {
    transitions.push(size === 8 ? Number(buf.readBigInt64BE(pos)) : buf.readInt32BE(pos));
  }
  const indices = [...buf.subarray(pos, pos + timecnt)];
  pos += timecnt;
  const typeAt = pos;
  pos += typecnt * 6;
  const chars = buf.subarray(pos, pos + charcnt);
  pos += charcnt + leap * (size + 4) + isstd + isut;
  const types = Array.from({ length: typecnt }, (_, i) => {
    const at = typeAt + i * 6;
    const start = buf[at + 5]!;
    const end = chars.indexOf(0, start);
    return { off: buf.readInt32BE(at), isDst: buf[at + 4] === 1, abbr: chars.toString('latin1', start, end < 0 ? chars.length : end) };
  });
  const zone: Zone = { transitions, indices, types };
  if (version >= 0x32 && buf[pos] === 0x0a) {
    const end = buf.indexOf(0x0a, pos + 1);
    const footer = parsePosix(buf.toString('latin1', pos + 1, end < 0 ? buf.length : end));
    if (footer) zone.footer = footer;
  }
  return zone;
}

/** The names and offsets of a POSIX TZ rule ("CET-1CEST,M3.5.0,M10.5.0/3"), by tz-posix.ts's parser. */
export function parsePosix(s: string): PosixZone | undefined {
  const z = parsePosixTz(s);
  if (!z) return undefined;
  return z.dst ? { std: z.std, stdOff: z.stdOff, dst: z.dst.name, dstOff: z.dst.off } : { std: z.std, stdOff: z.stdOff };
}
