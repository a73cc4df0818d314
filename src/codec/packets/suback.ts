// SUBACK (type 9): packet id, v5 properties, one return/reason code per filter.
import type { ProtocolVersion, SubackPacket } from '../types.js';
import type { Reader } from '../reader.js';
import { startPacket, type OutBuffer } from '../writer.js';
import { CTX, propsLengthFor, readProperties, writeProperties } from '../properties.js';
import { hex, invalidArgument, protocolError } from '../codec-errors.js';
import { isReasonCodeAllowed, isV3SubackCode } from '../reason-codes.js';
import { vbiSize } from '../varint.js';
import { checkPacketId, checkRemainingLength, totalSize, type PacketCodec } from './common.js';

function codeOk(code: number, version: ProtocolVersion): boolean {
  return version === 5 ? isReasonCodeAllowed('suback', code) : isV3SubackCode(code);
}

function measure(p: SubackPacket, version: ProtocolVersion): { rl: number; propsLen: number } {
  checkPacketId(p.packetId, 'SUBACK');
  if (!Array.isArray(p.reasonCodes) || p.reasonCodes.length === 0) invalidArgument('SUBACK needs at least one reason code');
  for (const c of p.reasonCodes) {
    if (!Number.isInteger(c) || !codeOk(c, version)) invalidArgument(`code ${String(c)} is not valid in SUBACK`);
  }
  const propsLen = propsLengthFor(p.properties, CTX.suback, version);
  const rl = 2 + (version === 5 ? vbiSize(propsLen) + propsLen : 0) + p.reasonCodes.length;
  return { rl: checkRemainingLength(rl, 'SUBACK'), propsLen };
}

function encodeSuback(p: SubackPacket, version: ProtocolVersion, out?: OutBuffer): Buffer {
  const { rl, propsLen } = measure(p, version);
  const w = startPacket(0x90, rl, out);
  w.u16(p.packetId);
  if (version === 5) writeProperties(w, p.properties, propsLen);
  for (const c of p.reasonCodes) w.u8(c);
  return w.done();
}

function subackSize(p: SubackPacket, version: ProtocolVersion): number {
  return totalSize(measure(p, version).rl);
}

function decodeSuback(r: Reader, version: ProtocolVersion): SubackPacket {
  const packetId = r.u16('packet identifier');
  const properties = version === 5 ? readProperties(r, CTX.suback) : undefined;
  const reasonCodes = Array.from(r.rest());
  if (packetId === 0) protocolError('SUBACK has packet identifier 0');
  if (reasonCodes.length === 0) protocolError('SUBACK has no reason codes');
  for (const c of reasonCodes) if (!codeOk(c, version)) protocolError(`code ${hex(c)} is not valid in SUBACK`);
  const p: SubackPacket = { type: 'suback', packetId, reasonCodes };
  if (properties) p.properties = properties;
  return p;
}

export const SUBACK: PacketCodec<SubackPacket> = {
  type: 'suback', flags: 0, size: subackSize, encode: encodeSuback, decode: (r, _f, v) => decodeSuback(r, v),
};
