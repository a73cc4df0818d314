// SUBSCRIBE (type 8, flags 0010): packet id, v5 properties, then one or more
// (topic filter, options byte). v3 options are the QoS alone; v5 adds No
// Local, Retain As Published and Retain Handling, with bits 6-7 reserved.
import type { ProtocolVersion, QoS, SubscribePacket, Subscription } from '../types.js';
import type { Reader } from '../reader.js';
import { startPacket, type OutBuffer } from '../writer.js';
import { CTX, propsLengthFor, readProperties, writeProperties } from '../properties.js';
import { hex, invalidArgument, malformed, protocolError } from '../codec-errors.js';
import { checkedStringLength, isSharedFilter, quote, topicFilterProblem } from '../validate.js';
import { vbiSize } from '../varint.js';
import { checkPacketId, checkQos, checkRemainingLength, totalSize, type PacketCodec } from './common.js';

function optionsByte(s: Subscription, version: ProtocolVersion): number {
  const qos = checkQos(s.qos, 'subscription');
  if (version !== 5) {
    if (s.noLocal || s.retainAsPublished || s.retainHandling) invalidArgument('subscription options other than QoS need MQTT 5');
    return qos;
  }
  const rh = s.retainHandling ?? 0;
  if (rh !== 0 && rh !== 1 && rh !== 2) invalidArgument(`retain handling must be 0, 1 or 2, got ${String(rh)}`);
  if (s.noLocal && isSharedFilter(s.topicFilter)) invalidArgument(`no local is not allowed on shared subscription ${quote(s.topicFilter)}`);
  return qos | (s.noLocal ? 4 : 0) | (s.retainAsPublished ? 8 : 0) | (rh << 4);
}

function measure(p: SubscribePacket, version: ProtocolVersion): { rl: number; propsLen: number } {
  checkPacketId(p.packetId, 'SUBSCRIBE');
  if (!Array.isArray(p.subscriptions) || p.subscriptions.length === 0) invalidArgument('SUBSCRIBE needs at least one subscription');
  const propsLen = propsLengthFor(p.properties, CTX.subscribe, version);
  let rl = 2 + (version === 5 ? vbiSize(propsLen) + propsLen : 0);
  for (const s of p.subscriptions) {
    rl += 3 + checkedStringLength(s.topicFilter, 'topic filter');
    const problem = topicFilterProblem(s.topicFilter);
    if (problem) invalidArgument(problem);
    optionsByte(s, version);
  }
  return { rl: checkRemainingLength(rl, 'SUBSCRIBE'), propsLen };
}

function encodeSubscribe(p: SubscribePacket, version: ProtocolVersion, out?: OutBuffer): Buffer {
  const { rl, propsLen } = measure(p, version);
  const w = startPacket(0x82, rl, out);
  w.u16(p.packetId);
  if (version === 5) writeProperties(w, p.properties, propsLen);
  for (const s of p.subscriptions) {
    w.utf8(s.topicFilter);
    w.u8(optionsByte(s, version));
  }
  return w.done();
}

function subscribeSize(p: SubscribePacket, version: ProtocolVersion): number {
  return totalSize(measure(p, version).rl);
}

function decodeSubscribe(r: Reader, version: ProtocolVersion): SubscribePacket {
  const packetId = r.u16('packet identifier');
  const properties = version === 5 ? readProperties(r, CTX.subscribe) : undefined;
  const subscriptions: Subscription[] = [];
  while (r.remaining() > 0) {
    const topicFilter = r.utf8('topic filter');
    subscriptions.push(readOptions(topicFilter, r.u8('subscription options'), version));
  }
  if (packetId === 0) protocolError('SUBSCRIBE has packet identifier 0');
  if (subscriptions.length === 0) protocolError('SUBSCRIBE has no subscriptions');
  for (const s of subscriptions) {
    const problem = topicFilterProblem(s.topicFilter);
    // The spec names no reason code for a bad filter; Mosquitto answers Malformed Packet.
    if (problem) malformed(problem);
    if (s.noLocal && isSharedFilter(s.topicFilter)) protocolError(`no local set on shared subscription ${quote(s.topicFilter)}`);
  }
  const p: SubscribePacket = { type: 'subscribe', packetId, subscriptions };
  if (properties) p.properties = properties;
  return p;
}

function readOptions(topicFilter: string, o: number, version: ProtocolVersion): Subscription {
  const qos = o & 3;
  if (qos === 3) malformed(`subscription QoS 3 for ${quote(topicFilter)}`);
  if (version !== 5) {
    if (o & 0xfc) malformed(`reserved bits set in subscription QoS byte ${hex(o)}`);
    return { topicFilter, qos: qos as QoS };
  }
  if (o & 0xc0) malformed(`reserved bits set in subscription options ${hex(o)}`);
  const retainHandling = (o >> 4) & 3;
  if (retainHandling === 3) malformed('retain handling 3 in subscription options');
  return {
    topicFilter,
    qos: qos as QoS,
    noLocal: (o & 4) !== 0,
    retainAsPublished: (o & 8) !== 0,
    retainHandling: retainHandling as 0 | 1 | 2,
  };
}

export const SUBSCRIBE: PacketCodec<SubscribePacket> = {
  type: 'subscribe', flags: 2, size: subscribeSize, encode: encodeSubscribe, decode: (r, _f, v) => decodeSubscribe(r, v),
};
