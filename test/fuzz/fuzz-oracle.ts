// C12 oracle: what must hold for ANY byte string fed to the decoder. It is
// built over a codec API object (not a static import) so the coverage fuzzer can
// hand it the separately bundled, coverage-instrumented codec, while the replay
// test hands it the codec imported normally.
import type * as Codec from '../../src/codec/index.js';
import type { Packet, ProtocolVersion } from '../../src/codec/types.js';
import type { CodecError } from '../../src/errors.js';
import { canonicalPacket } from '../helpers/codec-compare.js';

export interface CodecApi {
  decodePacket: typeof Codec.decodePacket;
  encodePacket: typeof Codec.encodePacket;
  FrameDecoder: typeof Codec.FrameDecoder;
  CodecError: typeof CodecError;
}

/** A broken invariant. Anything else thrown out of the oracle is a finding too. */
export class Finding extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Finding';
  }
}

/**
 * The decoder's error codes and their reason codes. TOPIC_ALIAS_INVALID is the one
 * specific code the codec raises itself: v5 wants 0x94 for a Topic Alias of 0
 * [MQTT-3.3.2-8] (see properties.ts and codec-malformed.test.ts).
 */
const REASONS: Record<string, number> = { MALFORMED_PACKET: 0x81, PROTOCOL_ERROR: 0x82, PACKET_TOO_LARGE: 0x95, TOPIC_ALIAS_INVALID: 0x94 };
const VERSIONS: readonly ProtocolVersion[] = [3, 4, 5];

interface Outcome {
  packets: Packet[];
  code?: string;
  buffered: number;
}

