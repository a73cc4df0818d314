// UNSUBACK (type 11): packet id; under v5 also properties and one reason code
// per filter (v3 has neither, so its remaining length is exactly 2).
import type { ProtocolVersion, UnsubackPacket } from '../types.js';
import type { Reader } from '../reader.js';
import { startPacket, type OutBuffer } from '../writer.js';
import { CTX, propsLengthFor, readProperties, writeProperties } from '../properties.js';
import { hex, invalidArgument, protocolError } from '../codec-errors.js';
import { isReasonCodeAllowed } from '../reason-codes.js';
import { vbiSize } from '../varint.js';
import { checkPacketId, checkRemainingLength, totalSize, type PacketCodec } from './common.js';

function measure(p: UnsubackPacket, version: ProtocolVersion): { rl: number; propsLen: number } {
  checkPacketId(p.packetId, 'UNSUBACK');
  const codes = p.reasonCodes ?? [];
  const propsLen = propsLengthFor(p.properties, CTX.unsuback, version);
  if (version !== 5) {
    if (codes.length > 0) invalidArgument('UNSUBACK reason codes need MQTT 5');
    return { rl: 2, propsLen: 0 };
  }
  if (codes.length === 0) invalidArgument('UNSUBACK needs at least one reason code under MQTT 5');
  for (const c of codes) {
    if (!Number.isInteger(c) || !isReasonCodeAllowed('unsuback', c)) invalidArgument(`code ${String(c)} is not valid in UNSUBACK`);
  }
  return { rl: checkRemainingLength(2 + vbiSize(propsLen) + propsLen + codes.length, 'UNSUBACK'), propsLen };
}

function encodeUnsuback(p: UnsubackPacket, version: ProtocolVersion, out?: OutBuffer): Buffer {
  const { rl, propsLen } = measure(p, version);
  const w = startPacket(0xb0, rl, out);
  w.u16(p.packetId);
  if (version === 5) {
    writeProperties(w, p.properties, propsLen);
    for (const c of p.reasonCodes) w.u8(c);
  }
  return w.done();
}

function unsubackSize(p: UnsubackPacket, version: ProtocolVersion): number {
  return totalSize(measure(p, version).rl);
}

function decodeUnsuback(r: Reader, version: ProtocolVersion): UnsubackPacket {
  const packetId = r.u16('packet identifier');
  let reasonCodes: number[] = [];
  let properties;
  if (version === 5) {
    properties = readProperties(r, CTX.unsuback);
    reasonCodes = Array.from(r.rest());
  }
  r.done('UNSUBACK');
  if (packetId === 0) protocolError('UNSUBACK has packet identifier 0');
  if (version === 5) {
    if (reasonCodes.length === 0) protocolError('UNSUBACK has no reason codes');
    for (const c of reasonCodes) if (!isReasonCodeAllowed('unsuback', c)) protocolError(`code ${hex(c)} is not valid in UNSUBACK`);
  }
  const p: UnsubackPacket = { type: 'unsuback', packetId, reasonCodes };
  if (properties) p.properties = properties;
  return p;
}

export const UNSUBACK: PacketCodec<UnsubackPacket> = {
  type: 'unsuback', flags: 0, size: unsubackSize, encode: encodeUnsuback, decode: (r, _f, v) => decodeUnsuback(r, v),
};
