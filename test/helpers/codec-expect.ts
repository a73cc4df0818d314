// Assertions shared by the codec rejection tables: a frame is rejected with the same
// error code and reason code by decodePacket and by the streaming FrameDecoder.
import { expect } from 'vitest';
import { decodePacket, FrameDecoder } from '../../src/codec/index.js';
import type { Packet, ProtocolVersion } from '../../src/codec/types.js';
import { CodecError } from '../../src/errors.js';

export type Rejection = readonly ['MALFORMED_PACKET', 0x81] | readonly ['PROTOCOL_ERROR', 0x82] | readonly ['PACKET_TOO_LARGE', 0x95] | readonly ['TOPIC_ALIAS_INVALID', 0x94];
export const MALFORMED = ['MALFORMED_PACKET', 0x81] as const;
export const PROTOCOL = ['PROTOCOL_ERROR', 0x82] as const;
export const TOO_LARGE = ['PACKET_TOO_LARGE', 0x95] as const;
export const ALIAS_INVALID = ['TOPIC_ALIAS_INVALID', 0x94] as const;

/** The CodecError fn throws (fails the test when it throws nothing or something else). */
export function caught(fn: () => unknown): CodecError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CodecError);
    return e as CodecError;
  }
  return expect.fail('expected a CodecError, nothing was thrown');
}

/** The frame is rejected the same way by decodePacket and by the streaming decoder. */
export function expectRejected(bytes: Uint8Array, version: ProtocolVersion, [code, reason]: Rejection): void {
  const a = caught(() => decodePacket(bytes, version));
  expect([a.code, a.reasonCode]).toEqual([code, reason]);
  const b = caught(() => new FrameDecoder({ version }).push(bytes));
  expect([b.code, b.reasonCode]).toEqual([code, reason]);
}

export function expectAccepted(bytes: Uint8Array, version: ProtocolVersion): Packet {
  const p = decodePacket(bytes, version);
  expect(new FrameDecoder({ version }).push(bytes)).toHaveLength(1);
  return p;
}
