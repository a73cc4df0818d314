// The codec's only stateful piece: turns a byte stream, chunked any way, into
// packets. Partial frames are kept as a list of chunks and joined once, when
// the frame is complete, so feeding n bytes costs O(n). A large frame moves
// into one buffer of its final size once half of it has arrived (never on the
// header's word alone: a peer could claim 256 MB and send nothing), so a
// 100 MB payload peaks at 150 MB of buffers, not the 200 MB of list plus join.
// After a failure the decoder stays failed: the stream position is lost.
import type { Packet, ProtocolVersion } from './types.js';
import { CodecError } from '../errors.js';
import { parseFrame, type FrameHeader } from './frame.js';
import { decodeFrame } from './packet-codec.js';

type CodecErrorCode = ConstructorParameters<typeof CodecError>[0];

/** Frames at least this long are finished in place rather than joined from a chunk list. */
const LARGE_FRAME = 64 * 1024;

/** What push() throws: a CodecError plus the packets decoded before the bad frame. */
export type DecodeFailure = CodecError & { packets?: Packet[] };

export interface FrameDecoderOptions {
  version: ProtocolVersion;
  /** Refuse (PACKET_TOO_LARGE) any packet longer than this, judged from its fixed header. */
  maximumPacketSize?: number;
}

export class FrameDecoder {
  /** May be changed between pushes (e.g. a server learning the version from CONNECT). */
  version: ProtocolVersion;
  maximumPacketSize: number | undefined;
  private chunks: Buffer[] = [];
  private pending = 0; // bytes held in chunks
  private needed = 0; // bytes in chunks required before another parse is worthwhile
  private large: Buffer | undefined; // a large frame being filled in place
  private filled = 0;
  private failure: CodecError | undefined;

  constructor(opts: FrameDecoderOptions) {
    this.version = opts.version;
    this.maximumPacketSize = opts.maximumPacketSize;
  }

  /** Bytes held back waiting for the rest of a frame. */
  get buffered(): number {
    return this.large ? this.filled : this.pending;
  }

  /**
   * Decodes every complete frame in the stream so far. On a bad frame it throws
   * a CodecError whose `packets` holds the good packets that preceded it in
   * this chunk (so no chunking loses them); later pushes throw the same code
   * again without packets.
   */
  push(chunk: Uint8Array): Packet[] {
    if (this.failure) throw new CodecError(this.failure.code as CodecErrorCode, this.failure.message);
    const out: Packet[] = [];
    try {
      this.consume(chunk, out);
      return out;
    } catch (e) {
      this.chunks = [];
      this.pending = 0;
      this.large = undefined;
      const err: DecodeFailure =
        e instanceof CodecError ? e : new CodecError('MALFORMED_PACKET', `malformed packet: ${(e as Error).message}`, { cause: e });
      this.failure = err;
      err.packets = out;
      throw err;
    }
  }

  /** The held chunks are all of one unfinished frame of `needed` bytes: copy them into its final buffer. */
  private gatherInPlace(): void {
    const frame = Buffer.allocUnsafe(this.needed);
    let at = 0;
    for (const c of this.chunks) at += c.copy(frame, at);
    this.large = frame;
    this.filled = at;
    this.chunks = [];
    this.pending = 0;
  }

  private consume(chunk: Uint8Array, out: Packet[]): void {
    if (chunk.length === 0) return;
    let buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    if (this.large) {
      const frame = this.large;
      const take = Math.min(buf.length, frame.length - this.filled);
      buf.copy(frame, this.filled, 0, take);
      this.filled += take;
      if (this.filled < frame.length) return;
      this.large = undefined;
      out.push(decodeFrame(frame, 0, parseFrame(frame, 0, frame.length) as FrameHeader, this.version));
      if (take === buf.length) return;
      buf = buf.subarray(take);
    } else if (this.pending > 0) {
      this.chunks.push(buf);
      this.pending += buf.length;
      if (this.pending < this.needed) {
        if (this.needed >= LARGE_FRAME && this.pending * 2 >= this.needed) this.gatherInPlace();
        return;
      }
      buf = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.pending);
      this.chunks = [];
      this.pending = 0;
    }
    let off = 0;
    const end = buf.length;
    while (off < end) {
      const h = parseFrame(buf, off, end, this.maximumPacketSize);
      if ('needMore' in h) {
        const rest = buf.subarray(off);
        this.chunks = [rest];
        this.pending = rest.length;
        this.needed = rest.length + h.needMore;
        break;
      }
      const total = h.headerLength + h.remainingLength;
      out.push(decodeFrame(buf, off, h, this.version));
      off += total;
    }
  }
}
