// CONNACK (type 2): acknowledge flags (bit 0 session present, others
// reserved), a v3 return code or v5 reason code, then v5 properties.
import type { ConnackPacket, ProtocolVersion } from '../types.js';
import type { Reader } from '../reader.js';
import { startPacket, type OutBuffer } from '../writer.js';
import { CTX, propsLengthFor, readProperties, writeProperties } from '../properties.js';
import { hex, invalidArgument, malformed, protocolError } from '../codec-errors.js';
import { isReasonCodeAllowed } from '../reason-codes.js';
import { vbiSize } from '../varint.js';
import { totalSize, type PacketCodec } from './common.js';

function checkCode(code: number, version: ProtocolVersion): string | undefined {
  if (version === 5) return isReasonCodeAllowed('connack', code) ? undefined : `reason code ${hex(code)} is not valid in CONNACK`;
  return code <= 5 ? undefined : `return code ${code} is not valid in a v3 CONNACK`;
}

function measure(p: ConnackPacket, version: ProtocolVersion): { rl: number; propsLen: number } {
  const code = p.reasonCode;
  if (!Number.isInteger(code) || code < 0 || code > 255) invalidArgument(`CONNACK reason code ${String(code)} is not a byte`);
  const problem = checkCode(code, version);
  if (problem) invalidArgument(problem);
  if (p.sessionPresent && version === 3) invalidArgument('MQTT 3.1 CONNACK has no session present flag');
  if (p.sessionPresent && code !== 0) invalidArgument('CONNACK session present must be 0 with a non-zero code');
  const propsLen = propsLengthFor(p.properties, CTX.connack, version);
  return { rl: version === 5 ? 2 + vbiSize(propsLen) + propsLen : 2, propsLen };
}

function encodeConnack(p: ConnackPacket, version: ProtocolVersion, out?: OutBuffer): Buffer {
  const { rl, propsLen } = measure(p, version);
  const w = startPacket(0x20, rl, out);
  w.u8(p.sessionPresent ? 1 : 0);
  w.u8(p.reasonCode);
  if (version === 5) writeProperties(w, p.properties, propsLen);
  return w.done();
}

function connackSize(p: ConnackPacket, version: ProtocolVersion): number {
  return totalSize(measure(p, version).rl);
}

function decodeConnack(r: Reader, version: ProtocolVersion): ConnackPacket {
  // MQTT 3.1 has no acknowledge flags: the byte is unused, so it is neither checked nor read.
  const ackFlags = version === 3 ? 0 : r.u8('CONNACK flags');
  if (version === 3) r.u8('CONNACK unused byte');
  if (ackFlags & 0xfe) malformed(`CONNACK reserved flag bits set (${hex(ackFlags)})`);
  const reasonCode = r.u8('CONNACK reason code');
  const properties = version === 5 ? readProperties(r, CTX.connack) : undefined;
  r.done('CONNACK');
  const problem = checkCode(reasonCode, version);
  if (problem) protocolError(problem);
  const sessionPresent = ackFlags === 1;
  if (sessionPresent && reasonCode !== 0 && version !== 3) protocolError('CONNACK session present set with a non-zero code');
  const p: ConnackPacket = { type: 'connack', sessionPresent, reasonCode };
  if (properties) p.properties = properties;
  return p;
}

export const CONNACK: PacketCodec<ConnackPacket> = {
  type: 'connack', flags: 0, size: connackSize, encode: encodeConnack, decode: (r, _f, v) => decodeConnack(r, v),
};
