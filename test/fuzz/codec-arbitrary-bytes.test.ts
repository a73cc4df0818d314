// C11 (robustness): arbitrary bytes and mutated valid packets fed to the decoder
// either yield packets, ask for more (return []), or throw a CodecError with a
// known code; nothing else escapes. Every packet it yields is one our encoder
// accepts and reproduces. With a maximum packet size the decoder never holds
// more than the limit. Seeded, so pass/fail is deterministic.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePacket, encodePacket, FrameDecoder } from '../../src/codec/index.js';
import type { Packet, ProtocolVersion } from '../../src/codec/types.js';
import { CodecError } from '../../src/errors.js';
import { anyPacket } from '../helpers/codec-arbitraries.js';
import { canonicalPacket } from '../helpers/codec-compare.js';

const SEED = Number(process.env.CODEC_FUZZ_SEED ?? 5150);
/** CODEC_FUZZ_SCALE=20 (and another CODEC_FUZZ_SEED) for a deeper local run; CI uses the defaults. */
const SCALE = Number(process.env.CODEC_FUZZ_SCALE ?? 1);
const DECODE_CODES = new Set(['MALFORMED_PACKET', 'PROTOCOL_ERROR', 'PACKET_TOO_LARGE', 'TOPIC_ALIAS_INVALID']);
const VERSIONS: ProtocolVersion[] = [3, 4, 5];

/** Feeds chunks; returns the packets, or the CodecError that stopped it. Any other throw fails the test. */
function feed(d: FrameDecoder, chunks: Uint8Array[], max?: number): { packets: Packet[]; error?: CodecError } {
  const packets: Packet[] = [];
  for (const c of chunks) {
    try {
      packets.push(...d.push(c));
    } catch (e) {
      if (!(e instanceof CodecError)) throw e;
      // the frame decoder wraps internal exceptions as MALFORMED with a cause: that is a crash, not a verdict
      expect(e.cause, `internal error escaped as ${e.code}: ${String(e.cause)}`).toBeUndefined();
      expect(DECODE_CODES.has(e.code), `unexpected code ${e.code}`).toBe(true);
      expect(e.reasonCode).toBe({ MALFORMED_PACKET: 0x81, PROTOCOL_ERROR: 0x82, PACKET_TOO_LARGE: 0x95, TOPIC_ALIAS_INVALID: 0x94 }[e.code as string]);
      return { packets, error: e };
    }
    expect(Array.isArray(packets)).toBe(true);
    // a fixed header still being read (at most 5 bytes) may be held before its size is known
    if (max !== undefined) expect(d.buffered).toBeLessThanOrEqual(Math.max(max, 5));
  }
  return { packets };
}

/**
 * A server must decode this and answer with a CONNACK refusal (0x02 identifier rejected),
 * but a client must never send it [MQTT-3.1.3-7], so the encoder may refuse it.
 */
const clientMustNotSend = (p: Packet, version: ProtocolVersion) =>
  p.type === 'connect' && version !== 5 && p.protocolVersion !== 5 && p.clientId === '' && !p.cleanStart;

/** Whatever the decoder accepts, the encoder accepts too and reproduces. */
function expectReencodable(packets: Packet[], version: ProtocolVersion): void {
  for (const p of packets) {
    if (clientMustNotSend(p, version)) continue;
    const v = p.type === 'connect' ? p.protocolVersion : version; // CONNECT carries its own level
    const bytes = encodePacket(p, v);
    expect(canonicalPacket(decodePacket(bytes, v))).toEqual(canonicalPacket(p));
  }
}

function chunked(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const offsets = [...new Set(cuts.map((f) => Math.floor(f * bytes.length)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let at = 0;
  for (const o of [...offsets, bytes.length]) {
    out.push(bytes.subarray(at, o));
    at = o;
  }
  return out;
}

const cutsArb = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 });

type Mutation = { kind: 'flip'; at: number; bit: number } | { kind: 'truncate'; at: number } | { kind: 'set'; at: number; value: number } | { kind: 'insert'; at: number; value: number } | { kind: 'delete'; at: number };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  // mostly aimed at the first bytes: packet type/flags and remaining length
  fc.record({ kind: fc.constant('set' as const), at: fc.oneof(fc.integer({ min: 0, max: 4 }), fc.nat()), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
);

function mutate(src: Buffer, muts: Mutation[]): Buffer {
  let b = Buffer.from(src);
  for (const m of muts) {
    if (b.length === 0) break;
    const at = m.at % b.length;
    if (m.kind === 'flip') b[at] = b[at]! ^ (1 << m.bit);
    else if (m.kind === 'truncate') b = b.subarray(0, at);
    else if (m.kind === 'set') b[at] = m.value;
    else if (m.kind === 'insert') b = Buffer.concat([b.subarray(0, at), Buffer.from([m.value]), b.subarray(at)]);
    else b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1)]);
  }
  return b;
}

describe.each(VERSIONS)('v%i', (version) => {
  it('arbitrary bytes, chunked anyhow: packets, [] or a CodecError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), cutsArb, (bytes, cuts) => {
        const { packets } = feed(new FrameDecoder({ version }), chunked(bytes, cuts));
        expectReencodable(packets, version);
      }),
      { seed: SEED, numRuns: 1000 * SCALE },
    );
  });

  it('arbitrary bytes behind a plausible fixed header', () => {
    const frameArb = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 120 })).map(([first, body]) => {
      const rl = body.length;
      const header = rl < 128 ? [first, rl] : [first, (rl & 0x7f) | 0x80, rl >> 7];
      return Buffer.concat([Buffer.from(header), body]);
    });
    fc.assert(
      fc.property(frameArb, (bytes) => {
        const { packets } = feed(new FrameDecoder({ version }), [bytes]);
        expectReencodable(packets, version);
        let p: Packet | undefined;
        try {
          p = decodePacket(bytes, version);
        } catch (e) {
          expect(e).toBeInstanceOf(CodecError);
        }
        if (p) expectReencodable([p], version);
      }),
      { seed: SEED, numRuns: 2000 * SCALE },
    );
  });

  it('mutated valid packets (bit flips, truncation, length tweaks, inserted/deleted bytes)', () => {
    fc.assert(
      fc.property(anyPacket(version), fc.array(mutationArb, { minLength: 1, maxLength: 3 }), cutsArb, (p, muts, cuts) => {
        const bytes = mutate(encodePacket(p, version), muts);
        const { packets } = feed(new FrameDecoder({ version }), chunked(bytes, cuts));
        expectReencodable(packets, version);
      }),
      { seed: SEED, numRuns: 2500 * SCALE },
    );
  });

  it('with maximumPacketSize the decoder never holds more than the limit (or one fixed header)', () => {
    const header = fc
      .tuple(fc.integer({ min: 1, max: 15 }), fc.integer({ min: 0, max: 268_435_455 }))
      .map(([type, rl]) => {
        const out = [type << 4];
        let n = rl;
        do {
          let byte = n % 128;
          n = Math.floor(n / 128);
          if (n > 0) byte |= 0x80;
          out.push(byte);
        } while (n > 0);
        return { bytes: Buffer.from(out), total: out.length + rl };
      });
    fc.assert(
      fc.property(header, fc.integer({ min: 2, max: 4096 }), fc.uint8Array({ maxLength: 64 }), (h, max, tail) => {
        const d = new FrameDecoder({ version, maximumPacketSize: max });
        const { error } = feed(d, [h.bytes, tail], max);
        if (h.total > max) expect(error?.code).toBe('PACKET_TOO_LARGE');
      }),
      { seed: SEED, numRuns: 600 * SCALE },
    );
  });
});
