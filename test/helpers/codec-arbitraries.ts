// fast-check arbitraries for valid packets of every type and version, shared by the
// round-trip fuzz and the mqtt-packet differential. `oracle: true` narrows them to
// what mqtt-packet can express (see codec-differential.test.ts for the reasons).
import fc from 'fast-check';
import type { Packet, Properties, ProtocolVersion, QoS, Subscription, UserProperty } from '../../src/codec/types.js';

export interface ArbOptions {
  /** Restrict to shapes mqtt-packet generates and parses faithfully. */
  oracle?: boolean;
}

const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const bit = fc.constantFrom(0, 1);
const bytes = (max = 32) => fc.uint8Array({ maxLength: max }).map((b) => Buffer.from(b));
const qos = fc.constantFrom<QoS>(0, 1, 2);
export const packetId = fc.integer({ min: 1, max: 0xffff });

/** Any Unicode text an MQTT string may carry: no U+0000, no lone surrogates (the generator never makes those). */
export const mqttString = (max = 12) =>
  fc.oneof(fc.string({ maxLength: max }), fc.string({ unit: 'binary', maxLength: max })).filter((s) => !s.includes('\u0000'));
const level = fc.string({ unit: 'binary', maxLength: 6 }).filter((s) => !/[\u0000/+#]/.test(s));
export const topicName = fc
  .array(level, { minLength: 1, maxLength: 4 })
  .map((ls) => ls.join('/'))
  .filter((t) => t.length > 0);
const filterLevel = fc.oneof(level, fc.constant('+'));
const plainFilter = fc
  .tuple(fc.array(filterLevel, { minLength: 1, maxLength: 4 }), fc.boolean())
  .map(([ls, hash]) => (hash ? [...ls, '#'] : ls).join('/'))
  .filter((f) => f.length > 0);
const shareName = fc.string({ unit: 'binary', minLength: 1, maxLength: 5 }).filter((s) => !/[\u0000/+#]/.test(s));
export const topicFilter = fc.oneof(
  { weight: 4, arbitrary: plainFilter },
  { weight: 1, arbitrary: fc.tuple(shareName, plainFilter).map(([n, f]) => `$share/${n}/${f}`) },
  { weight: 1, arbitrary: fc.constant('#') },
);

function userProperties(o: ArbOptions): fc.Arbitrary<UserProperty[]> {
  if (!o.oracle) return fc.array(fc.tuple(mqttString(8), mqttString(8)), { minLength: 1, maxLength: 4 });
  // mqtt-packet keeps user properties in an object: unique, non-numeric, non-empty keys and non-empty values.
  const key = fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }).filter((k) => !/\u0000|^\d+$/.test(k) && k !== '__proto__');
  return fc.uniqueArray(fc.tuple(key, mqttString(8).filter((v) => v.length > 0)), { minLength: 1, maxLength: 3, selector: ([k]) => k });
}

type PropModel = { [K in keyof Properties]?: fc.Arbitrary<Properties[K]> };

function props(model: PropModel): fc.Arbitrary<Properties | undefined> {
  return fc
    .record(model as Record<string, fc.Arbitrary<unknown>>, { requiredKeys: [], noNullPrototype: true })
    .map((p) => (Object.keys(p).length === 0 ? undefined : (p as Properties)));
}

const message = (o: ArbOptions): PropModel => ({
  payloadFormatIndicator: bit,
  messageExpiryInterval: u32,
  contentType: mqttString(),
  responseTopic: topicName,
  correlationData: bytes(8),
  userProperties: userProperties(o),
});
const reasonOnly = (o: ArbOptions): PropModel => ({ reasonString: mqttString(), userProperties: userProperties(o) });

/** Authentication Data is only legal beside an Authentication Method. */
const withAuthPairing = (a: fc.Arbitrary<Properties | undefined>) =>
  a.map((p) => (p?.authenticationData !== undefined && p.authenticationMethod === undefined ? { ...p, authenticationMethod: 'm' } : p));

const connectProps = (o: ArbOptions) =>
  withAuthPairing(
    props({
      sessionExpiryInterval: u32,
      receiveMaximum: fc.integer({ min: 1, max: 0xffff }),
      maximumPacketSize: fc.integer({ min: 1, max: 0xffffffff }),
      topicAliasMaximum: u16,
      requestResponseInformation: bit,
      requestProblemInformation: bit,
      userProperties: userProperties(o),
      authenticationMethod: mqttString(),
      authenticationData: bytes(8),
    }),
  );

const connackProps = (o: ArbOptions) =>
  withAuthPairing(
    props({
      sessionExpiryInterval: u32,
      receiveMaximum: fc.integer({ min: 1, max: 0xffff }),
      maximumQoS: bit,
      retainAvailable: bit,
      maximumPacketSize: fc.integer({ min: 1, max: 0xffffffff }),
      assignedClientIdentifier: mqttString(),
      topicAliasMaximum: u16,
      reasonString: mqttString(),
      userProperties: userProperties(o),
      wildcardSubscriptionAvailable: bit,
      subscriptionIdentifierAvailable: bit,
      sharedSubscriptionAvailable: bit,
      serverKeepAlive: u16,
      responseInformation: mqttString(),
      serverReference: mqttString(),
      authenticationMethod: mqttString(),
      authenticationData: bytes(8),
    }),
  );

const V5 = {
  connack: [0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8c, 0x90, 0x95, 0x97, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9f],
  puback: [0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99],
  pubrel: [0x00, 0x92],
  suback: [0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8f, 0x91, 0x97, 0x9e, 0xa1, 0xa2],
  unsuback: [0x00, 0x11, 0x80, 0x83, 0x87, 0x8f, 0x91],
  disconnect: [0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8b, 0x8d, 0x8e, 0x8f, 0x90, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f, 0xa0, 0xa1, 0xa2],
};

const clientId = (v: ProtocolVersion, o: ArbOptions) =>
  v === 3 ? fc.stringMatching(/^[0-9A-Za-z]{1,23}$/) : o.oracle ? mqttString().filter((s) => s.length > 0) : mqttString();

function connect(v: ProtocolVersion, o: ArbOptions): fc.Arbitrary<Packet> {
  const will = fc.record(
    {
      topic: topicName,
      payload: bytes(),
      qos,
      retain: fc.boolean(),
      ...(v === 5 ? { properties: props({ ...message(o), willDelayInterval: u32 }) } : {}),
    },
    { noNullPrototype: true },
  );
  return fc
    .record(
      {
        clientId: clientId(v, o),
        cleanStart: fc.boolean(),
        keepalive: u16,
        username: fc.option(mqttString(), { nil: undefined }),
        password: fc.option(bytes(), { nil: undefined }),
        will: fc.option(will, { nil: undefined }),
        properties: v === 5 ? connectProps(o) : fc.constant(undefined),
      },
      { noNullPrototype: true },
    )
    .map((c) => {
      // 3.1/3.1.1 (and mqtt-packet) need a username for a password
      const password = c.password !== undefined && (v === 5 && !o.oracle ? true : c.username !== undefined) ? c.password : undefined;
      const will = c.will && (c.will as { properties?: unknown }).properties === undefined ? { ...c.will, properties: undefined } : c.will;
      // [MQTT-3.1.3-7]: before MQTT 5 a client sends an empty client id only with clean session
      const cleanStart = c.cleanStart || (v !== 5 && c.clientId === '');
      return clean({ type: 'connect', protocolVersion: v, ...c, cleanStart, password, will }) as Packet;
    });
}

function connack(v: ProtocolVersion, o: ArbOptions): fc.Arbitrary<Packet> {
  const code = v === 5 ? fc.constantFrom(...V5.connack) : fc.integer({ min: 0, max: 5 });
  return fc
    .record({ sessionPresent: fc.boolean(), reasonCode: code, properties: v === 5 ? connackProps(o) : fc.constant(undefined) }, { noNullPrototype: true })
    .map((c) => clean({ type: 'connack', ...c, sessionPresent: v !== 3 && c.reasonCode === 0 && c.sessionPresent }) as Packet);
}

function publish(v: ProtocolVersion, o: ArbOptions): fc.Arbitrary<Packet> {
  const properties =
    v === 5
      ? props({
          ...message(o),
          topicAlias: fc.integer({ min: 1, max: 0xffff }),
          subscriptionIdentifiers: fc.array(fc.integer({ min: 1, max: 268_435_455 }), { minLength: 1, maxLength: 3 }),
        })
      : fc.constant(undefined);
  return fc
    .record({ topic: topicName, payload: bytes(64), qos, retain: fc.boolean(), dup: fc.boolean(), packetId, properties, aliasOnly: fc.boolean() }, { noNullPrototype: true })
    .map(({ aliasOnly, ...p }) =>
      clean({
        type: 'publish',
        ...p,
        topic: aliasOnly && p.properties?.topicAlias !== undefined ? '' : p.topic,
        dup: p.qos > 0 && p.dup,
        packetId: p.qos > 0 ? p.packetId : undefined,
      }) as Packet,
    );
}

function ack(type: 'puback' | 'pubrec' | 'pubrel' | 'pubcomp', v: ProtocolVersion, o: ArbOptions): fc.Arbitrary<Packet> {
  const codes = type === 'puback' || type === 'pubrec' ? V5.puback : V5.pubrel;
  return fc
    .record({ packetId, reasonCode: v === 5 ? fc.constantFrom(...codes) : fc.constant(0), properties: v === 5 ? props(reasonOnly(o)) : fc.constant(undefined) }, { noNullPrototype: true })
    .map((p) => clean({ type, ...p }) as Packet);
}

function subscription(v: ProtocolVersion): fc.Arbitrary<Subscription> {
  if (v !== 5) return fc.record({ topicFilter, qos }, { noNullPrototype: true });
  return fc
    .record({ topicFilter, qos, noLocal: fc.boolean(), retainAsPublished: fc.boolean(), retainHandling: fc.constantFrom<0 | 1 | 2>(0, 1, 2) }, { noNullPrototype: true })
    .map((s) => ({ ...s, noLocal: s.noLocal && !s.topicFilter.startsWith('$share/') }));
}

function subscribe(v: ProtocolVersion, o: ArbOptions): fc.Arbitrary<Packet> {
  const properties = v === 5 ? props({ subscriptionIdentifiers: fc.integer({ min: 1, max: 268_435_455 }).map((n) => [n]), userProperties: userProperties(o) }) : fc.constant(undefined);
  return fc
    .record({ packetId, subscriptions: fc.array(subscription(v), { minLength: 1, maxLength: 4 }), properties }, { noNullPrototype: true })
    .map((p) => clean({ type: 'subscribe', ...p }) as Packet);
}

function suback(v: ProtocolVersion, o: ArbOptions): fc.Arbitrary<Packet> {
  const code = v === 5 ? fc.constantFrom(...V5.suback) : fc.constantFrom(0, 1, 2, 0x80);
  return fc
    .record({ packetId, reasonCodes: fc.array(code, { minLength: 1, maxLength: 4 }), properties: v === 5 ? props(reasonOnly(o)) : fc.constant(undefined) }, { noNullPrototype: true })
    .map((p) => clean({ type: 'suback', ...p }) as Packet);
}

function unsubscribe(v: ProtocolVersion, o: ArbOptions): fc.Arbitrary<Packet> {
  const properties = v === 5 ? props({ userProperties: userProperties(o) }) : fc.constant(undefined);
  return fc
    .record({ packetId, topicFilters: fc.array(topicFilter, { minLength: 1, maxLength: 4 }), properties }, { noNullPrototype: true })
    .map((p) => clean({ type: 'unsubscribe', ...p }) as Packet);
}

function unsuback(v: ProtocolVersion, o: ArbOptions): fc.Arbitrary<Packet> {
  if (v !== 5) return packetId.map((id) => ({ type: 'unsuback', packetId: id, reasonCodes: [] }) as Packet);
  return fc
    .record({ packetId, reasonCodes: fc.array(fc.constantFrom(...V5.unsuback), { minLength: 1, maxLength: 4 }), properties: props(reasonOnly(o)) }, { noNullPrototype: true })
    .map((p) => clean({ type: 'unsuback', ...p }) as Packet);
}

function disconnect(v: ProtocolVersion, o: ArbOptions): fc.Arbitrary<Packet> {
  if (v !== 5) return fc.constant({ type: 'disconnect', reasonCode: 0 } as Packet);
  const properties = props({ sessionExpiryInterval: u32, serverReference: mqttString(), ...reasonOnly(o) });
  return fc
    .record({ reasonCode: fc.constantFrom(...V5.disconnect), properties }, { noNullPrototype: true })
    .map((p) => clean({ type: 'disconnect', ...p }) as Packet);
}

function auth(o: ArbOptions): fc.Arbitrary<Packet> {
  const properties = props({ authenticationData: bytes(8), ...reasonOnly(o) });
  return fc
    .record({ reasonCode: fc.constantFrom(0x00, 0x18, 0x19), method: mqttString(), properties, short: fc.boolean() }, { noNullPrototype: true })
    .map(({ method, short, ...p }) =>
      short && !o.oracle && p.reasonCode === 0
        ? ({ type: 'auth', reasonCode: 0 } as Packet)
        : (clean({ type: 'auth', reasonCode: p.reasonCode, properties: { authenticationMethod: method, ...p.properties } }) as Packet),
    );
}

/** Arbitraries for every packet type that exists in version v. */
export function packetArbitraries(v: ProtocolVersion, o: ArbOptions = {}): Record<string, fc.Arbitrary<Packet>> {
  const all: Record<string, fc.Arbitrary<Packet>> = {
    connect: connect(v, o),
    connack: connack(v, o),
    publish: publish(v, o),
    puback: ack('puback', v, o),
    pubrec: ack('pubrec', v, o),
    pubrel: ack('pubrel', v, o),
    pubcomp: ack('pubcomp', v, o),
    subscribe: subscribe(v, o),
    suback: suback(v, o),
    unsubscribe: unsubscribe(v, o),
    unsuback: unsuback(v, o),
    pingreq: fc.constant({ type: 'pingreq' } as Packet),
    pingresp: fc.constant({ type: 'pingresp' } as Packet),
    disconnect: disconnect(v, o),
  };
  if (v === 5) all.auth = auth(o);
  return all;
}

export function anyPacket(v: ProtocolVersion, o: ArbOptions = {}): fc.Arbitrary<Packet> {
  return fc.oneof(...Object.values(packetArbitraries(v, o)));
}

/** Drops undefined-valued keys (the codec treats absent and undefined alike; this keeps shapes tidy). */
function clean<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined)) as T;
}
