// UNSUBSCRIBE (type 10, flags 0010): packet id, v5 properties, one or more filters.
import type { ProtocolVersion, UnsubscribePacket } from '../types.js';
import type { Reader } from '../reader.js';
import { startPacket, type OutBuffer } from '../writer.js';
import { CTX, propsLengthFor, readProperties, writeProperties } from '../properties.js';
import { invalidArgument, malformed, protocolError } from '../codec-errors.js';
import { checkedStringLength, topicFilterProblem } from '../validate.js';
import { vbiSize } from '../varint.js';
import { checkPacketId, checkRemainingLength, totalSize, type PacketCodec } from './common.js';

function measure(p: UnsubscribePacket, version: ProtocolVersion): { rl: number; propsLen: number } {
  checkPacketId(p.packetId, 'UNSUBSCRIBE');
  if (!Array.isArray(p.topicFilters) || p.topicFilters.length === 0) invalidArgument('UNSUBSCRIBE needs at least one topic filter');
  const propsLen = propsLengthFor(p.properties, CTX.unsubscribe, version);
  let rl = 2 + (version === 5 ? vbiSize(propsLen) + propsLen : 0);
  for (const f of p.topicFilters) {
    rl += 2 + checkedStringLength(f, 'topic filter');
    const problem = topicFilterProblem(f);
    if (problem) invalidArgument(problem);
  }
  return { rl: checkRemainingLength(rl, 'UNSUBSCRIBE'), propsLen };
}

function encodeUnsubscribe(p: UnsubscribePacket, version: ProtocolVersion, out?: OutBuffer): Buffer {
  const { rl, propsLen } = measure(p, version);
  const w = startPacket(0xa2, rl, out);
  w.u16(p.packetId);
  if (version === 5) writeProperties(w, p.properties, propsLen);
  for (const f of p.topicFilters) w.utf8(f);
  return w.done();
}

function unsubscribeSize(p: UnsubscribePacket, version: ProtocolVersion): number {
  return totalSize(measure(p, version).rl);
}

function decodeUnsubscribe(r: Reader, version: ProtocolVersion): UnsubscribePacket {
  const packetId = r.u16('packet identifier');
  const properties = version === 5 ? readProperties(r, CTX.unsubscribe) : undefined;
  const topicFilters: string[] = [];
  while (r.remaining() > 0) topicFilters.push(r.utf8('topic filter'));
  if (packetId === 0) protocolError('UNSUBSCRIBE has packet identifier 0');
  if (topicFilters.length === 0) protocolError('UNSUBSCRIBE has no topic filters');
  for (const f of topicFilters) {
    const problem = topicFilterProblem(f);
    // The spec names no reason code for a bad filter; Mosquitto answers Malformed Packet.
    if (problem) malformed(problem);
  }
  const p: UnsubscribePacket = { type: 'unsubscribe', packetId, topicFilters };
  if (properties) p.properties = properties;
  return p;
}

export const UNSUBSCRIBE: PacketCodec<UnsubscribePacket> = {
  type: 'unsubscribe', flags: 2, size: unsubscribeSize, encode: encodeUnsubscribe, decode: (r, _f, v) => decodeUnsubscribe(r, v),
};
