// Parses an -F format string into tokens, with mosquitto_sub's validation and
// error texts. Three sequence starters: '%' (message fields, with optional
// flags, width and precision), '@' (strftime on local time, '@N' nanoseconds)
// and '\' (character escapes). Everything else is copied as it is.
import { argBytes } from '../shared/argv-bytes.js';
import { ArgvError } from '../shared/argv-error.js';

export type PercentConv =
  | 'A' | 'C' | 'D' | 'E' | 'F' | 'I' | 'J' | 'P' | 'R' | 'S' | 'U'
  | 'd' | 'f' | 'j' | 'l' | 'm' | 'p' | 'q' | 'r' | 't' | 'x' | 'X';

export interface PercentToken {
  kind: 'field';
  conv: PercentConv;
  /** '-' flag: left-align within the width. */
  left: boolean;
  /** '0' flag: pad with '0' where the sequence honours it. */
  zero: boolean;
  width: number;
  /** -1 when absent. */
  precision: number;
  /** mosquitto 2.1's hex separator (%.2:x): the character after the precision, when one of HEX_SEPARATORS. */
  separator?: number;
}

export type FormatToken =
  | { kind: 'text'; bytes: Buffer }
  | PercentToken
  | { kind: 'time'; conv: string }; // '@X': strftime %X; conv 'N' = nanoseconds

const CONVERSIONS = new Set('ACDEFIJPRSUdfjlmpqrtxX');

/** The characters mosquitto 2.1 takes as a hex separator after the precision (its hexseplist). */
const HEX_SEPARATORS = new Set('!"#$&\'()*+,-./:;<=>?@[\\]^_`{|}~ ');

const ESCAPES: Record<string, number> = {
  '\\': 0x5c,
  '0': 0x00,
  a: 0x07,
  e: 0x1b,
  n: 0x0a,
  r: 0x0d,
  t: 0x09,
  v: 0x0b,
};

/**
 * Widths pad every message: "%2147483647t" made 2 GiB per message. No line
 * needs more than this; the precision only truncates, so it is left alone.
 */
export const MAX_FORMAT_WIDTH = 65_535;

const usage = (msg: string): ArgvError => new ArgvError(msg);
const incomplete = (): ArgvError => usage('Incomplete format specifier.');
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** Validates and tokenises a format string; throws ArgvError (a USAGE error). */
export function parseFormat(fmt: string): FormatToken[] {
  const tokens: FormatToken[] = [];
  let text = '';
  const pushText = (): void => {
    if (text) tokens.push({ kind: 'text', bytes: argBytes(text) }); // the format's own bytes, as given
    text = '';
  };
  const last = fmt.length - 1;
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i]!;
    if (c === '%') {
      const r = parsePercent(fmt, i);
      i = r.end;
      if (r.token === '%') text += '%';
      else {
        pushText();
        tokens.push(r.token);
      }
    } else if (c === '@') {
      if (i === last) throw incomplete();
      const x = fmt[++i]!;
      if (x === '@') text += '@';
      else {
        pushText();
        tokens.push({ kind: 'time', conv: x });
      }
    } else if (c === '\\') {
      if (i === last) throw usage('Incomplete escape specifier.');
      const x = fmt[++i]!;
      const b = ESCAPES[x];
      if (b === undefined) throw usage(`Invalid escape specifier '${x}'.`);
      text += String.fromCharCode(b);
    } else {
      text += c;
    }
  }
  pushText();
  return tokens;
}

/**
 * One '%' sequence starting at `start`. Follows mosquitto's check: at most one
 * flag character ('0' or '-'), then width digits, then '.' and precision
 * digits; running out of characters anywhere is "Incomplete". The printer
 * reads a '-' then a '0' flag, so "%-05l" is left-aligned (the 0 is ignored).
 */
function parsePercent(fmt: string, start: number): { token: PercentToken | '%'; end: number } {
  const last = fmt.length - 1;
  let i = start;
  if (i === last) throw incomplete();
  let left = false;
  let zero = false;
  if (fmt[i + 1] === '-' || fmt[i + 1] === '0') {
    i++;
    if (fmt[i] === '-') {
      left = true;
      // The printer also accepts a '0' straight after '-'; the check counts it as a width digit.
      if (fmt[i + 1] === '0') zero = true;
    } else zero = true;
    if (i === last) throw incomplete();
  }
  let width = 0;
  while (isDigit(fmt[i + 1])) {
    i++;
    width = Math.min(width * 10 + Number(fmt[i]), 0x7fffffff);
    if (i === last) throw incomplete();
  }
  let precision = -1;
  if (fmt[i + 1] === '.') {
    i++;
    if (i === last) throw incomplete();
    precision = 0;
    while (isDigit(fmt[i + 1])) {
      i++;
      precision = Math.min(precision * 10 + Number(fmt[i]), 0x7fffffff);
      if (i === last) throw incomplete();
    }
  }
  // 2.1: one separator character may follow (any conversion accepts it; only %x/%X use it).
  let separator: number | undefined;
  if (HEX_SEPARATORS.has(fmt[i + 1] ?? '')) {
    i++;
    separator = fmt.charCodeAt(i);
    if (i === last) throw usage("Invalid format specifier '\u0000'."); // mosquitto prints the string's NUL
  }
  const conv = fmt[i + 1]!;
  if (conv === '%') return { token: '%', end: i + 1 };
  if (!CONVERSIONS.has(conv)) throw usage(`Invalid format specifier '${conv}'.`);
  if (width > MAX_FORMAT_WIDTH) throw usage(`Format width too large (at most ${MAX_FORMAT_WIDTH}).`);
  const token: PercentToken = { kind: 'field', conv: conv as PercentConv, left, zero, width, precision };
  if (separator !== undefined) token.separator = separator;
  return { token, end: i + 1 };
}
