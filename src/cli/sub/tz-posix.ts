// POSIX TZ rules such as "CET-1CEST,M3.5.0,M10.5.0/3", as glibc applies them
// when $TZ names no zone file (embedded systems often set TZ this way).
// JavaScript's Date (ICU) does not understand them and silently uses UTC, so
// mqtt-sub's local times would differ from mosquitto_sub's; this computes the
// offset and abbreviation in force at an instant instead.

type Transition =
  | { kind: 'M'; month: number; week: number; day: number; secs: number } // Mm.w.d: day d of week w of month m
  | { kind: 'J'; day: number; secs: number } // Jn: 1..365, February 29 never counted
  | { kind: 'n'; day: number; secs: number }; // n: 0..365, February 29 counted

export interface PosixTz {
  std: string;
  /** Seconds east of UTC (the opposite sign of the TZ string). */
  stdOff: number;
  dst?: { name: string; off: number; start: Transition; end: Transition };
}

const NAME = /^(?:<([A-Za-z0-9+-]{3,})>|([A-Za-z]{3,}))/;
const TIME = /^([+-]?)(\d{1,3})(?::(\d{1,2})(?::(\d{1,2}))?)?/;
// The rule when a DST name comes without one: the US rules, which glibc takes from its
// posixrules file (it also shifts that file's transition instants by a few hours; not copied).
const DEFAULT_RULES = 'M3.2.0,M11.1.0';

function seconds(m: RegExpExecArray): number {
  const s = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
  return m[1] === '-' ? -s : s;
}

function parseTransition(s: string): { t: Transition; rest: string } | undefined {
  let m: RegExpExecArray | null;
  let t: Transition;
  let rest: string;
  if ((m = /^M(\d{1,2})\.(\d)\.(\d)/.exec(s))) {
    const [month, week, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (month < 1 || month > 12 || week < 1 || week > 5 || day > 6) return undefined;
    t = { kind: 'M', month, week, day, secs: 7200 };
  } else if ((m = /^J(\d{1,3})/.exec(s))) {
    const day = Number(m[1]);
    if (day < 1 || day > 365) return undefined;
    t = { kind: 'J', day, secs: 7200 };
  } else if ((m = /^(\d{1,3})/.exec(s))) {
    const day = Number(m[1]);
    if (day > 365) return undefined;
    t = { kind: 'n', day, secs: 7200 };
  } else return undefined;
  rest = s.slice(m[0].length);
  if (rest.startsWith('/')) {
    const time = TIME.exec(rest.slice(1));
    if (!time) return undefined;
    t.secs = seconds(time);
    rest = rest.slice(1 + time[0].length);
  }
  return { t, rest };
}

/** Parses a full POSIX TZ string; undefined when it is not one. */
export function parsePosixTz(s: string): PosixTz | undefined {
  const std = NAME.exec(s);
  if (!std) return undefined;
  let rest = s.slice(std[0].length);
  const stdTime = TIME.exec(rest);
  if (!stdTime) return undefined;
  rest = rest.slice(stdTime[0].length);
  const zone: PosixTz = { std: std[1] ?? (std[2] as string), stdOff: -seconds(stdTime) || 0 }; // never -0
  if (rest === '') return zone;
  const dst = NAME.exec(rest);
  if (!dst) return undefined;
  rest = rest.slice(dst[0].length);
  let dstOff = zone.stdOff + 3600;
  const dstTime = TIME.exec(rest);
  if (dstTime) {
    dstOff = -seconds(dstTime) || 0;
    rest = rest.slice(dstTime[0].length);
  }
  const rules = rest === '' ? `,${DEFAULT_RULES}` : rest;
  if (!rules.startsWith(',')) return undefined;
  const start = parseTransition(rules.slice(1));
  if (!start || !start.rest.startsWith(',')) return undefined;
  const end = parseTransition(start.rest.slice(1));
  if (!end || end.rest !== '') return undefined;
  zone.dst = { name: dst[1] ?? (dst[2] as string), off: dstOff, start: start.t, end: end.t };
  return zone;
}

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const DAY = 86_400;

/** Days from January 1 of `year` (0-based) to the transition's date. */
function dayOfYear(t: Transition, year: number): number {
  if (t.kind === 'n') return t.day;
  if (t.kind === 'J') return t.day - 1 + (isLeap(year) && t.day >= 60 ? 1 : 0);
  const firstWeekday = new Date(Date.UTC(year, t.month - 1, 1)).getUTCDay();
  let date = 1 + ((t.day - firstWeekday + 7) % 7) + (t.week - 1) * 7;
  const inMonth = new Date(Date.UTC(year, t.month, 0)).getUTCDate();
  while (date > inMonth) date -= 7; // week 5 means the last such day
  return (Date.UTC(year, t.month - 1, date) - Date.UTC(year, 0, 1)) / 1000 / DAY;
}

/** Unix time of a transition in `year`, given the offset in force just before it. */
function transitionAt(t: Transition, year: number, offBefore: number): number {
  return Date.UTC(year, 0, 1) / 1000 + dayOfYear(t, year) * DAY + t.secs - offBefore;
}

/** The offset (seconds east) and abbreviation in force at Unix time `t`. */
export function posixLocal(z: PosixTz, t: number): { off: number; abbr: string } {
  const d = z.dst;
  if (!d) return { off: z.stdOff, abbr: z.std };
  const year = new Date((t + z.stdOff) * 1000).getUTCFullYear();
  const start = transitionAt(d.start, year, z.stdOff);
  const end = transitionAt(d.end, year, d.off);
  const inDst = start < end ? t >= start && t < end : !(t >= end && t < start);
  return inDst ? { off: d.off, abbr: d.name } : { off: z.stdOff, abbr: z.std };
}
