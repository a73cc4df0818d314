// Chooses how each message is printed: mosquitto's default (payload only),
// -v (topic payload), -F (format), or our --json lines; plus --output
// encodings and terminal safety. Appends bytes to a sink; never writes itself.
import type { ReceivedMessage } from '../../client/types.js';
import type { FormatToken } from './format-parse.js';
import { renderFormat, writeHexBytes } from './format-render.js';
import { writeJsonLine } from './json.js';
import type { ByteSink } from './output.js';
import { terminalSafe, writeTerminalSafe } from './terminal-safety.js';
import { now, type Instant } from './time-format.js';

export type OutputEncoding = 'raw' | 'hex' | 'base64';

export interface PrintOptions {
  mode: 'default' | 'verbose' | 'format' | 'json';
  format?: FormatToken[];
  /** false with -N */
  eol: boolean;
  pretty: boolean;
  /** --output: how the default and -v forms show the payload. */
  encoding: OutputEncoding;
  /** Escape control characters (stdout is a terminal and --raw was not given). */
  escapeControls: boolean;
  onInvalidJson(topic: string): void;
  /** %d / %f on a payload of the wrong size. */
  onWrongSize?(conv: 'd' | 'f'): void;
  clock?: () => Instant;
}

const NULL_SUFFIX = Buffer.from(' (null)\n', 'latin1');

export type Printer = (msg: ReceivedMessage) => void;

export function createPrinter(sink: ByteSink, o: PrintOptions): Printer {
  const payloadOut = (p: Uint8Array): void => {
    if (o.encoding === 'hex') writeHexBytes(sink, p);
    else if (o.encoding === 'base64') sink.ascii(Buffer.from(p.buffer, p.byteOffset, p.length).toString('base64'));
    else if (o.escapeControls) writeTerminalSafe(sink, p);
    else sink.bytes(p);
  };
  const topicOut = (t: string): void => {
    if (o.escapeControls) writeTerminalSafe(sink, Buffer.from(t, 'utf8'));
    else sink.utf8(t);
  };

  switch (o.mode) {
    case 'format': {
      const tokens = o.format ?? [];
      const opts = { pretty: o.pretty, onInvalidJson: o.onInvalidJson, onWrongSize: o.onWrongSize, clock: o.clock, ...(o.escapeControls ? { untrusted: terminalSafe } : {}) };
      return (msg) => {
        renderFormat(sink, tokens, msg, opts);
        if (o.eol) sink.byte(0x0a);
      };
    }
    case 'json': {
      const clock = o.clock ?? now;
      return (msg) => {
        writeJsonLine(sink, msg, clock());
        sink.byte(0x0a);
      };
    }
    case 'verbose':
      return (msg) => {
        if (msg.payload.length) {
          topicOut(msg.topic);
          sink.byte(0x20);
          payloadOut(msg.payload);
          if (o.eol) sink.byte(0x0a);
        } else if (o.eol) {
          topicOut(msg.topic);
          sink.bytes(NULL_SUFFIX);
        }
      };
    default:
      return (msg) => {
        if (!msg.payload.length) return; // mosquitto prints nothing at all
        payloadOut(msg.payload);
        if (o.eol) sink.byte(0x0a);
      };
  }
}
