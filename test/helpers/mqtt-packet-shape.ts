// Translation between our Packet shape and mqtt-packet's (the test oracle only).
// mqtt-packet uses `cmd`, `messageId`, boolean "byte" properties, a user-property
// object (key -> value | values) and `subscriptionIdentifier`; ours is in types.ts.
// The user-property object cannot express every ordering, so callers that compare
// with it keep keys unique and non-numeric (see codec-differential.test.ts).
import type { Packet, Properties, ProtocolVersion, QoS, Subscription, UserProperty } from '../../src/codec/types.js';

type Obj = Record<string, unknown>;

/** Properties that mqtt-packet types as booleans ("byte"); our values are 0/1. */
const BOOLEAN_PROPS = [
  'payloadFormatIndicator',
  'requestProblemInformation',
  'requestResponseInformation',
  'retainAvailable',
  'wildcardSubscriptionAvailable',
  'sharedSubscriptionAvailable',
] as const;

export function toMqttProperties(p: Properties | undefined, single = false): Obj | undefined {
  if (p === undefined) return undefined;
  const out: Obj = {};
  for (const [k, v] of Object.entries(p)) {
    if (v === undefined) continue;
    if ((BOOLEAN_PROPS as readonly string[]).includes(k)) out[k] = v !== 0;
    else if (k === 'subscriptionIdentifierAvailable') out.subscriptionIdentifiersAvailable = v !== 0;
    else if (k === 'subscriptionIdentifiers') {
      const ids = v as number[];
      out.subscriptionIdentifier = single || ids.length === 1 ? ids[0] : ids;
    } else if (k === 'userProperties') out.userProperties = toUserObject(v as UserProperty[]);
    else if (v instanceof Uint8Array) out[k] = Buffer.from(v);
    else out[k] = v;
  }
  return out;
}

function toUserObject(list: UserProperty[]): Obj {
  const o: Obj = Object.create(null) as Obj;
  for (const [k, v] of list) {
    const cur = o[k];
    if (cur === undefined) o[k] = v;
    else if (Array.isArray(cur)) cur.push(v);
    else o[k] = [cur, v];
  }
  return o;
}

export function fromMqttProperties(p: unknown): Properties | undefined {
  if (p === undefined || p === null) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p as Obj)) {
    if ((BOOLEAN_PROPS as readonly string[]).includes(k)) out[k] = v ? 1 : 0;
    else if (k === 'subscriptionIdentifiersAvailable') out.subscriptionIdentifierAvailable = v ? 1 : 0;
    else if (k === 'subscriptionIdentifier') out.subscriptionIdentifiers = Array.isArray(v) ? v : [v];
    else if (k === 'userProperties') {
      const list: UserProperty[] = [];
      for (const [name, val] of Object.entries(v as Obj)) {
        for (const one of Array.isArray(val) ? val : [val]) list.push([name, String(one)]);
      }
      out.userProperties = list;
    } else out[k] = v;
  }
  return out as Properties;
}

/** Our packet as an mqtt-packet object for generate(). */
export function toMqttPacket(p: Packet, version: ProtocolVersion): Obj {
  const props = 'properties' in p ? toMqttProperties(p.properties, p.type === 'subscribe') : undefined;
  const withProps = (o: Obj): Obj => (props === undefined ? o : { ...o, properties: props });
  switch (p.type) {
    case 'connect': {
      const o: Obj = {
        cmd: 'connect',
        protocolId: p.protocolVersion === 3 ? 'MQIsdp' : 'MQTT',
        protocolVersion: p.protocolVersion,
        clientId: p.clientId,
        clean: p.cleanStart,
        keepalive: p.keepalive,
      };
      if (p.username !== undefined) o.username = p.username;
      if (p.password !== undefined) o.password = Buffer.from(p.password);
      if (p.will) {
        const w: Obj = { topic: p.will.topic, payload: Buffer.from(p.will.payload), qos: p.will.qos, retain: p.will.retain };
        const wp = toMqttProperties(p.will.properties);
        if (wp) w.properties = wp;
        o.will = w;
      }
      return withProps(o);
    }
    case 'connack':
      return withProps({
        cmd: 'connack',
        sessionPresent: p.sessionPresent,
        ...(version === 5 ? { reasonCode: p.reasonCode } : { returnCode: p.reasonCode }),
      });
    case 'publish': {
      const o: Obj = { cmd: 'publish', topic: p.topic, payload: Buffer.from(p.payload), qos: p.qos, dup: p.dup, retain: p.retain };
      if (p.packetId !== undefined) o.messageId = p.packetId;
      return withProps(o);
    }
    case 'puback':
    case 'pubrec':
    case 'pubrel':
    case 'pubcomp':
      return withProps({ cmd: p.type, messageId: p.packetId, reasonCode: p.reasonCode });
    case 'subscribe':
      return withProps({ cmd: 'subscribe', messageId: p.packetId, subscriptions: p.subscriptions.map(toMqttSub) });
    case 'suback':
      return withProps({ cmd: 'suback', messageId: p.packetId, granted: p.reasonCodes });
    case 'unsubscribe':
      return withProps({ cmd: 'unsubscribe', messageId: p.packetId, unsubscriptions: p.topicFilters });
    case 'unsuback':
      return withProps({ cmd: 'unsuback', messageId: p.packetId, granted: p.reasonCodes });
    case 'pingreq':
    case 'pingresp':
      return { cmd: p.type };
    case 'disconnect':
    case 'auth':
      return withProps({ cmd: p.type, reasonCode: p.reasonCode });
  }
}

