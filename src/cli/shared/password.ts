// Passwords off the command line (argv is visible in `ps` and shell history):
//   --password-file FILE   first line of FILE (trailing CR/LF removed), bytes as-is
//   --password-prompt      asked on the terminal (/dev/tty) with echo off
//   MQTT_PASSWORD          environment; used only when a username is given and no
//                          other password source is
// -P (and a password inside -L) still work, as in mosquitto.
import { openSync, writeSync } from 'node:fs';
import { MqttToolError } from '../../errors.js';
import { ArgvError } from './argv-error.js';
import { readFileBounded } from '../../bounded-read.js';
import { flag, str, type ParsedArgs } from './args.js';
import type { ConnectionKey } from './connection-options.js';
import { urlOrOption } from './url-arg.js';
import { importExternal } from '../../import-external.js';

export interface PasswordIo {
  /** At most `limit` bytes from the start of the file. */
  readFile(path: string, limit: number): Uint8Array;
  prompt(question: string): Promise<Uint8Array>;
}

export const PASSWORD_ENV = 'MQTT_PASSWORD';
/** MQTT carries a password with a two-byte length. */
export const MAX_PASSWORD = 65_535;

/** The password from a file, prompt or env, or undefined (then -P/-L, if any, apply). */
export async function resolvePassword(
  args: ParsedArgs<ConnectionKey>,
  env: NodeJS.ProcessEnv,
  io: PasswordIo = defaultIo,
): Promise<Uint8Array | undefined> {
  const file = str(args, 'passwordFile');
  const prompt = flag(args, 'passwordPrompt');
  const given = [urlOrOption(args, 'password') !== undefined, file !== undefined, prompt].filter(Boolean).length;
  if (given > 1) throw new ArgvError('Use only one of -P, --password-file and --password-prompt.');
  if (file !== undefined) return passwordFromFile(file, io);
  if (prompt) return io.prompt('Password: ');
  const fromEnv = env[PASSWORD_ENV];
  if (given === 0 && fromEnv !== undefined && urlOrOption(args, 'username') !== undefined) return Buffer.from(fromEnv, 'utf8');
  return undefined;
}

/** The file's first line; only as much is read as a password can hold (plus CR LF), so /dev/zero ends too. */
function passwordFromFile(path: string, io: PasswordIo): Uint8Array {
  let head: Uint8Array;
  try {
    head = io.readFile(path, MAX_PASSWORD + 2);
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new MqttToolError('IO_ERROR', `Unable to read password file "${path}" (${why}).`, { cause: e });
  }
  const line = firstLine(head);
  if (line.length > MAX_PASSWORD) {
    throw new MqttToolError('IO_ERROR', `Password file "${path}": the password is longer than ${MAX_PASSWORD} bytes.`);
  }
  return line;
}

function firstLine(bytes: Uint8Array): Uint8Array {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = buf.indexOf(0x0a);
  if (end < 0) end = buf.length;
  if (end > 0 && buf[end - 1] === 0x0d) end--;
  return buf.subarray(0, end);
}

const defaultIo: PasswordIo = {
  readFile: (path, limit) => readFileBounded(path, limit, { head: true }).data,
  prompt: promptNoEcho,
};

/** Reads one line from the controlling terminal with echo off; the prompt goes to stderr. */
async function promptNoEcho(question: string): Promise<Uint8Array> {
  let fd: number;
  try {
    fd = openSync('/dev/tty', 'r+');
  } catch {
    throw new MqttToolError('USAGE', '--password-prompt needs a terminal (no /dev/tty); use --password-file or MQTT_PASSWORD.');
  }
  const tty = await importExternal<typeof import('node:tty')>('node:tty');
  const input = new tty.ReadStream(fd);
  // Echo off before the prompt shows, so nothing typed after it is echoed.
  input.setRawMode(true);
  // The prompt goes to the terminal itself, so it shows even when stderr is redirected.
  writeSync(fd, question);
  try {
    return await readLine(input);
  } finally {
    input.setRawMode(false);
    writeSync(fd, '\n');
    input.destroy();
  }
}

function readLine(input: NodeJS.ReadableStream): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const bytes: number[] = [];
    const done = (err?: Error): void => {
      input.removeListener('data', onData);
      if (err) reject(err);
      else resolve(Buffer.from(bytes));
    };
    const onData = (chunk: Buffer): void => {
      for (const b of chunk) {
        if (b === 0x0d || b === 0x0a || b === 0x04) return done();
        if (b === 0x03) return done(new MqttToolError('INTERRUPTED', 'Interrupted.'));
        if (b === 0x7f || b === 0x08) bytes.pop();
        else bytes.push(b);
      }
    };
    input.on('data', onData);
  });
}
