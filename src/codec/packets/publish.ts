// PUBLISH (type 3): flags carry DUP, QoS and RETAIN; packet id only for QoS > 0.
import type { ProtocolVersion, PublishPacket, QoS } from '../types.js';
import type { Reader } from '../reader.js';
import { startPacket, type OutBuffer, type Writer } from '../writer.js';
import { CTX, propsLengthFor, readProperties, writeProperties } from '../properties.js';
import { invalidArgument, malformed, protocolError } from '../codec-errors.js';
import { checkedStringLength, topicNameProblem } from '../validate.js';
import { vbiSize } from '../varint.js';
import { checkBytes, checkPacketId, checkQos, checkRemainingLength, totalSize, type PacketCodec } from './common.js';

function measure(p: PublishPacket, version: ProtocolVersion): { rl: number; propsLen: number } {
  const qos = checkQos(p.qos, 'PUBLISH');
  if (p.dup && qos === 0) invalidArgument('PUBLISH with QoS 0 must not set DUP');
  if (qos > 0) checkPacketId(p.packetId, 'PUBLISH');
  else if (p.packetId !== undefined) invalidArgument('a QoS 0 PUBLISH has no packet identifier');
  const topicLen = checkedStringLength(p.topic, 'topic name');
  if (topicLen === 0) {
    if (version !== 5 || p.properties?.topicAlias === undefined) invalidArgument('topic name is empty');
  } else {
    const problem = topicNameProblem(p.topic);
    if (problem) invalidArgument(problem);
  }
  const propsLen = propsLengthFor(p.properties, CTX.publish, version);
  let rl = 2 + topicLen + (qos > 0 ? 2 : 0) + checkBytes(p.payload, 'PUBLISH payload');
  if (version === 5) rl += vbiSize(propsLen) + propsLen;
  return { rl: checkRemainingLength(rl, 'PUBLISH'), propsLen };
}

function encodePublish(p: PublishPacket, version: ProtocolVersion, out?: OutBuffer): Buffer {
  const w = publishWriter(p, version, false, out);
  w.bytes(p.payload);
  return w.done();
}

/**
 * The PUBLISH up to its payload; the fixed header counts the payload, which the
 * caller sends right after these bytes. A large payload so goes out without
 * being copied into the packet.
 */
export function encodePublishHead(p: PublishPacket, version: ProtocolVersion, out?: OutBuffer): Buffer {
  return publishWriter(p, version, true, out).done();
}

function publishWriter(p: PublishPacket, version: ProtocolVersion, headOnly: boolean, out: OutBuffer | undefined): Writer {
  const { rl, propsLen } = measure(p, version);
  const w = startPacket(0x30 | (p.dup ? 8 : 0) | (p.qos << 1) | (p.retain ? 1 : 0), rl, out, headOnly ? p.payload.length : 0);
  w.utf8(p.topic);
  if (p.qos > 0) w.u16(p.packetId!);
  if (version === 5) writeProperties(w, p.properties, propsLen);
  return w;
}

function publishSize(p: PublishPacket, version: ProtocolVersion): number {
  return totalSize(measure(p, version).rl);
}

function decodePublish(r: Reader, flags: number, version: ProtocolVersion): PublishPacket {
  const qos = (flags >> 1) & 3;
  if (qos === 3) malformed('PUBLISH with QoS 3');
  const dup = (flags & 8) !== 0;
  if (dup && qos === 0) malformed('PUBLISH with QoS 0 has DUP set');
  const topic = r.utf8('topic name');
  let packetId = 0;
  if (qos > 0) {
    packetId = r.u16('packet identifier');
    if (packetId === 0) protocolError(`QoS ${qos} PUBLISH has packet identifier 0`);
  }
  const properties = version === 5 ? readProperties(r, CTX.publish) : undefined;
  if (topic.length === 0) {
    if (properties?.topicAlias === undefined) protocolError('PUBLISH topic name is empty');
  } else if (topic.indexOf('+') !== -1 || topic.indexOf('#') !== -1) {
    // The spec names no reason code; Mosquitto answers Malformed Packet.
    malformed(topicNameProblem(topic)!);
  }
  const p: PublishPacket = { type: 'publish', topic, payload: r.rest(), qos: qos as QoS, retain: (flags & 1) !== 0, dup };
  if (qos > 0) p.packetId = packetId;
  if (properties) p.properties = properties;
  return p;
}

export const PUBLISH: PacketCodec<PublishPacket> = {
  type: 'publish',
  flags: undefined, // DUP, QoS and RETAIN
  size: publishSize,
  encode: encodePublish,
  decode: decodePublish,
};
