// Renders one message through a parsed -F format, byte for byte as
// mosquitto_sub 2.0.x does (printf-style widths count bytes, not characters),
// with one deliberate difference: %x/%X widths pad but never truncate (the
// 2.0.x truncation is a bug that the development line fixed).
import type { ReceivedMessage } from '../../client/types.js';
import type { FormatToken, PercentToken } from './format-parse.js';
import { writeMosquittoJson } from './json.js';
import { formatFloatField, payloadNumber } from './format-float.js';
import type { ByteSink } from './output.js';
import { isoLocal, localDate, now, strftimeOne, unixNanos, type Instant } from './time-format.js';

export interface RenderOptions {
  /** --pretty: multi-line %j/%J. */
  pretty: boolean;
  /** Called when %J meets a payload that is not JSON (mosquitto reports it on stderr). */
  onInvalidJson(topic: string): void;
  /** Called when %d / %f meet a payload of the wrong size (mosquitto 2.1 reports it on stderr). */
  onWrongSize?(conv: 'd' | 'f'): void;
  /** Clock source (tests pin it). */
  clock?: () => Instant;
  /**
   * Applied to the message's own bytes (topic, payload, string and binary
   * properties) before widths: terminal escaping when stdout is a terminal.
   */
  untrusted?: (bytes: Uint8Array) => Uint8Array;
}

const asIs = (b: Uint8Array): Uint8Array => b;

const SPACE = 0x20;
const ZERO = 0x30;
const HEX_LOWER = Buffer.from('0123456789abcdef', 'latin1');
const HEX_UPPER = Buffer.from('0123456789ABCDEF', 'latin1');

/** printf("%d") family as mosquitto's formatted_print_int. */
function writeInt(sink: ByteSink, value: number, f: PercentToken): void {
  const s = `${value}`;
  if (f.width === 0 || s.length >= f.width) {
    sink.ascii(s);
  } else if (f.left) {
    sink.ascii(s);
    sink.repeat(SPACE, f.width - s.length);
  } else if (f.zero) {
    if (value < 0) {
      sink.byte(0x2d);
      sink.repeat(ZERO, f.width - s.length);
      sink.ascii(s.slice(1));
    } else {
      sink.repeat(ZERO, f.width - s.length);
      sink.ascii(s);
    }
  } else {
    sink.repeat(SPACE, f.width - s.length);
    sink.ascii(s);
  }
}

/** printf("%*.*s") on bytes: precision truncates, width pads with spaces. */
function writeStr(sink: ByteSink, bytes: Uint8Array, f: PercentToken): void {
  const n = f.precision >= 0 ? Math.min(f.precision, bytes.length) : bytes.length;
  const pad = f.width - n;
  if (pad > 0 && !f.left) sink.repeat(SPACE, pad);
  sink.bytes(bytes, 0, n);
  if (pad > 0 && f.left) sink.repeat(SPACE, pad);
}

/** An absent property: width × the pad character. */
function writeBlank(sink: ByteSink, padChar: number, width: number): void {
  sink.repeat(padChar, width);
}

/**
 * Left-aligned padding after a payload. mosquitto writes it with
 * printf("%*s", pad, ""), so with no width the negative pad (-length) becomes
 * left-justified padding of `length` spaces: "%-p" prints the payload and then
 * as many spaces as it has bytes.
 */
function writeTrailingPad(sink: ByteSink, pad: number): void {
  sink.repeat(SPACE, Math.abs(pad));
}

/** %p: a width pads and also truncates the payload to that many bytes. */
function writePayload(sink: ByteSink, payload: Uint8Array, f: PercentToken): void {
  const n = f.width > 0 ? Math.min(payload.length, f.width) : payload.length;
  const pad = f.width - n;
  if (!f.left && pad > 0) sink.repeat(f.zero ? ZERO : SPACE, pad);
  sink.bytes(payload, 0, n);
  if (f.left) writeTrailingPad(sink, pad);
}

/** %x / %X: two hex digits per byte; a width pads (never truncates). */
function writeHex(sink: ByteSink, payload: Uint8Array, f: PercentToken, upper: boolean): void {
  const pad = f.width - payload.length * 2;
  if (!f.left && pad > 0) sink.repeat(f.zero ? ZERO : SPACE, pad);
  writeHexBytes(sink, payload, upper);
  // With no width, "%-x" keeps 2.0.x's trailing spaces (one per payload byte, as "%-p").
  if (f.left) writeTrailingPad(sink, f.width === 0 ? -payload.length : Math.max(0, pad));
}

/**
 * %x / %X as mosquitto 2.1's write_payload: a width counts hex digits and cuts the
 * payload to that many bytes; every `precision` digits (pad included) the separator
 * (default a space) follows; "%-" pads after with printf's "%*s" (a negative pad: its size).
 */
function writeHex21(sink: ByteSink, payload: Uint8Array, f: PercentToken, upper: boolean): void {
  const digits = upper ? HEX_UPPER : HEX_LOWER;
  const sep = f.separator ?? SPACE;
  const len = f.width > 0 ? Math.min(payload.length, f.width) : payload.length;
  const padlen = f.width > 0 ? f.width - len * 2 : f.width - len;
  let xpos = 0;
  const hexsep = (): void => {
    if (f.precision > 0 && xpos % f.precision === f.precision - 1) sink.byte(sep);
    xpos++;
  };
  if (!f.left) {
    for (let i = 0; i < padlen; i++) {
      sink.byte(f.zero ? ZERO : SPACE);
      hexsep();
    }
  }
  for (let i = 0; i < len; i++) {
    const b = payload[i] as number;
    sink.byte(digits[b >> 4]!);
    hexsep();
    sink.byte(digits[b & 15]!);
    if (i < len - 1) hexsep();
  }
  if (f.left) sink.repeat(SPACE, Math.abs(padlen));
}

