// A byte-exact model of what mosquitto_sub's JSON output goes through: cJSON
// (1.7.x, as Debian ships it). %J embeds the payload parsed and re-printed by
// cJSON, so numbers are re-formatted ("%1.15g"), strings re-escaped and
// layout normalised; to print the same bytes we parse and print the same way.
// Strings stay bytes: cJSON passes non-ASCII (even invalid UTF-8) through.
import type { ByteSink } from './output.js';

export type JNode =
  | { t: 'obj'; entries: Array<[key: Uint8Array, value: JNode]> }
  | { t: 'arr'; items: JNode[] }
  | { t: 'str'; bytes: Uint8Array }
  | { t: 'num'; v: number }
  | { t: 'lit'; text: 'null' | 'true' | 'false' };

const NESTING_LIMIT = 1000;
const NUMBER_CHARS = /^[0-9+\-eE.]/;
// What strtod() consumes from a run of number characters.
const STRTOD = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;

/**
 * Parses a whole payload as cJSON_ParseWithOpts(require_null_terminated) does
 * on a C string: a leading UTF-8 BOM is skipped, bytes <= 0x20 count as
 * whitespace, and any NUL byte makes the payload invalid. Returns undefined
 * when the payload is not (entirely) JSON.
 */
export function parseCJson(data: Uint8Array): JNode | undefined {
  if (data.includes(0)) return undefined;
  let pos = data.length >= 3 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf ? 3 : 0;
  const ws = (): void => {
    while (pos < data.length && data[pos]! <= 0x20) pos++;
  };
  const fail = (): never => {
    throw new Error('json');
  };

  const literal = (word: 'null' | 'true' | 'false'): JNode => {
    for (let k = 0; k < word.length; k++) if (data[pos + k] !== word.charCodeAt(k)) fail();
    pos += word.length;
    return { t: 'lit', text: word };
  };

  const number = (): JNode => {
    let end = pos;
    while (end < data.length && end - pos < 63 && NUMBER_CHARS.test(String.fromCharCode(data[end]!))) end++;
    const m = STRTOD.exec(Buffer.from(data.subarray(pos, end)).toString('latin1'));
    if (!m) fail();
    pos += m![0].length;
    return { t: 'num', v: Number(m![0]) };
  };

  const hex4 = (at: number): number => {
    if (at + 4 > data.length) fail();
    const s = Buffer.from(data.subarray(at, at + 4)).toString('latin1');
    if (!/^[0-9a-fA-F]{4}$/.test(s)) fail();
    return parseInt(s, 16);
  };

  const string = (): Uint8Array => {
    // data[pos] is the opening quote
    let end = pos + 1;
    while (end < data.length && data[end] !== 0x22) end += data[end] === 0x5c ? 2 : 1;
    if (end >= data.length) fail();
    if (data.subarray(pos + 1, end).indexOf(0x5c) === -1) {
      const raw = Uint8Array.from(data.subarray(pos + 1, end));
      pos = end + 1;
      return raw;
    }
    const out: number[] = [];
    let k = pos + 1;
    while (k < end) {
      const b = data[k]!;
      if (b !== 0x5c) {
        out.push(b);
        k++;
        continue;
      }
      const e = data[k + 1];
      const simple: Record<number, number> = { 0x62: 8, 0x66: 12, 0x6e: 10, 0x72: 13, 0x74: 9, 0x22: 0x22, 0x5c: 0x5c, 0x2f: 0x2f };
      if (e !== undefined && simple[e] !== undefined) {
        out.push(simple[e]!);
        k += 2;
      } else if (e === 0x75) {
        let cp = hex4(k + 2);
        k += 6;
        if (cp >= 0xdc00 && cp <= 0xdfff) fail();
        if (cp >= 0xd800 && cp <= 0xdbff) {
          if (data[k] !== 0x5c || data[k + 1] !== 0x75) fail();
          const lo = hex4(k + 2);
          if (lo < 0xdc00 || lo > 0xdfff) fail();
          cp = 0x10000 + (((cp & 0x3ff) << 10) | (lo & 0x3ff));
          k += 6;
        }
        for (const x of Buffer.from(String.fromCodePoint(cp), 'utf8')) out.push(x);
      } else fail();
    }
    pos = end + 1;
    // cJSON keeps strings as C strings: a decoded \u0000 ends the text.
    const z = out.indexOf(0);
    return Uint8Array.from(z === -1 ? out : out.slice(0, z));
  };

  const value = (depth: number): JNode => {
    const b = data[pos];
    if (b === 0x6e) return literal('null');
    if (b === 0x66) return literal('false');
    if (b === 0x74) return literal('true');
    if (b === 0x22) return { t: 'str', bytes: string() };
    if (b === 0x2d || (b !== undefined && b >= 0x30 && b <= 0x39)) return number();
    if (b === 0x5b) return array(depth + 1);
    if (b === 0x7b) return object(depth + 1);
    return fail();
  };

  // cJSON counts depth as it opens an array or object, so even an empty one past the limit fails.
  const array = (depth: number): JNode => {
    if (depth > NESTING_LIMIT) fail();
    pos++;
    ws();
    const items: JNode[] = [];
    if (data[pos] === 0x5d) {
      pos++;
      return { t: 'arr', items };
    }
    for (;;) {
      ws();
      items.push(value(depth));
      ws();
      if (data[pos] === 0x2c) pos++;
      else if (data[pos] === 0x5d) break;
      else fail();
    }
    pos++;
    return { t: 'arr', items };
  };

  const object = (depth: number): JNode => {
    if (depth > NESTING_LIMIT) fail();
    pos++;
    ws();
    const entries: Array<[Uint8Array, JNode]> = [];
    if (data[pos] === 0x7d) {
      pos++;
      return { t: 'obj', entries };
    }
    for (;;) {
      ws();
      if (data[pos] !== 0x22) fail();
      const key = string();
      ws();
      if (data[pos] !== 0x3a) fail();
      pos++;
      ws();
      entries.push([key, value(depth)]);
      ws();
      if (data[pos] === 0x2c) pos++;
      else if (data[pos] === 0x7d) break;
      else fail();
    }
    pos++;
    return { t: 'obj', entries };
  };

  try {
    ws();
    const root = value(0);
    ws();
    return pos === data.length ? root : undefined;
  } catch {
    return undefined;
  }
}

