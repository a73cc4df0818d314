// The message-payload options mqtt-pub and mqtt-rr share (-m -f -s -l -n, one
// of them): which one was given, and the payload it stands for.
import { MqttToolError } from '../../errors.js';
import { strerror } from '../../strerror.js';
import { ArgvError } from './argv-error.js';
import { argBytes } from './argv-bytes.js';
import { readFileBounded, type BoundedRead } from '../../bounded-read.js';
import { str, type ParsedArgs } from './args.js';
import { flagOption, valueOption, type OptionKey, type OptionSpec } from './option-table.js';

// Exactly one may be given.
const mode = { group: 'message', groupError: 'Only one type of message can be sent at once.' } as const;

/** The message modes, as mosquitto_pub spells them (mosquitto_rr has all but -l). */
export const PAYLOAD_OPTIONS = [
  valueOption(['-m', '--message'], 'message', 'message', 'the message payload, taken from the command line.', mode),
  valueOption(['-f', '--file'], 'file', 'file', 'send a whole file as one message (any bytes).', mode),
  flagOption(['-s', '--stdin-file'], 'stdinFile', 'send all of standard input as one message (empty input is an error).', mode),
  flagOption(['-l', '--stdin-line'], 'stdinLine', 'send one message per line of standard input (the newline is removed).', mode),
  flagOption(['-n', '--null-message'], 'nullMessage', 'send a zero-length message.', mode),
] as const satisfies readonly OptionSpec[];

export type PayloadKey = OptionKey<typeof PAYLOAD_OPTIONS>;

export const MAX_PAYLOAD = 268435455;

export type PayloadSource =
  | { kind: 'message'; payload: Buffer } // -m
  | { kind: 'file'; path: string } // -f
  | { kind: 'stdin' } // -s
  | { kind: 'lines' } // -l
  | { kind: 'null' }; // -n

export function sourceFrom(args: ParsedArgs<PayloadKey>): PayloadSource | undefined {
  switch (args.groups.message) {
    case 'message': {
      const payload = argBytes(str(args, 'message') ?? '');
      if (payload.length > MAX_PAYLOAD) throw new ArgvError(`Message length must be less than ${MAX_PAYLOAD} bytes.`);
      return { kind: 'message', payload };
    }
    case 'file':
      return { kind: 'file', path: str(args, 'file') ?? '' };
    case 'stdinFile':
      return { kind: 'stdin' };
    case 'stdinLine':
      return { kind: 'lines' };
    case 'nullMessage':
      return { kind: 'null' };
    default:
      return undefined;
  }
}

/** The payload of -m/-n/-f/-s (undefined for -l, read line by line later); read before connecting, as mosquitto does. */
export async function loadPayload(src: PayloadSource): Promise<Uint8Array | undefined> {
  if (src.kind === 'message') return src.payload;
  if (src.kind === 'null') return Buffer.alloc(0);
  if (src.kind === 'file') {
    let read: BoundedRead;
    try {
      read = readFileBounded(src.path, MAX_PAYLOAD); // /dev/zero or an endless FIFO stops at the limit
    } catch (e) {
      // mosquitto's two lines, then why (it does not say).
      const lines = [loadFailed(src.path), `The file could not be read: ${strerror(e)}.`];
      throw new MqttToolError('IO_ERROR', `Unable to open file "${src.path}".`, { cause: e, lines });
    }
    if (!read.complete) {
      throw new MqttToolError('IO_ERROR', `File must be less than ${MAX_PAYLOAD} bytes.`, { lines: ['', loadFailed(src.path)] });
    }
    return read.data;
  }
  if (src.kind === 'stdin') {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of process.stdin as AsyncIterable<Buffer>) {
      size += c.length;
      if (size > MAX_PAYLOAD) {
        throw new MqttToolError('IO_ERROR', `Message length must be less than ${MAX_PAYLOAD} bytes.`, { lines: ['', loadFailed()] });
      }
      chunks.push(c);
    }
    if (size === 0) throw new MqttToolError('IO_ERROR', 'Zero length input.', { lines: [loadFailed()] });
    return Buffer.concat(chunks, size);
  }
  return undefined; // -l reads after CONNACK
}

/** mosquitto's second line after any failure to read -s or -f (its first line says why). */
function loadFailed(file?: string): string {
  return file === undefined ? 'Error loading input from stdin.' : `Error loading input file "${file}".`;
}
