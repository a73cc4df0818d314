// %d and %f (mosquitto 2.1): a payload of exactly 8 (double) or 4 (float) bytes,
// in the machine's byte order as mosquitto reads it (little-endian on every
// platform Node.js runs on here), printed as C's printf("%.*f") does: the exact
// decimal value of the binary number, rounded half to even, "inf" / "nan" as glibc.
import type { PercentToken } from './format-parse.js';

/** The payload as the number %d / %f reads, or undefined when its size is wrong (2.1 prints nothing then). */
export function payloadNumber(payload: Uint8Array, conv: 'd' | 'f'): number | undefined {
  const size = conv === 'd' ? 8 : 4;
  if (payload.length !== size) return undefined;
  const view = new DataView(payload.buffer, payload.byteOffset, size);
  return conv === 'd' ? view.getFloat64(0, true) : view.getFloat32(0, true);
}

/** printf("%.<precision>f", x) with glibc's output (precision -1: the default 6). */
export function cFixed(x: number, precision: number): string {
  const p = precision < 0 ? 6 : precision;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const sign = bits >> 63n === 1n ? '-' : '';
  if (Number.isNaN(x)) return `${sign}nan`;
  if (!Number.isFinite(x)) return `${sign}inf`;
  const expBits = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  const m = expBits === 0 ? frac : frac | (1n << 52n);
  const e = expBits === 0 ? -1074 : expBits - 1075;
  // |x| = digits / 10^p, rounded half to even.
  let digits: bigint;
  if (e >= 0) digits = (m << BigInt(e)) * 10n ** BigInt(p);
  else {
    const k = -e; // |x| = m * 5^k / 10^k exactly
    const exact = m * 5n ** BigInt(k);
    if (p >= k) digits = exact * 10n ** BigInt(p - k);
    else {
      const div = 10n ** BigInt(k - p);
      digits = exact / div;
      const rest = exact % div;
      const twice = rest * 2n;
      if (twice > div || (twice === div && digits % 2n === 1n)) digits += 1n;
    }
  }
  const text = digits.toString().padStart(p + 1, '0');
  return p === 0 ? `${sign}${text}` : `${sign}${text.slice(0, -p)}.${text.slice(-p)}`;
}

/** The field as printf("%-*.*f" / "%0*.*f" / "%*.*f") pads it. */
export function formatFloatField(x: number, f: PercentToken): string {
  const text = cFixed(x, f.precision);
  const pad = f.width - text.length;
  if (pad <= 0) return text;
  if (f.left) return text + ' '.repeat(pad);
  if (f.zero && Number.isFinite(x)) {
    const signed = text.startsWith('-') ? 1 : 0;
    return text.slice(0, signed) + '0'.repeat(pad) + text.slice(signed);
  }
  return ' '.repeat(pad) + text;
}

/** mosquitto 2.1's words when %d / %f meet a payload of another size (it ends them without a newline; we add one). */
export function wrongSizeText(conv: 'd' | 'f'): string {
  return conv === 'd' ? 'requested double printing, but non-double data received' : 'requested float printing, but non-float data received';
}