export function writeHexBytes(sink: ByteSink, payload: Uint8Array, upper = false): void {
  const digits = upper ? HEX_UPPER : HEX_LOWER;
  if (!upper && Buffer.isBuffer(payload)) {
    sink.ascii(payload.toString('hex'));
    return;
  }
  for (const b of payload) {
    sink.byte(digits[b >> 4]!);
    sink.byte(digits[b & 15]!);
  }
}

/** C's (int) cast of a 32-bit unsigned property value, as mosquitto prints it. */
const asInt = (v: number): number => v | 0;

class MessageRender {
  private t: Instant | undefined;
  private topicBytes: Uint8Array | undefined;
  private readonly safe: (bytes: Uint8Array) => Uint8Array;

  constructor(
    private readonly sink: ByteSink,
    private readonly msg: ReceivedMessage,
    private readonly opts: RenderOptions,
  ) {
    this.safe = opts.untrusted ?? asIs;
  }

  time(): Instant {
    this.t ??= (this.opts.clock ?? now)();
    return this.t;
  }

  topic(): Uint8Array {
    this.topicBytes ??= this.safe(Buffer.from(this.msg.topic, 'utf8'));
    return this.topicBytes;
  }

  field(f: PercentToken): void {
    const { sink, msg } = this;
    const p = msg.properties ?? {};
    const pad = f.zero ? ZERO : SPACE;
    switch (f.conv) {
      case 'A':
        if (p.topicAlias !== undefined) writeInt(sink, p.topicAlias, f);
        else writeBlank(sink, pad, f.width);
        return;
      case 'C':
        if (p.contentType !== undefined) writeStr(sink, this.safe(Buffer.from(p.contentType, 'utf8')), f);
        else writeBlank(sink, SPACE, f.width);
        return;
      case 'D':
        if (p.correlationData) sink.bytes(this.safe(p.correlationData));
        return;
      case 'E':
        if (p.messageExpiryInterval !== undefined) writeInt(sink, asInt(p.messageExpiryInterval), f);
        else writeBlank(sink, pad, f.width);
        return;
      case 'F':
        if (p.payloadFormatIndicator !== undefined) writeInt(sink, p.payloadFormatIndicator, f);
        else writeBlank(sink, pad, f.width);
        return;
      case 'I':
        writeStr(sink, Buffer.from(isoLocal(this.time()), 'latin1'), f);
        return;
      case 'j':
      case 'J':
        if (!writeMosquittoJson(sink, msg, this.time(), f.conv === 'j', this.opts.pretty)) {
          this.opts.onInvalidJson(msg.topic);
        }
        return;
      case 'l':
        writeInt(sink, msg.payload.length, f);
        return;
      case 'm':
        writeInt(sink, msg.packetId ?? 0, f);
        return;
      case 'P':
        (p.userProperties ?? []).forEach(([k, v], i) => {
          if (i > 0) sink.byte(SPACE);
          sink.bytes(this.safe(Buffer.from(`${k}:${v}`, 'utf8')));
        });
        return;
      case 'p':
        writePayload(sink, this.safe(msg.payload), f);
        return;
      case 'q':
        sink.byte(0x30 + msg.qos);
        return;
      case 'R':
        if (p.responseTopic !== undefined) writeStr(sink, this.safe(Buffer.from(p.responseTopic, 'utf8')), f);
        return;
      case 'r':
        sink.byte(msg.retain ? 0x31 : 0x30);
        return;
      case 'S': {
        const id = p.subscriptionIdentifiers?.[0];
        if (id !== undefined) writeInt(sink, asInt(id), f);
        else writeBlank(sink, pad, f.width);
        return;
      }
      case 't':
        writeStr(sink, this.topic(), f);
        return;
      case 'U':
        sink.ascii(unixNanos(this.time()));
        return;
      case 'x':
      case 'X':
        // A precision or a separator is 2.1's syntax, so 2.1's layout; otherwise 2.0's.
        if (f.precision >= 0 || f.separator !== undefined) writeHex21(sink, msg.payload, f, f.conv === 'X');
        else writeHex(sink, msg.payload, f, f.conv === 'X');
        return;
      case 'd':
      case 'f': {
        const x = payloadNumber(msg.payload, f.conv);
        if (x === undefined) this.opts.onWrongSize?.(f.conv);
        else sink.ascii(formatFloatField(x, f));
      }
    }
  }

  timeSeq(conv: string): void {
    const t = this.time();
    if (conv === 'N') this.sink.ascii(t.ns.toString().padStart(9, '0'));
    else this.sink.utf8(strftimeOne(conv, localDate(t), t.sec));
  }
}

/** Appends the formatted message (without the trailing newline) to the sink. */
export function renderFormat(sink: ByteSink, tokens: FormatToken[], msg: ReceivedMessage, opts: RenderOptions): void {
  const r = new MessageRender(sink, msg, opts);
  for (const tok of tokens) {
    if (tok.kind === 'text') sink.bytes(tok.bytes);
    else if (tok.kind === 'field') r.field(tok);
    else r.timeSeq(tok.conv);
  }
}
