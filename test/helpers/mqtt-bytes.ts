// Independent byte builders for codec tests (never our codec's writer), plus the
// payload mini-language of mosquitto's sequence corpus
// (test/fixtures/mosquitto-sequences/README.md).

export function vbi(n: number): Buffer {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return Buffer.from(out);
}

export const u8 = (n: number): Buffer => Buffer.from([n & 0xff]);
export const u16 = (n: number): Buffer => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
export function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

/** Length-prefixed UTF-8 string (or raw bytes). */
export function str(s: string | Uint8Array): Buffer {
  const b = typeof s === 'string' ? Buffer.from(s, 'utf8') : Buffer.from(s);
  return Buffer.concat([u16(b.length), b]);
}

/** A whole frame: first byte, correct remaining length, body. */
export function frame(first: number, ...body: Uint8Array[]): Buffer {
  const b = Buffer.concat(body);
  return Buffer.concat([u8(first), vbi(b.length), b]);
}

/** A v5 property block: length then the given property bytes. */
export function props(...items: Uint8Array[]): Buffer {
  const b = Buffer.concat(items);
  return Buffer.concat([vbi(b.length), b]);
}

/**
 * Parses the corpus payload language: hex runs, rN/vN (VBI), sN/mN/kN/HN (u16),
 * iN (byte), LN (u32), 'text' (UTF-8, may contain spaces).
 */
export function parsePayload(spec: string): Buffer {
  const parts: Buffer[] = [];
  let i = 0;
  while (i < spec.length) {
    const c = spec[i]!;
    if (c === ' ') {
      i++;
      continue;
    }
    if (c === "'") {
      const end = spec.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated text in payload: ${spec}`);
      parts.push(Buffer.from(spec.slice(i + 1, end), 'utf8'));
      i = end + 1;
      continue;
    }
    let end = spec.indexOf(' ', i);
    if (end < 0) end = spec.length;
    parts.push(parseToken(spec.slice(i, end), spec));
    i = end;
  }
  return Buffer.concat(parts);
}

function parseToken(tok: string, spec: string): Buffer {
  const m = /^([rvsmkHiL])(\d+)$/.exec(tok);
  if (m) {
    const n = Number(m[2]);
    switch (m[1]) {
      case 'r':
      case 'v':
        return vbi(n);
      case 'i':
        return u8(n);
      case 'L':
        return u32(n);
      default:
        return u16(n);
    }
  }
  if (/^([0-9a-fA-F]{2})+$/.test(tok)) return Buffer.from(tok, 'hex');
  throw new Error(`bad token '${tok}' in payload: ${spec}`);
}

/** The JSON shapes of mosquitto's sequence corpus (lib/ and broker/ files). */
export interface RawMsg {
  type: string;
  payload?: string;
}
export interface RawTest {
  name: string;
  ver?: number;
  msgs: RawMsg[];
  expect_disconnect?: boolean;
  connect?: unknown;
  connack?: unknown;
  command?: string;
  disable?: boolean;
}
export interface RawGroup extends Omit<RawTest, 'name' | 'msgs'> {
  group: string;
  tests: RawTest[];
  group_msgs?: RawMsg[];
}
