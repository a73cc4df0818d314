// Dispatch between the packet union and the per-type encoders/decoders, plus
// the fixed-header flag rules that apply before any body byte is read.
import type { DecodeOptions, Packet, ProtocolVersion, PublishPacket } from './types.js';
import type { FrameHeader } from './frame.js';
import { Reader } from './reader.js';
import { parseFrame } from './frame.js';
import { hex, invalidArgument, malformed } from './codec-errors.js';
import { connectSize, decodeConnect, encodeConnect } from './packets/connect.js';
import { connackSize, decodeConnack, encodeConnack } from './packets/connack.js';
import { decodePublish, encodePublish, encodePublishHead as publishHead, publishSize } from './packets/publish.js';
import { ackSize, decodeAck, encodeAck } from './packets/ack.js';
import { decodeSubscribe, encodeSubscribe, subscribeSize } from './packets/subscribe.js';
import { decodeSuback, encodeSuback, subackSize } from './packets/suback.js';
import { decodeUnsubscribe, encodeUnsubscribe, unsubscribeSize } from './packets/unsubscribe.js';
import { decodeUnsuback, encodeUnsuback, unsubackSize } from './packets/unsuback.js';
import { decodePing, encodePing, pingSize } from './packets/ping.js';
import { decodeDisconnect, disconnectSize, encodeDisconnect } from './packets/disconnect.js';
import { authSize, decodeAuth, encodeAuth } from './packets/auth.js';

const NAMES = ['reserved', 'CONNECT', 'CONNACK', 'PUBLISH', 'PUBACK', 'PUBREC', 'PUBREL', 'PUBCOMP', 'SUBSCRIBE',
  'SUBACK', 'UNSUBSCRIBE', 'UNSUBACK', 'PINGREQ', 'PINGRESP', 'DISCONNECT', 'AUTH'];

function checkVersion(version: ProtocolVersion): void {
  if (version !== 3 && version !== 4 && version !== 5) invalidArgument(`protocol version must be 3, 4 or 5, got ${String(version)}`);
}

/** A PUBLISH without its payload bytes, which must follow on the wire (see encodePublishHead). */
export function encodePublishHead(packet: PublishPacket, version: ProtocolVersion): Buffer {
  checkVersion(version);
  return publishHead(packet, version);
}

/** Validates and serialises one packet. Throws CodecError (INVALID_ARGUMENT) for unsendable values. */
export function encodePacket(packet: Packet, version: ProtocolVersion): Buffer {
  checkVersion(version);
  switch (packet.type) {
    case 'publish': return encodePublish(packet, version);
    case 'puback': case 'pubrec': case 'pubrel': case 'pubcomp': return encodeAck(packet, version);
    case 'connect': return encodeConnect(packet, version);
    case 'connack': return encodeConnack(packet, version);
    case 'subscribe': return encodeSubscribe(packet, version);
    case 'suback': return encodeSuback(packet, version);
    case 'unsubscribe': return encodeUnsubscribe(packet, version);
    case 'unsuback': return encodeUnsuback(packet, version);
    case 'pingreq': case 'pingresp': return encodePing(packet);
    case 'disconnect': return encodeDisconnect(packet, version);
    case 'auth': return encodeAuth(packet, version);
    default: return invalidArgument(`unknown packet type ${String((packet as { type: unknown }).type)}`);
  }
}

/** Encoded size in bytes (fixed header included), with the same validation as encodePacket. */
export function packetSize(packet: Packet, version: ProtocolVersion): number {
  checkVersion(version);
  switch (packet.type) {
    case 'publish': return publishSize(packet, version);
    case 'puback': case 'pubrec': case 'pubrel': case 'pubcomp': return ackSize(packet, version);
    case 'connect': return connectSize(packet, version);
    case 'connack': return connackSize(packet, version);
    case 'subscribe': return subscribeSize(packet, version);
    case 'suback': return subackSize(packet, version);
    case 'unsubscribe': return unsubscribeSize(packet, version);
    case 'unsuback': return unsubackSize(packet, version);
    case 'pingreq': case 'pingresp': return pingSize();
    case 'disconnect': return disconnectSize(packet, version);
    case 'auth': return authSize(packet, version);
    default: return invalidArgument(`unknown packet type ${String((packet as { type: unknown }).type)}`);
  }
}

/** Decodes exactly one complete frame; any missing or extra byte is malformed. */
export function decodePacket(frame: Uint8Array, version: ProtocolVersion, opts?: DecodeOptions): Packet {
  checkVersion(version);
  const buf = Buffer.isBuffer(frame) ? frame : Buffer.from(frame.buffer, frame.byteOffset, frame.length);
  const h = parseFrame(buf, 0, buf.length, opts?.maximumPacketSize);
  if ('needMore' in h) return malformed(`frame is ${h.needMore} byte(s) short`);
  if (h.headerLength + h.remainingLength !== buf.length) {
    malformed(`${buf.length - h.headerLength - h.remainingLength} bytes after the end of the packet`);
  }
  return decodeFrame(buf, 0, h, version);
}

/** Decodes the frame at buf[off..] whose header parseFrame already read and bounded. */
export function decodeFrame(buf: Buffer, off: number, h: FrameHeader, version: ProtocolVersion): Packet {
  const { type, flags } = h;
  const start = off + h.headerLength;
  const r = new Reader(buf, start, start + h.remainingLength);
  if (type === 3) return decodePublish(r, flags, version);
  if (type === 1) return decodeConnect(r, flags); // its own version decides its flag rules
  const expected = type === 6 || type === 8 || type === 10 ? 2 : 0;
  if (flags !== expected) malformed(`${NAMES[type]} fixed header flags ${hex(flags)}, expected ${hex(expected)}`);
  switch (type) {
    case 4: case 5: case 6: case 7: return decodeAck(r, type, version);
    case 2: return decodeConnack(r, version);
    case 8: return decodeSubscribe(r, version);
    case 9: return decodeSuback(r, version);
    case 10: return decodeUnsubscribe(r, version);
    case 11: return decodeUnsuback(r, version);
    case 12: case 13: return decodePing(r, type);
    case 14: return decodeDisconnect(r, version);
    case 15:
      if (version !== 5) malformed('packet type 15 is reserved before MQTT 5');
      return decodeAuth(r);
    default: return malformed(`packet type ${type} is reserved`);
  }
}
