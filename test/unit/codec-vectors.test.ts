// Golden vectors drive every direction of the codec: bytes decode to the packet,
// the packet encodes to the bytes, and the frame decoder gives the same packets
// however the bytes are chunked (split at every offset, one byte at a time, and
// all of a version's vectors back to back).
import { describe, expect, it } from 'vitest';
import { decodePacket, encodePacket, FrameDecoder, packetSize } from '../../src/codec/index.js';
import type { Packet, ProtocolVersion } from '../../src/codec/types.js';
import { allVectors, hex, type CodecVector } from '../fixtures/vectors/index.js';
import { canonicalPacket, hexOf } from '../helpers/codec-compare.js';

function decodeChunks(version: ProtocolVersion, chunks: Uint8Array[]): Packet[] {
  const d = new FrameDecoder({ version });
  const out: Packet[] = [];
  for (const c of chunks) out.push(...d.push(c));
  return out;
}

function canonAll(ps: Packet[]): unknown[] {
  return ps.map(canonicalPacket);
}

describe.each(allVectors.map((v) => [`v${v.version} ${v.name}`, v] as const))('%s', (_title, v: CodecVector) => {
  const bytes = hex(v.bytes);
  const want = canonicalPacket(v.packet);

  it('decodes to the packet', () => {
    expect(canonicalPacket(decodePacket(bytes, v.version))).toEqual(want);
  });

  if (!v.decodeOnly) {
    it('encodes to the bytes, and packetSize says how many', () => {
      expect(hexOf(encodePacket(v.packet, v.version))).toBe(hexOf(bytes));
      expect(packetSize(v.packet, v.version)).toBe(bytes.length);
    });
  }

  it('round-trips', () => {
    const again = encodePacket(decodePacket(bytes, v.version), v.version);
    expect(canonicalPacket(decodePacket(again, v.version))).toEqual(want);
    if (!v.decodeOnly) expect(hexOf(again)).toBe(hexOf(bytes));
  });

  it('frame decoder: whole, split at every offset, and one byte at a time', () => {
    expect(canonAll(decodeChunks(v.version, [bytes]))).toEqual([want]);
    for (let i = 0; i <= bytes.length; i++) {
      const got = decodeChunks(v.version, [bytes.subarray(0, i), bytes.subarray(i)]);
      expect(canonAll(got), `split at ${i}`).toEqual([want]);
    }
    const ones = Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
    expect(canonAll(decodeChunks(v.version, ones))).toEqual([want]);
  });
});

describe('all vectors of a version back to back', () => {
  for (const version of [3, 4, 5] as const) {
    const vs = allVectors.filter((v) => v.version === version);
    const stream = Buffer.concat(vs.map((v) => hex(v.bytes)));
    const want = vs.map((v) => canonicalPacket(v.packet));

    it(`v${version}: one chunk, then every two-way split, then one byte at a time`, () => {
      expect(canonAll(decodeChunks(version, [stream]))).toEqual(want);
      for (let i = 0; i <= stream.length; i++) {
        const got = decodeChunks(version, [stream.subarray(0, i), stream.subarray(i)]);
        if (got.length !== want.length) expect.fail(`split at ${i}: ${got.length} packets`);
        expect(canonAll(got), `split at ${i}`).toEqual(want);
      }
      const ones = Array.from(stream, (_, i) => stream.subarray(i, i + 1));
      expect(canonAll(decodeChunks(version, ones))).toEqual(want);
    });

    it(`v${version}: chunks of every size 2..17`, () => {
      for (let size = 2; size <= 17; size++) {
        const chunks: Uint8Array[] = [];
        for (let i = 0; i < stream.length; i += size) chunks.push(stream.subarray(i, i + size));
        expect(canonAll(decodeChunks(version, chunks)), `chunk size ${size}`).toEqual(want);
      }
    });
  }
});

it('has a vector for every packet type in every version it exists in', () => {
  const types = (version: number) => new Set(allVectors.filter((v) => v.version === version).map((v) => v.packet.type));
  const v3types = ['connect', 'connack', 'publish', 'puback', 'pubrec', 'pubrel', 'pubcomp', 'subscribe', 'suback', 'unsubscribe', 'unsuback', 'pingreq', 'pingresp', 'disconnect'];
  const v4types = v3types;
  expect([...types(3)].sort()).toEqual([...v3types].sort());
  expect([...types(4)].sort()).toEqual([...v4types].sort());
  expect([...types(5)].sort()).toEqual([...v4types, 'auth'].sort());
});
