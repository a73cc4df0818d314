// Local-time formatting for mqtt-sub's -F sequences (%I, %U, @X, @N) and JSON
// "tst" fields. mosquitto_sub formats with the C library's strftime() in the
// "C" locale on localtime(), so this reproduces glibc's C-locale output.
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { zoneAbbreviation } from './tz-abbrev.js';
import { parsePosixTz, posixLocal, type PosixTz } from './tz-posix.js';

/** One clock reading: whole seconds since the epoch plus nanoseconds. */
export interface Instant {
  sec: number;
  ns: number;
}

// A monotonic clock gives sub-millisecond digits: anchored to the wall clock at
// first use, and re-anchored when the wall clock is adjusted (NTP, manual).
// process.hrtime, not performance.now(): the global `performance` loads perf_hooks
// (nine modules) on first touch, and this module is loaded by every mqtt-sub and mqtt-rr run.
const monotonicMs = (): number => Number(process.hrtime.bigint()) / 1e6;
let anchor: number | undefined;

/** Wall-clock time with sub-millisecond resolution (CLOCK_REALTIME-like). */
export function now(): Instant {
  const mono = monotonicMs();
  anchor ??= Date.now() - mono;
  let ms = anchor + mono;
  const wall = Date.now();
  if (Math.abs(wall - ms) > 2) {
    anchor = wall - mono;
    ms = wall;
  }
  const sec = Math.floor(ms / 1000);
  const ns = Math.min(999_999_999, Math.round((ms - sec * 1000) * 1e6));
  return { sec, ns };
}

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);
const sp2 = (n: number): string => (n < 10 ? ` ${n}` : `${n}`);

/** "+hhmm" / "-hhmm" for an offset in minutes east of UTC, as strftime's %z. */
function offsetText(off: number): string {
  const a = Math.abs(off);
  return `${off < 0 ? '-' : '+'}${pad2(Math.floor(a / 60))}${pad2(a % 60)}`;
}

/** "+hhmm" / "-hhmm" for the local zone at this date, as strftime's %z. */
export function zoneOffset(d: Date): string {
  return offsetText(-d.getTimezoneOffset());
}

// $TZ as a POSIX rule ("CET-1CEST,M3.5.0,M10.5.0/3") that names no zone file:
// glibc follows the rule, JavaScript's Date would silently use UTC.
let posixKey: string | undefined = '\0unset';
let posixZone: PosixTz | undefined;
function posixRule(): PosixTz | undefined {
  const tz = process.env.TZ;
  if (tz === posixKey) return posixZone;
  posixKey = tz;
  posixZone = undefined;
  if (tz && !tz.startsWith(':')) {
    const file = isAbsolute(tz) ? tz : join(process.env.TZDIR ?? '/usr/share/zoneinfo', tz);
    if (!existsSync(file)) posixZone = parsePosixTz(tz);
  }
  return posixZone;
}

let zoneNameFormat: Intl.DateTimeFormat | undefined;
/** strftime's %Z: the zone file's abbreviation; Intl's short name if there is no file. */
function zoneName(d: Date): string {
  const abbr = zoneAbbreviation(d);
  if (abbr !== undefined) return abbr;
  zoneNameFormat ??= new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' });
  const part = zoneNameFormat.formatToParts(d).find((p) => p.type === 'timeZoneName');
  return part?.value ?? '';
}

function dayOfYear(d: Date): number {
  const start = new Date(d.getFullYear(), 0, 1);
  const a = Date.UTC(d.getFullYear(), d.getMonth(), d.getDate());
  const b = Date.UTC(start.getFullYear(), 0, 1);
  return Math.round((a - b) / 86_400_000); // 0-based, like tm_yday
}