/** Stable text of a packet list for equality: key order does not matter, bytes are hex. */
export function packetsKey(packets: readonly Packet[]): string {
  return JSON.stringify(packets.map((p) => canonicalPacket(p)), (_k, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/**
 * Chunks: the whole input, or single bytes (then 61-byte pieces past 256 bytes, to bound the cost).
 * Split chunks are plain Uint8Array views, not Buffers, so that conversion path runs too.
 */
function chunksOf(bytes: Uint8Array, split: boolean): Uint8Array[] {
  if (!split) return [bytes];
  const out: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; ) {
    const n = at < 256 ? 1 : 61;
    out.push(new Uint8Array(bytes.buffer, bytes.byteOffset + at, Math.min(n, bytes.length - at)));
    at += n;
  }
  return out;
}

export function makeOracle(api: CodecApi): (bytes: Uint8Array) => void {
  const { FrameDecoder, CodecError, decodePacket, encodePacket } = api;

  /** A throw is allowed only as a CodecError with a decoder code and its matching reason code. */
  function expectDecodeError(e: unknown, where: string): string {
    if (!(e instanceof CodecError)) {
      const err = e as Error;
      throw new Finding(`${where}: threw ${err?.name ?? typeof e} (${err?.message ?? String(e)})\n${err?.stack ?? ''}`);
    }
    // FrameDecoder wraps stray exceptions as MALFORMED_PACKET; a wrapped TypeError is still a bug
    const cause = (e as { cause?: unknown }).cause;
    if (cause !== undefined && !(cause instanceof CodecError)) {
      const c = cause as Error;
      throw new Finding(`${where}: ${c?.name ?? typeof cause} (${c?.message ?? String(cause)}) surfaced as ${e.code}\n${c?.stack ?? ''}`);
    }
    if (!(e.code in REASONS)) throw new Finding(`${where}: unexpected CodecError code ${e.code}: ${e.message}`);
    if (e.reasonCode !== REASONS[e.code]) throw new Finding(`${where}: ${e.code} carries reason code ${String(e.reasonCode)}`);
    if (e.message.includes('\n')) throw new Finding(`${where}: error message is not one line: ${JSON.stringify(e.message)}`);
    return e.code;
  }

  function feed(bytes: Uint8Array, version: ProtocolVersion, split: boolean, max: number | undefined): Outcome {
    const where = `v${version} ${split ? 'split' : 'whole'}${max === undefined ? '' : ` max=${max}`}`;
    const d = new FrameDecoder({ version, maximumPacketSize: max });
    const packets: Packet[] = [];
    for (const chunk of chunksOf(bytes, split)) {
      let got: Packet[];
      try {
        got = d.push(chunk);
      } catch (e) {
        const code = expectDecodeError(e, where);
        packets.push(...((e as { packets?: Packet[] }).packets ?? []));
        // a failed decoder stays failed with the same code
        try {
          d.push(new Uint8Array([0xc0, 0x00]));
        } catch (again) {
          if (expectDecodeError(again, `${where} after failure`) === code) return { packets, code, buffered: 0 };
        }
        throw new Finding(`${where}: decoder did not stay failed with ${code}`);
      }
      if (!Array.isArray(got)) throw new Finding(`${where}: push returned ${typeof got}`);
      packets.push(...got);
      // until its remaining length is complete a fixed header (at most 5 bytes) cannot be judged
      if (max !== undefined && d.buffered > Math.max(max, 5)) throw new Finding(`${where}: holds ${d.buffered} bytes over the limit`);
    }
    if (d.buffered > bytes.length) throw new Finding(`${where}: holds ${d.buffered} bytes of a ${bytes.length}-byte input`);
    return { packets, code: undefined, buffered: d.buffered };
  }

  /**
   * Whatever the decoder yields, the encoder takes, and decoding that gives the same packet and bytes back.
   * A CONNECT is judged by the protocol level it carries (the decoder reads it whatever the stream
   * version), so it round-trips at that version.
   */
  function roundTrip(p: Packet, streamVersion: ProtocolVersion): void {
    const version = p.type === 'connect' ? p.protocolVersion : streamVersion;
    let bytes: Buffer;
    try {
      bytes = encodePacket(p, version);
    } catch (e) {
      throw new Finding(`v${version}: decoded ${p.type} does not re-encode: ${(e as Error).message}\n${packetsKey([p])}`);
    }
    let again: Packet;
    try {
      again = decodePacket(bytes, version);
    } catch (e) {
      throw new Finding(`v${version}: re-encoded ${p.type} does not decode: ${(e as Error).message}\n${bytes.toString('hex')}`);
    }
    if (packetsKey([again]) !== packetsKey([p])) {
      throw new Finding(`v${version}: ${p.type} changes in a round trip\n${packetsKey([p])}\n${packetsKey([again])}`);
    }
    if (!encodePacket(again, version).equals(bytes)) throw new Finding(`v${version}: ${p.type} encoding is not a fixpoint`);
  }

  function sameOutcome(a: Outcome, b: Outcome, what: string, version: ProtocolVersion): void {
    if (a.code !== b.code || a.buffered !== b.buffered || packetsKey(a.packets) !== packetsKey(b.packets)) {
      const show = (o: Outcome) => `${o.packets.length} packet(s), ${o.code ?? 'no error'}, ${o.buffered} buffered`;
      throw new Finding(`v${version}: ${what} differ: ${show(a)} vs ${show(b)}`);
    }
  }

  /** decodePacket on the input as one frame agrees with the stream decoder. */
  function singleFrame(bytes: Uint8Array, version: ProtocolVersion, whole: Outcome): void {
    let p: Packet;
    try {
      p = decodePacket(bytes, version);
    } catch (e) {
      expectDecodeError(e, `v${version} decodePacket`);
      if (whole.packets.length === 1 && whole.code === undefined && whole.buffered === 0) {
        throw new Finding(`v${version}: decodePacket rejects a frame the stream decoder accepts`);
      }
      return;
    }
    if (whole.code !== undefined || whole.buffered !== 0 || packetsKey(whole.packets) !== packetsKey([p])) {
      throw new Finding(`v${version}: decodePacket and the stream decoder disagree`);
    }
  }

  /** decodePacket with a size limit gives the same packet, or a decode error. */
  function singleFrameCapped(bytes: Uint8Array, version: ProtocolVersion, max: number): void {
    let capped: Packet;
    try {
      capped = decodePacket(new Uint8Array(bytes), version, { maximumPacketSize: max }); // a copy, not a Buffer
    } catch (e) {
      expectDecodeError(e, `v${version} decodePacket max=${max}`);
      return;
    }
    if (bytes.length > max) throw new Finding(`v${version}: decodePacket max=${max} accepts a ${bytes.length}-byte frame`);
    if (packetsKey([capped]) !== packetsKey([decodePacket(bytes, version)])) {
      throw new Finding(`v${version}: decodePacket max=${max} changes the packet`);
    }
  }

  /** A size limit only cuts the stream short, at a frame over the limit. */
  function checkCapped(whole: Outcome, capped: Outcome, max: number, version: ProtocolVersion): void {
    const prefix = whole.packets.slice(0, capped.packets.length);
    if (packetsKey(prefix) !== packetsKey(capped.packets)) throw new Finding(`v${version}: max=${max} changes the packets`);
    if (capped.code !== 'PACKET_TOO_LARGE') sameOutcome(whole, capped, `outcomes with and without max=${max}`, version);
  }

  return (bytes: Uint8Array) => {
    const max = Math.max(2, bytes.length >> 1);
    for (const version of VERSIONS) {
      const whole = feed(bytes, version, false, undefined);
      sameOutcome(whole, feed(bytes, version, true, undefined), 'whole and split feeding', version);
      const capped = feed(bytes, version, false, max);
      sameOutcome(capped, feed(bytes, version, true, max), `whole and split feeding (max ${max})`, version);
      checkCapped(whole, capped, max, version);
      singleFrame(bytes, version, whole);
      singleFrameCapped(bytes, version, max);
      for (const p of whole.packets) roundTrip(p, version);
    }
  };
}