/** C printf("%1.<p>g", d). */
export function formatG(d: number, p: number): string {
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  const [mant, expStr] = d.toExponential(p - 1).split('e') as [string, string];
  const exp = Number(expStr);
  if (exp < -4 || exp >= p) {
    const m = mant.includes('.') ? mant.replace(/\.?0+$/, '') : mant;
    const e = Math.abs(exp);
    return `${m}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  }
  const fixed = d.toFixed(Math.max(0, p - 1 - exp));
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

/** cJSON's print_number: 15 significant digits unless that loses the value. */
export function cjsonNumber(d: number): string {
  if (!Number.isFinite(d)) return 'null';
  if (Number.isInteger(d) && Math.abs(d) < 1e15 && !Object.is(d, -0)) return `${d}`;
  const s = formatG(d, 15);
  const back = Number(s);
  const max = Math.max(Math.abs(back), Math.abs(d));
  return Math.abs(back - d) <= max * Number.EPSILON ? s : formatG(d, 17);
}

const HEX = '0123456789abcdef';

/** cJSON's print_string_ptr over bytes (stopping at a NUL, as a C string). */
export function writeCJsonString(sink: ByteSink, s: Uint8Array): void {
  sink.byte(0x22);
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const b = s[i]!;
    if (b === 0) {
      sink.bytes(s, from, i);
      sink.byte(0x22);
      return;
    }
    if (b >= 0x20 && b !== 0x22 && b !== 0x5c) continue;
    sink.bytes(s, from, i);
    from = i + 1;
    sink.byte(0x5c);
    switch (b) {
      case 0x22: sink.byte(0x22); break;
      case 0x5c: sink.byte(0x5c); break;
      case 0x08: sink.byte(0x62); break;
      case 0x0c: sink.byte(0x66); break;
      case 0x0a: sink.byte(0x6e); break;
      case 0x0d: sink.byte(0x72); break;
      case 0x09: sink.byte(0x74); break;
      default: sink.ascii(`u00${HEX[b >> 4]}${HEX[b & 15]}`);
    }
  }
  sink.bytes(s, from, s.length);
  sink.byte(0x22);
}

/** cJSON_PrintUnformatted (pretty=false) or cJSON_Print (pretty=true). */
export function printCJson(sink: ByteSink, node: JNode, pretty: boolean, depth = 0): void {
  switch (node.t) {
    case 'lit':
      sink.ascii(node.text);
      return;
    case 'num':
      sink.ascii(cjsonNumber(node.v));
      return;
    case 'str':
      writeCJsonString(sink, node.bytes);
      return;
    case 'arr':
      sink.byte(0x5b);
      node.items.forEach((item, i) => {
        if (i > 0) sink.ascii(pretty ? ', ' : ',');
        printCJson(sink, item, pretty, depth + 1);
      });
      sink.byte(0x5d);
      return;
    case 'obj':
      sink.byte(0x7b);
      if (pretty) sink.byte(0x0a);
      node.entries.forEach(([key, value], i) => {
        if (pretty) sink.repeat(0x09, depth + 1);
        writeCJsonString(sink, key);
        sink.ascii(pretty ? ':\t' : ':');
        printCJson(sink, value, pretty, depth + 1);
        if (i < node.entries.length - 1) sink.byte(0x2c);
        if (pretty) sink.byte(0x0a);
      });
      if (pretty) sink.repeat(0x09, depth);
      sink.byte(0x7d);
  }
}
