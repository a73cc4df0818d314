// The client against a real mosquitto, for every protocol version.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MqttClient } from '../../src/client/client.js';
import type { ProtocolVersion } from '../../src/codec/types.js';
import { startBroker, type Broker } from '../helpers/broker.js';
import { collect, tcpOptions, text, uniqueId } from '../helpers/client-helpers.js';

let broker: Broker;
beforeAll(async () => {
  broker = await startBroker();
});
afterAll(async () => {
  await broker?.stop();
});

describe.each([3, 4, 5] as ProtocolVersion[])('MQTT version %i against mosquitto', (version) => {
  const opts = (extra = {}) => tcpOptions(broker.port, version, { clientId: uniqueId(`v${version}`), ...extra });

  it('connects, reports the CONNACK and disconnects cleanly', async () => {
    const lines: string[] = [];
    const c = await MqttClient.connect(opts({ debug: (l: string) => lines.push(l) }));
    expect(c.connack.reasonCode).toBe(0);
    expect(c.connack.sessionPresent).toBe(false);
    await c.publish({ topic: 'a', payload: text('b'), qos: 0, retain: false });
    await c.disconnect();
    expect(lines).toContain(`Client ${c.clientId} sending PUBLISH (d0, q0, r0, m1, 'a', ... (1 bytes))`);
    expect(await c.closed).toBeUndefined();
    expect(lines[0]).toMatch(/^Client v\d-\d+-\d+ sending CONNECT$/);
    expect(lines[1]).toMatch(/received CONNACK \(0\)$/);
    expect(lines.at(-1)).toMatch(/sending DISCONNECT$/);
  });

  it.each([0, 1, 2] as const)('publishes and receives at QoS %i, in order', async (qos) => {
    const topic = `t/${uniqueId()}`;
    const sub = await MqttClient.connect(opts());
    const got = collect(sub);
    const res = await sub.subscribe([{ topicFilter: topic, qos }]);
    expect(res.reasonCodes).toEqual([qos]);
    const pub = await MqttClient.connect(opts());
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => pub.publish({ topic, payload: text(`m${n}`), qos, retain: false })));
    if (qos > 0) expect(results.map((r) => r.packetId)).toEqual([1, 2, 3, 4, 5]);
    const msgs = await got.waitFor(5);
    expect(msgs.map((m) => m.payload.toString())).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    expect(msgs.every((m) => m.qos === qos && m.topic === topic)).toBe(true);
    await Promise.all([pub.disconnect(), sub.disconnect()]);
  });

  it('delivers retained messages with the retain flag and binary payloads intact', async () => {
    const topic = `r/${uniqueId()}`;
    const payload = Buffer.from([0, 255, 0x80, 10, 13]);
    const pub = await MqttClient.connect(opts());
    await pub.publish({ topic, payload, qos: 1, retain: true });
    await pub.disconnect();
    const sub = await MqttClient.connect(opts());
    const got = collect(sub);
    await sub.subscribe([{ topicFilter: topic, qos: 1 }]);
    const [m] = await got.waitFor(1);
    expect(m!.retain).toBe(true);
    expect(Buffer.compare(Buffer.from(m!.payload), payload)).toBe(0);
    await sub.publish({ topic, payload: Buffer.alloc(0), qos: 1, retain: true }); // clear it
    await sub.disconnect();
  });

  it('resumes a session: messages sent while away arrive after reconnect', async () => {
    const id = uniqueId('persist');
    const topic = `s/${id}`;
    const extra = version === 5 ? { properties: { sessionExpiryInterval: 60 } } : {};
    const first = await MqttClient.connect(opts({ clientId: id, cleanStart: false, ...extra }));
    await first.subscribe([{ topicFilter: topic, qos: 1 }]);
    await first.disconnect();
    const pub = await MqttClient.connect(opts());
    await pub.publish({ topic, payload: text('while away'), qos: 1, retain: false });
    await pub.disconnect();
    const again = await MqttClient.connect(opts({ clientId: id, cleanStart: false, ...extra }));
    // MQTT 3.1 CONNACK has no Session Present flag.
    expect(again.connack.sessionPresent).toBe(version !== 3);
    const got = collect(again);
    const [m] = await got.waitFor(1);
    expect(m!.payload.toString()).toBe('while away');
    // Leave no session behind.
    await again.disconnect(version === 5 ? { properties: { sessionExpiryInterval: 0 } } : {});
  });
});

