// The printer when stdout is a terminal, or when an option of ours changes the
// output (--timestamp, --json --pretty); a script's mqtt-sub never runs it. On a terminal:
//  - -v: topic in colour, QoS/retain markers (q1, q2, r) in colour, payload
//    escapes dim (terminal-safety.ts);
//  - --pretty: a JSON payload indented and coloured (default and -v forms),
//    --output hex in spaced byte pairs; --json lines laid out on several lines;
//  - JSON output (%j, %J, --json): DEL and C1 controls as \u escapes.
// Off a terminal the bytes are mosquitto's, plus only what our options ask for.
import type { ReceivedMessage } from '../../client/types.js';
import { writeJsonLine } from './json.js';
import { ByteSink } from './output.js';
import { JSON_COLOURS, jsonPayloadText, layoutJson, NO_COLOURS } from './pretty-json.js';
import { createPrinter, type Printer, type PrintOptions } from './printer.js';
import { jsonTerminalSafe, writeTerminalSafe, type EscapeStyle } from './terminal-safety.js';
import { now } from './time-format.js';
import { wrongSizeText } from './format-float.js';
import type { OutputPlan } from '../shared/output-options.js';

export interface RichOptions extends PrintOptions {
  /** Colour on stdout: a terminal, NO_COLOR unset (see stdoutColour). */
  colour: boolean;
  /** --timestamp: local time before each -v line. */
  timestamp: boolean;
}

const SGR = {
  topic: '\x1b[1;36m',
  marker: '\x1b[33m',
  dim: '\x1b[2m',
  undim: '\x1b[22m',
  reset: '\x1b[0m',
};

/** Colour for stdout: a terminal only (pipes keep mosquitto's bytes even with FORCE_COLOR); NO_COLOR wins. */
export function stdoutColour(env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (!isTTY || env.NO_COLOR || env.FORCE_COLOR === '0') return false;
  return env.TERM !== 'dumb' || (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '');
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** HH:MM:SS.mmm, local time. */
export function clockTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

export function createRichPrinter(sink: ByteSink, o: RichOptions): Printer {
  const terminal = o.escapeControls;
  if (o.mode === 'json') return jsonPrinter(sink, o, terminal);
  if (o.mode === 'format') return terminal ? formatPrinter(sink, o) : createPrinter(sink, o);
  if (terminal) return verbosePrinter(sink, o);
  // Off a terminal only --timestamp brings us here: mosquitto's line after it.
  const plain = createPrinter(sink, o);
  return (msg) => {
    if (o.mode === 'verbose' && o.timestamp && (msg.payload.length || o.eol)) sink.ascii(`${clockTime(Date.now())} `);
    plain(msg);
  };
}

function jsonPrinter(sink: ByteSink, o: RichOptions, terminal: boolean): Printer {
  const clock = o.clock ?? now;
  const line = new ByteSink(4096);
  const colours = o.colour ? JSON_COLOURS : NO_COLOURS;
  return (msg) => {
    const text = o.pretty ? jsonPayloadText(msg.payload) : undefined;
    // Re-laid out on one line: newlines in the payload's whitespace would break the JSON lines.
    writeJsonLine(line, msg, clock(), text === undefined ? undefined : layoutJson(text));
    const bytes = line.take();
    if (terminal && o.pretty) sink.utf8(layoutJson(bytes.toString('utf8'), colours, '  '));
    else sink.bytes(terminal ? jsonTerminalSafe(bytes) : bytes);
    sink.byte(0x0a);
  };
}

function formatPrinter(sink: ByteSink, o: RichOptions): Printer {
  const hasJson = (o.format ?? []).some((t) => typeof t === 'object' && t.kind === 'field' && (t.conv === 'j' || t.conv === 'J'));
  if (!hasJson) return createPrinter(sink, o);
  const scratch = new ByteSink(4096);
  const render = createPrinter(scratch, o);
  return (msg) => {
    render(msg);
    sink.bytes(jsonTerminalSafe(scratch.take()));
  };
}

function verbosePrinter(sink: ByteSink, o: RichOptions): Printer {
  const c = o.colour;
  const style: EscapeStyle = c ? { on: SGR.dim, off: SGR.undim } : { on: '', off: '' };
  const paint = (code: string, text: string): void => sink.utf8(c ? `${code}${text}${SGR.reset}` : text);
  const payloadOut = (p: Uint8Array): void => {
    if (o.encoding === 'hex') sink.ascii(hexText(p, o.pretty));
    else if (o.encoding === 'base64') sink.ascii(Buffer.from(p.buffer, p.byteOffset, p.length).toString('base64'));
    else {
      const json = o.pretty ? jsonPayloadText(p) : undefined;
      if (json !== undefined) sink.utf8(layoutJson(json, c ? JSON_COLOURS : NO_COLOURS, '  '));
      else writeTerminalSafe(sink, p, style);
    }
  };
  const head = (msg: ReceivedMessage): void => {
    if (o.timestamp) paint(SGR.dim, `${clockTime(Date.now())} `);
    if (c) sink.ascii(SGR.topic);
    writeTerminalSafe(sink, Buffer.from(msg.topic, 'utf8'), style);
    if (c) sink.ascii(SGR.reset);
    // Markers only with colour: without it they could pass for payload text.
    if (c && (msg.qos > 0 || msg.retain)) paint(SGR.marker, ` ${msg.qos > 0 ? `q${msg.qos}` : ''}${msg.retain ? (msg.qos ? ' r' : 'r') : ''}`);
  };
  if (o.mode === 'default') {
    return (msg) => {
      if (!msg.payload.length) return;
      payloadOut(msg.payload);
      if (o.eol) sink.byte(0x0a);
    };
  }
  return (msg) => {
    if (msg.payload.length) {
      head(msg);
      sink.byte(0x20);
      payloadOut(msg.payload);
      if (o.eol) sink.byte(0x0a);
    } else if (o.eol) {
      head(msg);
      sink.byte(0x20);
      paint(SGR.dim, '(null)');
      sink.byte(0x0a);
    }
  };
}

/** --output hex; with --pretty on a terminal, byte pairs spaced and grouped by 8 for reading. */
function hexText(p: Uint8Array, pretty: boolean): string {
  const hex = Buffer.from(p.buffer, p.byteOffset, p.length).toString('hex');
  if (!pretty) return hex;
  return (hex.match(/.{1,2}/g) ?? []).map((pair, i) => (i > 0 && i % 8 === 0 ? ` ${pair}` : pair)).join(' ');
}

/**
 * The printer for an output plan (mqtt-sub and mqtt-rr): this one on a terminal or when
 * an option of ours changes the output (--timestamp, --json --pretty), else mosquitto's.
 */
export function outputPrinter(sink: ByteSink, o: OutputPlan, stderr: (line: string) => void, timestamp = false): Printer {
  const terminal = process.stdout.isTTY === true && !o.raw;
  const options: PrintOptions = {
    mode: o.mode,
    ...(o.format ? { format: o.format } : {}),
    eol: o.eol,
    pretty: o.pretty,
    encoding: o.encoding,
    escapeControls: terminal,
    onInvalidJson: (topic) => stderr(`Error: Message payload is not valid JSON on topic ${topic}.`),
    onWrongSize: (conv) => stderr(wrongSizeText(conv)),
  };
  if (!terminal && !timestamp && !(o.pretty && o.mode === 'json')) return createPrinter(sink, options);
  return createRichPrinter(sink, { ...options, colour: stdoutColour(process.env, terminal), timestamp });
}
