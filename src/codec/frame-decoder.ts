// The codec's only stateful piece: turns a byte stream, chunked any way, into
// packets. Partial frames are kept as a list of chunks and joined once, when
// the frame is complete, so feeding n bytes costs O(n). After a failure the
// decoder stays failed: the stream position is lost.
import type { Packet, ProtocolVersion } from './types.js';
import { CodecError } from '../errors.js';
import { parseFrame } from './frame.js';
import { decodeFrame } from './packet-codec.js';

type CodecErrorCode = ConstructorParameters<typeof CodecError>[0];

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
  private failure: CodecError | undefined;

  constructor(opts: FrameDecoderOptions) {
    this.version = opts.version;
    this.maximumPacketSize = opts.maximumPacketSize;
  }

  /** Bytes held back waiting for the rest of a frame. */
  get buffered(): number {
    return this.pending;
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
      const err: DecodeFailure =
        e instanceof CodecError ? e : new CodecError('MALFORMED_PACKET', `malformed packet: ${(e as Error).message}`, { cause: e });
      this.failure = err;
      err.packets = out;
      throw err;
    }
  }

  private consume(chunk: Uint8Array, out: Packet[]): void {
    if (chunk.length === 0) return;
    let buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    if (this.pending > 0) {
      this.chunks.push(buf);
      this.pending += buf.length;
      if (this.pending < this.needed) return;
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
