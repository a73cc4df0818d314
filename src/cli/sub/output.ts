// Byte-level output for mqtt-sub. Renderers append bytes to a ByteSink; the
// OutputWriter batches them into large writes to stdout: one write per burst of
// messages rather than one per message, flushed as soon as the event loop is
// idle, and it tells the caller to wait when the stream is backed up.
import type { Writable } from 'node:stream';

/** A growable byte buffer renderers write into. */
export class ByteSink {
  protected buf: Buffer;
  protected len = 0;

  constructor(initial = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  get length(): number {
    return this.len;
  }

  protected ensure(extra: number): void {
    const need = this.len + extra;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  bytes(b: Uint8Array, start = 0, end = b.length): void {
    const n = end - start;
    if (n <= 0) return;
    this.ensure(n);
    this.buf.set(start === 0 && end === b.length ? b : b.subarray(start, end), this.len);
    this.len += n;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.len++] = b;
  }

  /** Text that is known to be ASCII/Latin-1 (numbers, timestamps, JSON punctuation). */
  ascii(s: string): void {
    this.ensure(s.length);
    this.len += this.buf.write(s, this.len, 'latin1');
  }

  utf8(s: string): void {
    this.ensure(s.length * 3);
    this.len += this.buf.write(s, this.len, 'utf8');
  }

  repeat(b: number, n: number): void {
    if (n <= 0) return;
    this.ensure(n);
    this.buf.fill(b, this.len, this.len + n);
    this.len += n;
  }

  /** Copy out everything written so far and reset. */
  take(): Buffer {
    const out = Buffer.from(this.buf.subarray(0, this.len));
    this.len = 0;
    return out;
  }
}

/** Flush at once (instead of at the next idle moment) above this many bytes. */
const FLUSH_AT = 256 * 1024;
/** Bytes in one piece at least this long go to the stream as they are, not through the buffer. */
const PASS_THROUGH = 1024 * 1024;

export class OutputWriter extends ByteSink {
  private scheduled = false;
  private waiters: Array<() => void> = [];
  private drainWait: Promise<void> | undefined;

  constructor(private readonly out: Writable) {
    super(FLUSH_AT * 2);
  }

  /**
   * A large payload is written straight from the received frame (which nothing
   * reuses) after what is buffered: copying it into the buffer would double it.
   */
  override bytes(b: Uint8Array, start = 0, end = b.length): void {
    if (end - start < PASS_THROUGH) return super.bytes(b, start, end);
    this.flush();
    this.send(start === 0 && end === b.length ? b : b.subarray(start, end));
  }

  /**
   * Marks the end of one message. Returns a promise when the caller should wait
   * (the stream is backed up), otherwise undefined.
   */
  endMessage(): Promise<void> | undefined {
    if (this.len >= FLUSH_AT) this.flush();
    else if (!this.scheduled && this.len > 0) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    return this.drainWait;
  }

  /** Resolves once everything written so far has been handed to the OS. */
  written(): Promise<void> {
    if (this.len === 0 && this.out.writableLength === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  flush(): void {
    this.scheduled = false;
    const waiters = this.waiters;
    this.waiters = [];
    if (this.len === 0) {
      if (waiters.length) this.afterWrite(waiters);
      return;
    }
    // Copy: the stream may hold on to the chunk after write() returns.
    const chunk = Buffer.from(this.buf.subarray(0, this.len));
    this.len = 0;
    this.send(chunk, waiters);
  }

  /** Writes one chunk; on a failed write (EPIPE...) the waiters stay pending: nothing unwritten is acknowledged. */
  private send(chunk: Uint8Array, waiters: Array<() => void> = []): void {
    const ok = this.out.write(chunk, (err) => {
      if (!err) waiters.forEach((w) => w());
    });
    if (!ok && !this.drainWait) {
      this.drainWait = new Promise((resolve) =>
        this.out.once('drain', () => {
          this.drainWait = undefined;
          resolve();
        }),
      );
    }
  }

  private afterWrite(waiters: Array<() => void>): void {
    if (this.out.writableLength === 0) waiters.forEach((w) => w());
    else {
      this.out.write(Buffer.alloc(0), (err) => {
        if (!err) waiters.forEach((w) => w());
      });
    }
  }
}
