// AUTH (15, MQTT 5 only): reason code and properties; remaining length 0
// means success without properties.
import type { AuthPacket, ProtocolVersion } from '../types.js';
import type { Reader } from '../reader.js';
import { startPacket, type OutBuffer } from '../writer.js';
import { CTX, propertiesLength, readProperties, writeProperties } from '../properties.js';
import { hex, invalidArgument, protocolError } from '../codec-errors.js';
import { isReasonCodeAllowed } from '../reason-codes.js';
import { vbiSize } from '../varint.js';
import { totalSize, type PacketCodec } from './common.js';

function measure(p: AuthPacket, version: ProtocolVersion): { rl: number; propsLen: number } {
  if (version !== 5) invalidArgument('AUTH needs MQTT 5');
  const code = p.reasonCode ?? 0;
  if (!isReasonCodeAllowed('auth', code)) invalidArgument(`reason code ${String(code)} is not valid in AUTH`);
  const propsLen = propertiesLength(p.properties, CTX.auth);
  if (code === 0 && propsLen === 0) return { rl: 0, propsLen };
  // MQTT 5.0 3.15.2.2.2: only the short form may omit the Authentication Method
  if (p.properties?.authenticationMethod === undefined) invalidArgument('AUTH needs an authentication method');
  return { rl: 1 + vbiSize(propsLen) + propsLen, propsLen };
}

function encodeAuth(p: AuthPacket, version: ProtocolVersion, out?: OutBuffer): Buffer {
  const { rl, propsLen } = measure(p, version);
  const w = startPacket(0xf0, rl, out);
  if (rl > 0) {
    w.u8(p.reasonCode ?? 0);
    writeProperties(w, p.properties, propsLen);
  }
  return w.done();
}

function authSize(p: AuthPacket, version: ProtocolVersion): number {
  return totalSize(measure(p, version).rl);
}

function decodeAuth(r: Reader): AuthPacket {
  let reasonCode = 0;
  let properties;
  const longForm = r.remaining() > 0;
  if (longForm) {
    // Unlike DISCONNECT, AUTH has no reason-only form: the property length must follow.
    reasonCode = r.u8('reason code');
    properties = readProperties(r, CTX.auth);
  }
  r.done('AUTH');
  if (!isReasonCodeAllowed('auth', reasonCode)) protocolError(`reason code ${hex(reasonCode)} is not valid in AUTH`);
  // MQTT 5.0 3.15.2.2.2: only the short form (remaining length 0) may omit the Authentication Method
  if (longForm && properties?.authenticationMethod === undefined) protocolError('AUTH without authentication-method');
  const p: AuthPacket = { type: 'auth', reasonCode };
  if (properties) p.properties = properties;
  return p;
}

export const AUTH: PacketCodec<AuthPacket> = {
  type: 'auth', flags: 0, since: 5, size: authSize, encode: encodeAuth, decode: (r) => decodeAuth(r),
};
