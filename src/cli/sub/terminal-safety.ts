// When mqtt-sub prints to a terminal, a topic or payload must not be able to
// drive it: ESC sequences can retitle windows, rewrite the screen or worse.
// In the default and -v forms, and in the message's own fields within -F
// (topic, payload, properties; never the format's literal text, which may hold
// the user's own escape sequences), control characters (except tab and
// newline), DEL, C1 controls and bytes that are not valid UTF-8 are shown as \xNN,
// and a backslash as \\ (so a publisher's literal text "\x1b" cannot pass for an
// escaped ESC byte). With colour on, each escape is drawn dim.
// Not applied when stdout is a file or pipe (bytes pass exactly) or with --raw.
import { utf8SequenceLength } from '../../codec/validate.js';
import { ByteSink } from './output.js';

const HEX = '0123456789abcdef';

/** SGR sequences drawn around each escape (dim on a colour terminal), or none. */
export interface EscapeStyle {
  on: string;
  off: string;
}
const PLAIN: EscapeStyle = { on: '', off: '' };

function escapeByte(sink: ByteSink, b: number, style: EscapeStyle): void {
  sink.ascii(`${style.on}\\x${HEX[b >> 4]}${HEX[b & 15]}${style.off}`);
}

const BACKSLASH = 0x5c;
const isPlain = (b: number): boolean => (b >= 0x20 && b < 0x7f && b !== BACKSLASH) || b === 0x09 || b === 0x0a;

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
export function writeTerminalSafe(sink: ByteSink, s: Uint8Array, style: EscapeStyle = PLAIN): void {
  if (isTerminalSafe(s)) {
    sink.bytes(s);
    return;
  }
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const b = s[i]!;
    if (isPlain(b)) continue;
    if (b === BACKSLASH) {
      sink.bytes(s, from, i);
      sink.ascii(`${style.on}\\\\${style.off}`);
      from = i + 1;
      continue;
    }
    if (b >= 0x80) {
      const n = utf8SequenceLength(s, i);
      // C1 controls (U+0080..U+009F) are encoded as C2 80..C2 9F.
      if (n > 0 && !(n === 2 && b === 0xc2 && s[i + 1]! < 0xa0)) {
        i += n - 1;
        continue;
      }
      if (n === 2) {
        sink.bytes(s, from, i);
        escapeByte(sink, b, style);
        escapeByte(sink, s[i + 1]!, style);
        i += 1;
        from = i + 1;
        continue;
      }
    }
    sink.bytes(s, from, i);
    escapeByte(sink, b, style);
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

/**
 * JSON (%j, %J, --json) on a terminal: JSON.stringify and cJSON leave DEL and
 * the C1 controls raw; they become \u007f..\u009f, which is still valid JSON
 * for the same text. Bytes that are not UTF-8 at all (cJSON passes them) are
 * shown as \xNN like any other payload byte on a terminal.
 */
export function jsonTerminalSafe(s: Uint8Array): Uint8Array {
  const sink = new ByteSink(s.length + 64);
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const b = s[i]!;
    if (b < 0x7f) continue;
    if (b === 0x7f) {
      sink.bytes(s, from, i);
      sink.ascii('\\u007f');
      from = i + 1;
      continue;
    }
    const n = utf8SequenceLength(s, i);
    if (n === 2 && b === 0xc2 && s[i + 1]! < 0xa0) {
      sink.bytes(s, from, i);
      sink.ascii(`\\u00${HEX[s[i + 1]! >> 4]}${HEX[s[i + 1]! & 15]}`);
      from = i + 2;
      i += 1;
    } else if (n === 0) {
      sink.bytes(s, from, i);
      escapeByte(sink, b, PLAIN);
      from = i + 1;
    } else i += n - 1;
  }
  if (from === 0) return s;
  sink.bytes(s, from, s.length);
  return sink.take();
}
