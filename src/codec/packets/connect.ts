// CONNECT (type 1). Decoding is self-describing: the protocol name and level
// in the packet decide the version (a server learns it from here), and must
// agree with each other ('MQIsdp'/3, 'MQTT'/4, 'MQTT'/5).
import type { ConnectPacket, ProtocolVersion, QoS, Will } from '../types.js';
import type { Reader } from '../reader.js';
import { startPacket, type OutBuffer } from '../writer.js';
import { CTX, propsLengthFor, readProperties, writeProperties } from '../properties.js';
import { invalidArgument, malformed, protocolError } from '../codec-errors.js';
import { checkedStringLength, quote, topicNameProblem } from '../validate.js';
import { vbiSize } from '../varint.js';
import { checkBytes, checkQos, checkRemainingLength, totalSize, type PacketCodec } from './common.js';

const PROTOCOL_NAME: Record<ProtocolVersion, string> = { 3: 'MQIsdp', 4: 'MQTT', 5: 'MQTT' };

const F_USERNAME = 0x80, F_PASSWORD = 0x40, F_WILL_RETAIN = 0x20, F_WILL = 0x04, F_CLEAN = 0x02, F_RESERVED = 0x01;

interface Measured {
  rl: number;
  propsLen: number;
  willPropsLen: number;
}

function measure(p: ConnectPacket, version: ProtocolVersion): Measured {
  if (p.protocolVersion !== version) {
    invalidArgument(`CONNECT protocolVersion ${String(p.protocolVersion)} does not match the codec version ${version}`);
  }
  const k = p.keepalive;
  if (!Number.isInteger(k) || k < 0 || k > 0xffff) invalidArgument(`keepalive must be 0-65535, got ${String(k)}`);
  let rl = 2 + PROTOCOL_NAME[version].length + 1 + 1 + 2;
  const propsLen = propsLengthFor(p.properties, CTX.connect, version);
  if (version === 5) rl += vbiSize(propsLen) + propsLen;
  rl += 2 + checkedStringLength(p.clientId, 'client id');
  let willPropsLen = 0;
  if (p.will) {
    const will = p.will;
    checkQos(will.qos, 'will');
    const topicLen = checkedStringLength(will.topic, 'will topic');
    const problem = topicNameProblem(will.topic);
    if (problem) invalidArgument(`will ${problem}`);
    willPropsLen = propsLengthFor(will.properties, CTX.will, version);
    if (version === 5) rl += vbiSize(willPropsLen) + willPropsLen;
    rl += 2 + topicLen + 2 + checkBytes(will.payload, 'will payload', 0xffff);
  }
  if (p.username !== undefined) rl += 2 + checkedStringLength(p.username, 'username');
  if (p.password !== undefined) {
    if (p.username === undefined && version !== 5) invalidArgument('a password needs a username before MQTT 5');
    rl += 2 + checkBytes(p.password, 'password', 0xffff);
  }
  return { rl: checkRemainingLength(rl, 'CONNECT'), propsLen, willPropsLen };
}

function encodeConnect(p: ConnectPacket, version: ProtocolVersion, out?: OutBuffer): Buffer {
  const m = measure(p, version);
  const w = startPacket(0x10, m.rl, out);
  w.utf8(PROTOCOL_NAME[version]);
  w.u8(version);
  const will = p.will;
  let flags = p.cleanStart ? F_CLEAN : 0;
  if (will) flags |= F_WILL | (will.qos << 3) | (will.retain ? F_WILL_RETAIN : 0);
  if (p.username !== undefined) flags |= F_USERNAME;
  if (p.password !== undefined) flags |= F_PASSWORD;
  w.u8(flags);
  w.u16(p.keepalive);
  if (version === 5) writeProperties(w, p.properties, m.propsLen);
  w.utf8(p.clientId);
  if (will) {
    if (version === 5) writeProperties(w, will.properties, m.willPropsLen);
    w.utf8(will.topic);
    w.binary(will.payload);
  }
  if (p.username !== undefined) w.utf8(p.username);
  if (p.password !== undefined) w.binary(p.password);
  return w.done();
}

function connectSize(p: ConnectPacket, version: ProtocolVersion): number {
  return totalSize(measure(p, version).rl);
}

function readVersion(r: Reader): ProtocolVersion {
  const name = r.utf8('protocol name');
  const level = r.u8('protocol level');
  if (name === 'MQTT' && (level === 4 || level === 5)) return level;
  if (name === 'MQIsdp' && level === 3) return 3;
  if (name !== 'MQTT' && name !== 'MQIsdp') protocolError(`unknown protocol name ${quote(name)}`);
  return protocolError(`unsupported protocol level ${level} for protocol name ${quote(name)}`);
}

/** headerFlags: the fixed-header low nibble, reserved (0) from MQTT 3.1.1 on; 3.1 left it unused. */
function decodeConnect(r: Reader, headerFlags: number): ConnectPacket {
  const version = readVersion(r);
  if (headerFlags !== 0 && version !== 3) malformed(`CONNECT fixed header flags ${headerFlags}, expected 0`);
  const flags = r.u8('connect flags');
  if (flags & F_RESERVED && version !== 3) malformed('CONNECT reserved flag bit is set');
  const willQos = (flags >> 3) & 3;
  const hasWill = (flags & F_WILL) !== 0;
  if (willQos === 3) malformed('CONNECT will QoS 3');
  if (!hasWill && (willQos !== 0 || flags & F_WILL_RETAIN)) protocolError('CONNECT will QoS/retain set without a will');
  if (version !== 5 && flags & F_PASSWORD && !(flags & F_USERNAME)) protocolError('CONNECT password flag without username flag');
  const keepalive = r.u16('keepalive');
  const properties = version === 5 ? readProperties(r, CTX.connect) : undefined;
  const clientId = r.utf8('client id');
  const p: ConnectPacket = { type: 'connect', protocolVersion: version, clientId, cleanStart: (flags & F_CLEAN) !== 0, keepalive };
  if (properties) p.properties = properties;
  if (hasWill) p.will = readWill(r, version, willQos as QoS, (flags & F_WILL_RETAIN) !== 0);
  if (flags & F_USERNAME) p.username = r.utf8('username');
  if (flags & F_PASSWORD) p.password = r.binary('password');
  r.done('CONNECT');
  return p;
}

function readWill(r: Reader, version: ProtocolVersion, qos: QoS, retain: boolean): Will {
  const properties = version === 5 ? readProperties(r, CTX.will) : undefined;
  const topic = r.utf8('will topic');
  const will: Will = { topic, payload: r.binary('will payload'), qos, retain };
  const problem = topicNameProblem(topic);
  if (problem) protocolError(`will ${problem}`);
  if (properties) will.properties = properties;
  return will;
}

export const CONNECT: PacketCodec<ConnectPacket> = {
  type: 'connect',
  flags: undefined, // reserved from MQTT 3.1.1 on, which only the packet's own version says
  size: connectSize,
  encode: encodeConnect,
  decode: (r, flags) => decodeConnect(r, flags),
};