function toMqttSub(s: Subscription): Obj {
  return { topic: s.topicFilter, qos: s.qos, nl: s.noLocal ?? false, rap: s.retainAsPublished ?? false, rh: s.retainHandling ?? 0 };
}

/** An mqtt-packet parser result as our packet shape. */
export function fromMqttPacket(m: Obj, version: ProtocolVersion): Packet {
  const props = fromMqttProperties(m.properties);
  const withProps = <T extends Obj>(o: T): T => (props === undefined ? o : { ...o, properties: props });
  const id = m.messageId as number;
  switch (m.cmd) {
    case 'connect': {
      const will = m.will as Obj | undefined;
      return withProps({
        type: 'connect' as const,
        protocolVersion: m.protocolVersion as ProtocolVersion,
        clientId: m.clientId as string,
        cleanStart: m.clean as boolean,
        keepalive: m.keepalive as number,
        ...(m.username !== undefined ? { username: m.username as string } : {}),
        ...(m.password !== undefined ? { password: m.password as Buffer } : {}),
        ...(will
          ? {
              will: {
                topic: will.topic as string,
                payload: will.payload as Buffer,
                qos: will.qos as QoS,
                retain: will.retain as boolean,
                ...(will.properties ? { properties: fromMqttProperties(will.properties) } : {}),
              },
            }
          : {}),
      });
    }
    case 'connack':
      return withProps({
        type: 'connack' as const,
        sessionPresent: m.sessionPresent as boolean,
        reasonCode: (version === 5 ? m.reasonCode : m.returnCode) as number,
      });
    case 'publish':
      return withProps({
        type: 'publish' as const,
        topic: m.topic as string,
        payload: m.payload as Buffer,
        qos: m.qos as QoS,
        retain: m.retain as boolean,
        dup: m.dup as boolean,
        ...((m.qos as number) > 0 ? { packetId: id } : {}),
      });
    case 'puback':
    case 'pubrec':
    case 'pubrel':
    case 'pubcomp':
      return withProps({ type: m.cmd, packetId: id, reasonCode: (m.reasonCode as number | undefined) ?? 0 });
    case 'subscribe':
      return withProps({
        type: 'subscribe' as const,
        packetId: id,
        subscriptions: (m.subscriptions as Obj[]).map((s) => ({
          topicFilter: s.topic as string,
          qos: s.qos as QoS,
          ...(version === 5 ? { noLocal: !!s.nl, retainAsPublished: !!s.rap, retainHandling: (s.rh ?? 0) as 0 | 1 | 2 } : {}),
        })),
      });
    case 'suback':
      return withProps({ type: 'suback' as const, packetId: id, reasonCodes: m.granted as number[] });
    case 'unsubscribe':
      return withProps({ type: 'unsubscribe' as const, packetId: id, topicFilters: m.unsubscriptions as string[] });
    case 'unsuback':
      return withProps({ type: 'unsuback' as const, packetId: id, reasonCodes: (m.granted as number[] | undefined) ?? [] });
    case 'pingreq':
    case 'pingresp':
      return { type: m.cmd };
    case 'disconnect':
    case 'auth':
      return withProps({ type: m.cmd, reasonCode: (m.reasonCode as number | undefined) ?? 0 });
    default:
      throw new Error(`unexpected mqtt-packet cmd ${String(m.cmd)}`);
  }
}
