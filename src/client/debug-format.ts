// One line per packet in the style of `mosquitto_pub -d` / `mosquitto_sub -d`,
// so scripts and eyes used to libmosquitto's debug output read ours unchanged.
import type { Packet, Subscription } from '../codec/types.js';

export type Direction = 'sending' | 'received';

function subscriptionOptions(s: Subscription): string {
  const bits = (s.noLocal ? 0x04 : 0) | (s.retainAsPublished ? 0x08 : 0) | ((s.retainHandling ?? 0) << 4);
  return `0x${bits.toString(16).padStart(2, '0')}`;
}

/** The debug line(s) for one packet; SUBSCRIBE/UNSUBSCRIBE give one per topic, as mosquitto does. */
export function formatPacket(dir: Direction, p: Packet, clientId: string): string[] {
  const c = `Client ${clientId === '' ? '(null)' : clientId} ${dir}`;
  const out = dir === 'sending';
  switch (p.type) {
    case 'connect':
      return [`${c} CONNECT`];
    case 'connack':
      return [`${c} CONNACK (${p.reasonCode})`];
    case 'publish': {
      const flags = `d${p.dup ? 1 : 0}, q${p.qos}, r${p.retain ? 1 : 0}, m${p.packetId ?? 0}`;
      return [`${c} PUBLISH (${flags}, '${p.topic}', ... (${p.payload.length} bytes))`];
    }
    case 'puback':
      return [out ? `${c} PUBACK (m${p.packetId}, rc${p.reasonCode})` : `${c} PUBACK (Mid: ${p.packetId}, RC:${p.reasonCode})`];
    case 'pubrec':
      return [out ? `${c} PUBREC (m${p.packetId}, rc${p.reasonCode})` : `${c} PUBREC (Mid: ${p.packetId})`];
    case 'pubrel':
      return [out ? `${c} PUBREL (m${p.packetId})` : `${c} PUBREL (Mid: ${p.packetId})`];
    case 'pubcomp':
      return [out ? `${c} PUBCOMP (m${p.packetId})` : `${c} PUBCOMP (Mid: ${p.packetId}, RC:${p.reasonCode})`];
    case 'subscribe':
      return p.subscriptions.map(
        (s) => `${c} SUBSCRIBE (Mid: ${p.packetId}, Topic: ${s.topicFilter}, QoS: ${s.qos}, Options: ${subscriptionOptions(s)})`,
      );
    case 'unsubscribe':
      return p.topicFilters.map((f) => `${c} UNSUBSCRIBE (Mid: ${p.packetId}, Topic: ${f})`);
    case 'suback':
    case 'unsuback':
    case 'pingreq':
    case 'pingresp':
      return [`${c} ${p.type.toUpperCase()}`];
    case 'disconnect':
      // libmosquitto logs a received DISCONNECT without the client prefix.
      return [out ? `${c} DISCONNECT` : `Received DISCONNECT (${p.reasonCode})`];
    case 'auth':
      return [out ? `${c} AUTH` : `${c} AUTH (${p.reasonCode})`];
  }
}
