// When mqtt-sub prints to a terminal, a topic or payload must not be able to
// drive it: ESC sequences can retitle windows, rewrite the screen or worse.
// In the default and -v forms, and in the message's own fields within -F
// (topic, payload, properties; never the format's literal text, which may hold
// the user's own escape sequences), control characters (except tab and
// newline), DEL, C1 controls and bytes that are not valid UTF-8 are shown as \xNN.
// Not applied when stdout is a file or pipe (bytes pass exactly) or with --raw.
import { ByteSink } from './output.js';

const HEX = '0123456789abcdef';

function escapeByte(sink: ByteSink, b: number): void {
  sink.ascii(`\\x${HEX[b >> 4]}${HEX[b & 15]}`);
}

/** Length of a valid UTF-8 sequence starting at i (0 if invalid). */
function utf8SequenceLength(s: Uint8Array, i: number): number {
  const b0 = s[i]!;
  const cont = (k: number): boolean => i + k < s.length && (s[i + k]! & 0xc0) === 0x80;
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    if (!cont(1) || !cont(2)) return 0;
    const b1 = s[i + 1]!;
    if (b0 === 0xe0 && b1 < 0xa0) return 0; // overlong
    if (b0 === 0xed && b1 >= 0xa0) return 0; // surrogate
    return 3;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    const b1 = s[i + 1]!;
    if (b0 === 0xf0 && b1 < 0x90) return 0; // overlong
    if (b0 === 0xf4 && b1 >= 0x90) return 0; // above U+10FFFF
    return 4;
  }
  return 0;
}

const isPlain = (b: number): boolean => (b >= 0x20 && b < 0x7f) || b === 0x09 || b === 0x0a;

/** True when the bytes can go to a terminal unchanged. */
export function isTerminalSafe(s: Uint8Array): boolean {
  for (let i = 0; i < s.length; i++) {
    const b = s[i]!;
    if (isPlain(b)) continue;
    if (b < 0x80) return false;
    const n = utf8SequenceLength(s, i);
    if (n === 0 || (n === 2 && b === 0xc2 && s[i + 1]! < 0xa0)) return false;
    i += n - 1;
  }
  return true;
}

/** Writes the bytes, escaping anything that could act on a terminal. */
export function writeTerminalSafe(sink: ByteSink, s: Uint8Array): void {
  if (isTerminalSafe(s)) {
    sink.bytes(s);
    return;
  }
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const b = s[i]!;
    if (isPlain(b)) continue;
    if (b >= 0x80) {
      const n = utf8SequenceLength(s, i);
      // C1 controls (U+0080..U+009F) are encoded as C2 80..C2 9F.
      if (n > 0 && !(n === 2 && b === 0xc2 && s[i + 1]! < 0xa0)) {
        i += n - 1;
        continue;
      }
      if (n === 2) {
        sink.bytes(s, from, i);
        escapeByte(sink, b);
        escapeByte(sink, s[i + 1]!);
        i += 1;
        from = i + 1;
        continue;
      }
    }
    sink.bytes(s, from, i);
    escapeByte(sink, b);
    from = i + 1;
  }
  sink.bytes(s, from, s.length);
}

/** The bytes as writeTerminalSafe would write them: the same array when nothing needs escaping. */
export function terminalSafe(s: Uint8Array): Uint8Array {
  if (isTerminalSafe(s)) return s;
  const sink = new ByteSink(s.length * 4);
  writeTerminalSafe(sink, s);
  return sink.take();
}
