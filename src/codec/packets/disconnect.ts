// DISCONNECT (14). v3: empty. v5: reason code and properties, both optional
// on the wire: remaining length 0 = normal disconnection, 1 = reason only.
import type { DisconnectPacket, ProtocolVersion } from '../types.js';
import type { Reader } from '../reader.js';
import { startPacket, type OutBuffer } from '../writer.js';
import { CTX, propsLengthFor, readProperties, writeProperties } from '../properties.js';
import { hex, invalidArgument, protocolError } from '../codec-errors.js';
import { isReasonCodeAllowed } from '../reason-codes.js';
import { vbiSize } from '../varint.js';
import { totalSize, type PacketCodec } from './common.js';

function measure(p: DisconnectPacket, version: ProtocolVersion): { rl: number; propsLen: number } {
  const code = p.reasonCode ?? 0;
  const propsLen = propsLengthFor(p.properties, CTX.disconnect, version);
  if (version !== 5) {
    if (code !== 0) invalidArgument(`DISCONNECT reason code ${hex(code)} needs MQTT 5`);
    return { rl: 0, propsLen: 0 };
  }
  if (!isReasonCodeAllowed('disconnect', code)) invalidArgument(`reason code ${String(code)} is not valid in DISCONNECT`);
  if (propsLen > 0) return { rl: 1 + vbiSize(propsLen) + propsLen, propsLen };
  return { rl: code === 0 ? 0 : 1, propsLen: 0 };
}

function encodeDisconnect(p: DisconnectPacket, version: ProtocolVersion, out?: OutBuffer): Buffer {
  const { rl, propsLen } = measure(p, version);
  const w = startPacket(0xe0, rl, out);
  if (rl > 0) w.u8(p.reasonCode ?? 0);
  if (rl > 1) writeProperties(w, p.properties, propsLen);
  return w.done();
}

function disconnectSize(p: DisconnectPacket, version: ProtocolVersion): number {
  return totalSize(measure(p, version).rl);
}

function decodeDisconnect(r: Reader, version: ProtocolVersion): DisconnectPacket {
  let reasonCode = 0;
  let properties;
  if (version === 5) {
    if (r.remaining() > 0) reasonCode = r.u8('reason code');
    if (r.remaining() > 0) properties = readProperties(r, CTX.disconnect);
  }
  r.done('DISCONNECT');
  if (!isReasonCodeAllowed('disconnect', reasonCode)) protocolError(`reason code ${hex(reasonCode)} is not valid in DISCONNECT`);
  const p: DisconnectPacket = { type: 'disconnect', reasonCode };
  if (properties) p.properties = properties;
  return p;
}

export const DISCONNECT: PacketCodec<DisconnectPacket> = {
  type: 'disconnect', flags: 0, size: disconnectSize, encode: encodeDisconnect, decode: (r, _f, v) => decodeDisconnect(r, v),
};
