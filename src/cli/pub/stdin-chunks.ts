// -l's stdin, read into one reused 64 KiB buffer: each chunk is a view of that
// buffer, valid only until the next one is asked for (callers copy what they keep).
// process.stdin makes a Buffer per read; on a long run those outlive two
// scavenges, are promoted to V8's old space, and no full GC comes to free them:
// on Node 24 the whole input stayed in memory (200k lines: 6.5 MB of the peak RSS).
// A terminal keeps process.stdin (Node's TTY handling); so does anything we cannot fstat.
import { fstatSync, read, type Stats } from 'node:fs';
import { Socket, type OnReadOpts, type SocketConstructorOpts } from 'node:net';
import { MqttToolError } from '../../errors.js';
import { strerror } from '../../strerror.js';

const CHUNK = 64 * 1024;

/** A failed read of standard input (a directory given as stdin, EIO), in strerror's words. */
function readFailed(e: Error): MqttToolError {
  return new MqttToolError('IO_ERROR', `Unable to read standard input: ${strerror(e)}.`, { cause: e });
}

/** Standard input as chunks of one reused buffer (see above); process.stdin for a terminal. */
export function stdinChunks(): AsyncIterable<Buffer> {
  let st: Stats;
  try {
    st = fstatSync(0);
  } catch {
    return process.stdin as AsyncIterable<Buffer>; // a closed fd 0: Node's stand-in stream
  }
  if (st.isCharacterDevice() && process.getBuiltinModule('node:tty').isatty(0)) return process.stdin as AsyncIterable<Buffer>;
  return st.isFIFO() || st.isSocket() ? streamChunks() : fileChunks(0);
}

/** A file or a device (what Node reads with an fs.ReadStream): fs.read from the current offset. */
export async function* fileChunks(fd: number): AsyncGenerator<Buffer> {
  const buffer = Buffer.allocUnsafeSlow(CHUNK);
  for (;;) {
    const n = await new Promise<number>((resolve, reject) => {
      read(fd, buffer, 0, CHUNK, null, (err, got) => (err ? reject(readFailed(err)) : resolve(got)));
    });
    if (n === 0) return;
    yield buffer.subarray(0, n);
  }
}

/**
 * A pipe or a socket: a net.Socket on fd 0 (as process.stdin is) reading through
 * net's `onread` into our buffer, paused after each read until the chunk is used.
 */
async function* streamChunks(): AsyncGenerator<Buffer> {
  const buffer = Buffer.allocUnsafeSlow(CHUNK);
  let got = 0;
  let ended = false;
  let failed: Error | undefined;
  let wake: (() => void) | undefined;
  // Node's types leave `onread` out of the constructor's options; net.Socket takes it there.
  const opts: SocketConstructorOpts & { onread: OnReadOpts } = {
    fd: 0,
    readable: true,
    writable: false,
    onread: {
      buffer,
      callback: (n: number): boolean => {
        got = n;
        socket.pause(); // with onread, pause() stops libuv reading: the buffer stays ours
        wake?.();
        return true;
      },
    },
  };
  const socket = new Socket(opts);
  socket.on('end', () => ((ended = true), wake?.()));
  socket.on('error', (e: Error) => ((failed = e), wake?.()));
  try {
    for (;;) {
      if (got === 0 && !ended && !failed) await new Promise<void>((r) => (wake = r));
      wake = undefined;
      if (got > 0) {
        const n = got;
        got = 0;
        yield buffer.subarray(0, n);
        socket.resume();
      } else if (failed) throw readFailed(failed);
      else if (ended) return;
    }
  } finally {
    socket.destroy();
  }
}
