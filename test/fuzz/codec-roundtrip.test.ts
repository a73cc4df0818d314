// C11 (round trip): random valid packets of every type and version survive
// encode -> decode unchanged, and random valid streams chunked at random offsets
// decode to the same packets. Seeded, so pass/fail is deterministic.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePacket, encodePacket, FrameDecoder, packetSize } from '../../src/codec/index.js';
import type { Packet, ProtocolVersion } from '../../src/codec/types.js';
import { anyPacket, packetArbitraries } from '../helpers/codec-arbitraries.js';
import { canonicalPacket } from '../helpers/codec-compare.js';

const SEED = Number(process.env.CODEC_FUZZ_SEED ?? 20261125);
/** CODEC_FUZZ_SCALE=20 (and another CODEC_FUZZ_SEED) for a deeper local run; CI uses the defaults. */
const SCALE = Number(process.env.CODEC_FUZZ_SCALE ?? 1);
const VERSIONS: ProtocolVersion[] = [3, 4, 5];

describe.each(VERSIONS)('v%i', (version) => {
  for (const [type, arb] of Object.entries(packetArbitraries(version))) {
    it(`${type}: decode(encode(p)) equals p, packetSize is exact`, () => {
      fc.assert(
        fc.property(arb, (p) => {
          const bytes = encodePacket(p, version);
          expect(packetSize(p, version)).toBe(bytes.length);
          expect(canonicalPacket(decodePacket(bytes, version))).toEqual(canonicalPacket(p));
          // encoding is a function of the packet: the decoded packet re-encodes to the same bytes
          expect(encodePacket(decodePacket(bytes, version), version).equals(bytes)).toBe(true);
        }),
        { seed: SEED, numRuns: type.startsWith('ping') ? 5 : 400 * SCALE },
      );
    });
  }

  it('a stream of packets split at random offsets decodes to the same packets', () => {
    const stream = fc.array(anyPacket(version), { minLength: 1, maxLength: 8 });
    const cuts = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 });
    fc.assert(
      fc.property(stream, cuts, fc.integer({ min: 0, max: 64 }), (packets, fractions, max) => {
        const bytes = Buffer.concat(packets.map((p) => encodePacket(p, version)));
        const offsets = [...new Set(fractions.map((f) => Math.floor(f * bytes.length)))].sort((a, b) => a - b);
        const d = new FrameDecoder({ version, maximumPacketSize: max === 0 ? undefined : bytes.length + 1 });
        const got: Packet[] = [];
        let at = 0;
        for (const o of [...offsets, bytes.length]) {
          got.push(...d.push(bytes.subarray(at, o)));
          at = o;
        }
        expect(got.map(canonicalPacket)).toEqual(packets.map(canonicalPacket));
        expect(d.buffered).toBe(0);
      }),
      { seed: SEED, numRuns: 200 * SCALE },
    );
  });
});