/** ISO 8601 week number and week-based year (strftime %V / %G). */
function isoWeek(d: Date): { week: number; year: number } {
  const yday = dayOfYear(d);
  const wday = (d.getDay() + 6) % 7; // Monday = 0
  let year = d.getFullYear();
  let week = Math.floor((yday - wday + 10) / 7);
  if (week < 1) {
    year -= 1;
    const prevDays = isLeap(year) ? 366 : 365;
    week = Math.floor((yday + prevDays - wday + 10) / 7);
  } else if (week === 53) {
    const daysInYear = isLeap(year) ? 366 : 365;
    if (yday - wday + 3 >= daysInYear) {
      week = 1;
      year += 1;
    }
  }
  return { week, year };
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/**
 * The C-locale strftime expansion of a single conversion character.
 * Unknown conversions come back as "%c", which is what glibc prints.
 */
export function strftimeOne(c: string, d: Date, epochSec: number): string {
  const h = d.getHours();
  const h12 = h % 12 === 0 ? 12 : h % 12;
  switch (c) {
    case 'a': return DAYS[d.getDay()]!.slice(0, 3);
    case 'A': return DAYS[d.getDay()]!;
    case 'b': case 'h': return MONTHS[d.getMonth()]!.slice(0, 3);
    case 'B': return MONTHS[d.getMonth()]!;
    case 'c': return `${strftimeOne('a', d, epochSec)} ${strftimeOne('b', d, epochSec)} ${sp2(d.getDate())} ${strftimeOne('T', d, epochSec)} ${d.getFullYear()}`;
    case 'C': return pad2(Math.floor(d.getFullYear() / 100));
    case 'd': return pad2(d.getDate());
    case 'D': case 'x': return `${pad2(d.getMonth() + 1)}/${pad2(d.getDate())}/${pad2(d.getFullYear() % 100)}`;
    case 'e': return sp2(d.getDate());
    case 'F': return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
    case 'g': return pad2(isoWeek(d).year % 100);
    case 'G': return `${isoWeek(d).year}`;
    case 'H': return pad2(h);
    case 'I': return pad2(h12);
    case 'j': return pad3(dayOfYear(d) + 1);
    case 'k': return sp2(h);
    case 'l': return sp2(h12);
    case 'm': return pad2(d.getMonth() + 1);
    case 'M': return pad2(d.getMinutes());
    case 'n': return '\n';
    case 'p': return h < 12 ? 'AM' : 'PM';
    case 'P': return h < 12 ? 'am' : 'pm';
    case 'r': return `${pad2(h12)}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
    case 'R': return `${pad2(h)}:${pad2(d.getMinutes())}`;
    case 's': return `${epochSec}`;
    case 'S': return pad2(d.getSeconds());
    case 't': return '\t';
    case 'T': case 'X': return `${pad2(h)}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
    case 'u': return `${d.getDay() === 0 ? 7 : d.getDay()}`;
    case 'U': return pad2(Math.floor((dayOfYear(d) + 7 - d.getDay()) / 7));
    case 'V': return pad2(isoWeek(d).week);
    case 'w': return `${d.getDay()}`;
    case 'W': return pad2(Math.floor((dayOfYear(d) + 7 - ((d.getDay() + 6) % 7)) / 7));
    case 'y': return pad2(d.getFullYear() % 100);
    case 'Y': return `${d.getFullYear()}`;
    case 'z': {
      const rule = posixRule();
      return rule ? offsetText(posixLocal(rule, epochSec).off / 60) : zoneOffset(d);
    }
    case 'Z': {
      const rule = posixRule();
      return rule ? posixLocal(rule, epochSec).abbr : zoneName(d);
    }
    case '%': return '%';
    default: return `%${c}`;
  }
}

// Formatting a date is the costly part of %I / %j at high message rates, and
// every message within one second shares it: cache per second.
let cacheSec = Number.NaN;
let cacheDate = new Date(0);
let cacheIso = '';
let cacheOffset = '';

function refresh(sec: number): void {
  if (sec === cacheSec) return;
  cacheSec = sec;
  const rule = posixRule();
  if (rule) {
    // A Date whose local fields read as the rule's wall-clock time.
    const off = posixLocal(rule, sec).off;
    const wall = (sec + off) * 1000;
    cacheDate = new Date(wall + new Date(wall).getTimezoneOffset() * 60_000);
    cacheOffset = offsetText(off / 60);
  } else {
    cacheDate = new Date(sec * 1000);
    cacheOffset = zoneOffset(cacheDate);
  }
  cacheIso = `${strftimeOne('F', cacheDate, sec)}T${strftimeOne('T', cacheDate, sec)}`;
}

/** Local date for an instant (shared, do not mutate). */
export function localDate(t: Instant): Date {
  refresh(t.sec);
  return cacheDate;
}

/** strftime("%FT%T%z"): e.g. 2016-08-10T09:47:38+0100 (the %I sequence). */
export function isoLocal(t: Instant): string {
  refresh(t.sec);
  return cacheIso + cacheOffset;
}

/**
 * JSON "tst": local time with microseconds and the zone offset, e.g.
 * 2020-05-06T22:12:00.123456+0100. (2.0.11 also wrote a stray 'Z' before the
 * offset; 2.0.13 fixed that, and we match the fixed form.)
 */
export function jsonTimestamp(t: Instant): string {
  refresh(t.sec);
  const us = Math.floor(t.ns / 1000);
  return `${cacheIso}.${us.toString().padStart(6, '0')}${cacheOffset}`;
}

/** %U: Unix time with nine-digit nanoseconds. */
export function unixNanos(t: Instant): string {
  return `${t.sec}.${t.ns.toString().padStart(9, '0')}`;
}