describe('MQTT 5 specifics against mosquitto', () => {
  const opts = (extra = {}) => tcpOptions(broker.port, 5, { clientId: uniqueId('v5x'), ...extra });

  it('round-trips publish properties', async () => {
    const topic = `p/${uniqueId()}`;
    const sub = await MqttClient.connect(opts());
    const got = collect(sub);
    await sub.subscribe([{ topicFilter: topic, qos: 1 }], { subscriptionIdentifiers: [7] });
    const pub = await MqttClient.connect(opts());
    const properties = {
      contentType: 'text/plain',
      responseTopic: 'reply/here',
      correlationData: Buffer.from([1, 2, 3]),
      payloadFormatIndicator: 1,
      messageExpiryInterval: 60,
      userProperties: [['k', 'v'], ['k', 'v2']] as [string, string][],
    };
    await pub.publish({ topic, payload: text('x'), qos: 1, retain: false, properties });
    const [m] = await got.waitFor(1);
    expect(m!.properties).toMatchObject({ ...properties, correlationData: expect.anything(), subscriptionIdentifiers: [7] });
    expect(Buffer.from(m!.properties.correlationData!)).toEqual(Buffer.from([1, 2, 3]));
    await Promise.all([pub.disconnect(), sub.disconnect()]);
  });

  it('uses topic aliases for repeated topics when the broker allows them', async () => {
    const topic = `alias/${uniqueId()}`;
    const sub = await MqttClient.connect(opts());
    const got = collect(sub);
    await sub.subscribe([{ topicFilter: topic, qos: 0 }]);
    const lines: string[] = [];
    const pub = await MqttClient.connect(opts({ debug: (l: string) => lines.push(l) }));
    expect(pub.connack.topicAliasMaximum).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) await pub.publish({ topic, payload: text(`a${i}`), qos: 1, retain: false });
    const msgs = await got.waitFor(3);
    expect(msgs.map((m) => m.topic)).toEqual([topic, topic, topic]);
    expect(lines.filter((l) => l.includes('sending PUBLISH')).map((l) => l.includes(`'${topic}'`))).toEqual([true, false, false]);
    await Promise.all([pub.disconnect(), sub.disconnect()]);
  });

  it('with a Topic Alias Maximum of ours set, every message still arrives with its full topic', async () => {
    const topic = `inalias/${uniqueId()}`;
    const sub = await MqttClient.connect(opts({ properties: { topicAliasMaximum: 5 } }));
    const got = collect(sub);
    await sub.subscribe([{ topicFilter: topic, qos: 0 }]);
    const pub = await MqttClient.connect(opts());
    for (let i = 0; i < 3; i++) await pub.publish({ topic, payload: text(`b${i}`), qos: 1, retain: false });
    const msgs = await got.waitFor(3);
    expect(msgs.map((m) => m.topic)).toEqual([topic, topic, topic]);
    await Promise.all([pub.disconnect(), sub.disconnect()]);
  });

  it('reports PUBACK 0x10 (no matching subscribers) as success (P19)', async () => {
    const pub = await MqttClient.connect(opts());
    const r = await pub.publish({ topic: `nobody/${uniqueId()}`, payload: text('x'), qos: 1, retain: false });
    expect(r.reasonCode).toBe(0x10);
    await pub.disconnect();
  });

  it('adopts the assigned client id for an empty one', async () => {
    const c = await MqttClient.connect(opts({ clientId: '' }));
    expect(c.clientId).toMatch(/^auto-/);
    await c.disconnect();
  });

  it('sends the will (with will delay 0) when the link dies without DISCONNECT', async () => {
    const topic = `will/${uniqueId()}`;
    const sub = await MqttClient.connect(opts());
    const got = collect(sub);
    await sub.subscribe([{ topicFilter: topic, qos: 1 }]);
    const dying = await MqttClient.connect(
      opts({ will: { topic, payload: text('bye'), qos: 1, retain: false, properties: { willDelayInterval: 0, contentType: 'w' } } }),
    );
    dying.destroy();
    const [m] = await got.waitFor(1);
    expect(m!.payload.toString()).toBe('bye');
    expect(m!.properties.contentType).toBe('w');
    await sub.disconnect();
  });

  it('sends the authentication method: mosquitto without an auth plugin refuses it with 0x8C', async () => {
    const err = await MqttClient.connect(opts({ properties: { authenticationMethod: 'SCRAM-SHA-1', authenticationData: Buffer.from('x') } })).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'CONNECTION_REFUSED', reasonCode: 0x8c, message: expect.stringContaining('Bad authentication method') });
  });

  it('passes user properties and problem/response information requests in CONNECT', async () => {
    const c = await MqttClient.connect(
      opts({ properties: { userProperties: [['a', 'b']], requestProblemInformation: 1, requestResponseInformation: 1, receiveMaximum: 10, maximumPacketSize: 1000 } }),
    );
    expect(c.connack.reasonCode).toBe(0);
    await c.disconnect();
  });
});
