// Dispatch between the packet union and the per-type records (each packet's
// file exports one: size, encode, decode, fixed-header flags), plus the
// fixed-header rules that apply before any body byte is read.
import { PACKET_TYPE_IDS, type DecodeOptions, type Packet, type ProtocolVersion, type PublishPacket } from './types.js';
import type { FrameHeader } from './frame.js';
import type { PacketCodec } from './packets/common.js';
import { Reader } from './reader.js';
import type { OutBuffer } from './writer.js';
import { parseFrame } from './frame.js';
import { hex, invalidArgument, malformed } from './codec-errors.js';
import { CONNECT } from './packets/connect.js';
import { CONNACK } from './packets/connack.js';
import { PUBLISH, encodePublishHead as publishHead } from './packets/publish.js';
import { PUBACK, PUBCOMP, PUBREC, PUBREL } from './packets/ack.js';
import { SUBSCRIBE } from './packets/subscribe.js';
import { SUBACK } from './packets/suback.js';
import { UNSUBSCRIBE } from './packets/unsubscribe.js';
import { UNSUBACK } from './packets/unsuback.js';
import { PINGREQ, PINGRESP } from './packets/ping.js';
import { DISCONNECT } from './packets/disconnect.js';
import { AUTH } from './packets/auth.js';

/** The registry: one line per packet type. Wire ids come from PACKET_TYPE_IDS. */
const CODECS: readonly PacketCodec<Packet>[] = [
  CONNECT, CONNACK, PUBLISH, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK,
  PINGREQ, PINGRESP, DISCONNECT, AUTH,
];

const BY_TYPE = new Map<string, PacketCodec<Packet>>(CODECS.map((c) => [c.type, c]));
const BY_ID: (PacketCodec<Packet> | undefined)[] = new Array(16).fill(undefined);
for (const c of CODECS) BY_ID[PACKET_TYPE_IDS[c.type]] = c;

function checkVersion(version: ProtocolVersion): void {
  if (version !== 3 && version !== 4 && version !== 5) invalidArgument(`protocol version must be 3, 4 or 5, got ${String(version)}`);
}

function codecFor(packet: Packet): PacketCodec<Packet> {
  const c = BY_TYPE.get(packet.type);
  return c ?? invalidArgument(`unknown packet type ${String((packet as { type: unknown }).type)}`);
}

/** A PUBLISH without its payload bytes, which must follow on the wire (see encodePublishHead). */
export function encodePublishHead(packet: PublishPacket, version: ProtocolVersion, out?: OutBuffer): Buffer {
  checkVersion(version);
  return publishHead(packet, version, out);
}

/**
 * Validates and serialises one packet. Throws CodecError (INVALID_ARGUMENT) for unsendable values.
 * With `out`, into out.buf at out.pos (out.pos is left alone): the result is a view that the next
 * encode into `out` overwrites unless the caller moves out.pos past it.
 */
export function encodePacket(packet: Packet, version: ProtocolVersion, out?: OutBuffer): Buffer {
  checkVersion(version);
  return codecFor(packet).encode(packet, version, out);
}

/** Encoded size in bytes (fixed header included), with the same validation as encodePacket. */
export function packetSize(packet: Packet, version: ProtocolVersion): number {
  checkVersion(version);
  return codecFor(packet).size(packet, version);
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
  const c = BY_ID[type];
  if (!c) return malformed(`packet type ${type} is reserved`);
  if (c.flags !== undefined && flags !== c.flags) {
    malformed(`${c.type.toUpperCase()} fixed header flags ${hex(flags)}, expected ${hex(c.flags)}`);
  }
  if (c.since !== undefined && version < c.since) malformed(`packet type ${type} is reserved before MQTT ${c.since}`);
  const start = off + h.headerLength;
  return c.decode(new Reader(buf, start, start + h.remainingLength), flags, version);
}
