// Reading passwords. On a terminal: raw mode, so nothing is echoed, and the
// terminal is put back however we leave (Enter, Ctrl-C, SIGINT/SIGTERM, an
// error). From a pipe: one line per answer, as mosquitto_passwd reads it.
// Prompts go to stdout, as mosquitto_passwd writes them.
import type { ReadStream } from 'node:tty';
import { MqttToolError } from '../../errors.js';
import { MAX_FIELD } from './options.js';

export interface PromptIo {
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream;
}

const defaultIo = (): PromptIo => ({ input: process.stdin, output: process.stdout });

const empty = (): MqttToolError => new MqttToolError('USAGE', 'Empty password.');

const tooLong = (): MqttToolError => new MqttToolError('USAGE', 'Password must be less than 65536 characters long.');
/** A line longer than this (a password of 65,535 bytes, '\r', '\n') is refused before more is read. */
const MAX_LINE_BYTES = MAX_FIELD + 1;

/**
 * Lines of a non-terminal input, '\n' split and one trailing '\r' dropped.
 * Each chunk is searched once and a line is joined once (linear), and a line
 * longer than a password can be is refused as soon as it is seen (bounded).
 */
export async function* inputLines(input: NodeJS.ReadableStream): AsyncGenerator<Buffer> {
  let parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    let b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let nl: number;
    while ((nl = b.indexOf(10)) >= 0) {
      if (size + nl > MAX_LINE_BYTES) throw tooLong();
      parts.push(b.subarray(0, nl));
      const line = stripCr(Buffer.concat(parts));
      parts = [];
      size = 0;
      b = b.subarray(nl + 1);
      yield line;
    }
    size += b.length;
    if (size > MAX_LINE_BYTES) throw tooLong();
    if (b.length > 0) parts.push(b);
  }
  if (size > 0) yield stripCr(Buffer.concat(parts));
}

const stripCr = (b: Buffer): Buffer => (b.length > 0 && b[b.length - 1] === 13 ? b.subarray(0, -1) : b);

/** Drops the last UTF-8 character (Backspace). */
function dropLastChar(bytes: number[]): void {
  while (bytes.length > 0 && ((bytes.pop() as number) & 0xc0) === 0x80);
}

/**
 * One entry on a terminal without echo. Ctrl-C restores the terminal and
 * throws INTERRUPTED. `prompt` is shown only once echo is off, so nothing typed
 * early is echoed or turned into a signal.
 */
function readHidden(tty: ReadStream, prompt: () => void): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const bytes: number[] = [];
    const wasRaw = tty.isRaw;
    const restore = (): void => {
      tty.setRawMode(wasRaw);
      tty.pause();
      tty.off('data', onData);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.off('exit', onExit);
    };
    const interrupted = (): void => {
      restore();
      reject(new MqttToolError('INTERRUPTED', 'Interrupted.'));
    };
    const onSignal = (): void => interrupted();
    const onExit = (): void => void tty.setRawMode(wasRaw);
    const onData = (chunk: Buffer): void => {
      for (const b of chunk) {
        if (b === 3) return interrupted(); // Ctrl-C arrives as a byte in raw mode
        if (b === 13 || b === 10 || (b === 4 && bytes.length === 0)) {
          restore();
          resolve(Buffer.from(bytes));
          return;
        }
        if (b === 0x7f || b === 8) dropLastChar(bytes);
        else if (b === 0x15) bytes.length = 0; // Ctrl-U
        else if (b !== 4) bytes.push(b);
      }
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    process.on('exit', onExit);
    tty.setRawMode(true);
    prompt();
    tty.on('data', onData);
    tty.resume();
  });
}

function checked(pw: Buffer | undefined): Buffer {
  if (!pw || pw.length === 0) throw empty();
  if (pw.length > MAX_FIELD) throw tooLong();
  return pw;
}

/**
 * "Password: " (and "Reenter password: " when `confirm`), each answer followed
 * by a newline on stdout. Mismatch: PASSWORD_MISMATCH (exit 2).
 */
export async function promptPassword(confirm: boolean, io: PromptIo = defaultIo()): Promise<Buffer> {
  const tty = io.input.isTTY ? (io.input as ReadStream) : undefined;
  const lines = tty ? undefined : inputLines(io.input);
  const ask = async (prompt: string): Promise<Buffer | undefined> => {
    const show = (): void => void io.output.write(prompt);
    let answer: Buffer | undefined;
    if (tty) answer = await readHidden(tty, show);
    else {
      show();
      answer = (await (lines as AsyncGenerator<Buffer>).next()).value;
    }
    // mosquitto ends the prompt line only after a non-empty answer; otherwise the error follows.
    if (answer !== undefined && answer.length > 0) io.output.write('\n');
    return answer;
  };
  try {
    const first = checked(await ask('Password: '));
    if (!confirm) return first;
    const second = checked(await ask('Reenter password: '));
    if (!first.equals(second)) throw new MqttToolError('PASSWORD_MISMATCH', 'Passwords do not match.');
    return first;
  } catch (e) {
    // A Ctrl-C at the prompt ends the line the cursor is on.
    if (e instanceof MqttToolError && e.code === 'INTERRUPTED') io.output.write('\n');
    throw e;
  } finally {
    await lines?.return(undefined);
  }
}

/** --stdin: the first line of standard input, without prompting. */
export async function readPasswordLine(input: NodeJS.ReadableStream = process.stdin): Promise<Buffer> {
  const lines = inputLines(input);
  try {
    return checked((await lines.next()).value);
  } finally {
    await lines.return(undefined);
  }
}
