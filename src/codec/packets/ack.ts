// PUBACK, PUBREC, PUBREL, PUBCOMP (types 4-7): packet id, then under v5 an
// optional reason code and properties. Short forms as the spec and Mosquitto
// use them: remaining length 2 = success without properties, 3 = reason only.
import { PACKET_TYPE_IDS, type AckPacket, type AckType, type ProtocolVersion } from '../types.js';
import type { Reader } from '../reader.js';
import { startPacket, type OutBuffer } from '../writer.js';
import { CTX, propsLengthFor, readProperties, writeProperties } from '../properties.js';
import { hex, invalidArgument, malformed, protocolError } from '../codec-errors.js';
import { isReasonCodeAllowed } from '../reason-codes.js';
import { vbiSize } from '../varint.js';
import { checkPacketId, totalSize, type PacketCodec } from './common.js';

/** Fixed-header flags: PUBREL's are 0010, the others' 0000. */
const ACK_FLAGS: Record<AckType, number> = { puback: 0, pubrec: 0, pubrel: 2, pubcomp: 0 };

function measure(p: AckPacket, version: ProtocolVersion): { rl: number; propsLen: number } {
  const name = p.type.toUpperCase();
  checkPacketId(p.packetId, name);
  const code = p.reasonCode ?? 0;
  const propsLen = propsLengthFor(p.properties, CTX[p.type], version);
  if (version !== 5) {
    if (code !== 0) invalidArgument(`${name} reason code ${hex(code)} needs MQTT 5`);
    return { rl: 2, propsLen: 0 };
  }
  if (!isReasonCodeAllowed(p.type, code)) invalidArgument(`reason code ${String(code)} is not valid in ${name}`);
  if (propsLen > 0) return { rl: 3 + vbiSize(propsLen) + propsLen, propsLen };
  return { rl: code === 0 ? 2 : 3, propsLen: 0 };
}

function encodeAck(p: AckPacket, version: ProtocolVersion, out?: OutBuffer): Buffer {
  const { rl, propsLen } = measure(p, version);
  const w = startPacket((PACKET_TYPE_IDS[p.type] << 4) | ACK_FLAGS[p.type], rl, out);
  w.u16(p.packetId);
  if (rl > 2) w.u8(p.reasonCode ?? 0);
  if (rl > 3) writeProperties(w, p.properties, propsLen);
  return w.done();
}

function ackSize(p: AckPacket, version: ProtocolVersion): number {
  return totalSize(measure(p, version).rl);
}

function decodeAck(r: Reader, type: AckType, version: ProtocolVersion): AckPacket {
  const packetId = r.u16('packet identifier');
  let reasonCode = 0;
  let properties;
  if (version === 5) {
    if (r.remaining() > 0) reasonCode = r.u8('reason code');
    if (r.remaining() > 0) properties = readProperties(r, CTX[type]);
  }
  if (r.remaining() > 0) malformed(`${r.remaining()} unexpected trailing bytes in ${type.toUpperCase()}`);
  if (packetId === 0) protocolError(`${type.toUpperCase()} has packet identifier 0`);
  if (reasonCode !== 0 && !isReasonCodeAllowed(type, reasonCode)) {
    protocolError(`reason code ${hex(reasonCode)} is not valid in ${type.toUpperCase()}`);
  }
  const p: AckPacket = { type, packetId, reasonCode };
  if (properties) p.properties = properties;
  return p;
}

function ackCodec(type: AckType): PacketCodec<AckPacket> {
  return { type, flags: ACK_FLAGS[type], size: ackSize, encode: encodeAck, decode: (r, _f, v) => decodeAck(r, type, v) };
}

export const PUBACK = ackCodec('puback');
export const PUBREC = ackCodec('pubrec');
export const PUBREL = ackCodec('pubrel');
export const PUBCOMP = ackCodec('pubcomp');
