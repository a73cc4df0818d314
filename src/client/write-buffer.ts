// The connection's outgoing bytes. Packets are encoded straight into one
// reusable buffer (the codec's OutBuffer) and a flush hands the batch to the
// stream as a view of it: no Buffer per packet and no concat per flush. Those
// small Buffers come from Buffer's 8 KiB pool slabs, which Node 24 keeps alive
// long enough to cost ~10 MB of RSS on a QoS 2 stream (bench/issue14).
//
// A stream may keep a chunk after write() returns (queued behind another write,
// or only partly written), so bytes handed over are never written again until
// that write's callback ran; until then new packets go after them, or into a
// new buffer.
import type { OutBuffer } from '../codec/index.js';

const CAPACITY = 64 * 1024;

export class WriteBuffer implements OutBuffer {
  buf: Buffer;
  pos = 0;
  /** buf[start, pos) is the batch not yet handed to the stream. */
  private start = 0;
  /** Stream writes handed over, and how many of them called back (streams call back in order). */
  private issued = 0;
  private completed = 0;
  /** Writes the stream had finished with as write() returned (see settled()); their callbacks come later. */
  private settledUpTo = 0;
  /** The number of the last write that took bytes of `buf` (0: none). */
  private lastOfBuf = 0;
  /** The callback of every write: one function, no allocation per write. */
  readonly written = (): void => {
    this.completed++;
  };

  /** `full`: hand the batch over now (the connection's flush); called when the next packet does not fit. */
  constructor(
    private readonly full: () => void,
    private readonly capacity = CAPACITY,
  ) {
    this.buf = Buffer.allocUnsafeSlow(capacity);
  }

  /** Bytes batched and not yet handed over. */
  get batched(): number {
    return this.pos - this.start;
  }

  reserve(size: number): void {
    if (this.buf.length - this.pos >= size) return;
    if (this.pos > this.start) this.full();
    if (this.pos > this.start) this.drop(); // the stream is gone: nothing was taken
    if (Math.max(this.completed, this.settledUpTo) >= this.lastOfBuf && size <= this.buf.length) {
      this.pos = this.start = 0; // nothing of buf is with the stream any more
      return;
    }
    this.buf = Buffer.allocUnsafeSlow(Math.max(this.capacity, size));
    this.pos = this.start = 0;
    this.lastOfBuf = 0;
  }

  /** Counts `bytes` in the batch when they are the view the last encode left at pos; false for other bytes. */
  commit(bytes: Buffer): boolean {
    const b = this.buf;
    if (bytes.buffer !== b.buffer || bytes.byteOffset !== b.byteOffset + this.pos) return false;
    this.pos += bytes.length;
    return true;
  }

  /** Copies `bytes` into the batch. */
  append(bytes: Buffer): void {
    this.reserve(bytes.length);
    bytes.copy(this.buf, this.pos);
    this.pos += bytes.length;
  }

  /** The batch, for one stream write with `written` as its callback; the caller must make that write. */
  take(): Buffer {
    const chunk = this.buf.subarray(this.start, this.pos);
    this.start = this.pos;
    this.lastOfBuf = ++this.issued;
    return chunk;
  }

  /**
   * The stream holds nothing any more (writableLength 0 as write() returned: every chunk's
   * _write called back, so it is done with them), though the callbacks still wait for the next
   * tick. Lets a buffer that filled up mid-tick start again at once instead of being replaced.
   */
  settled(): void {
    this.settledUpTo = this.issued;
  }

  /** Forget the batch (the link is gone). */
  drop(): void {
    this.pos = this.start;
  }
}
