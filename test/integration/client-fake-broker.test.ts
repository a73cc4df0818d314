// Client behaviour against a scripted fake broker: the misbehaviour and limits
// a real mosquitto will not produce on demand (test plan 4.2, P1–P15).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MqttClient } from '../../src/client/client.js';
import { encodePacket } from '../../src/codec/index.js';
import type { ClientOptions } from '../../src/client/types.js';
import { startFakeBroker, type FakeBroker } from '../helpers/fake-broker.js';
import { sleep, tcpOptions, text } from '../helpers/client-helpers.js';

let fb: FakeBroker;
beforeAll(async () => {
  fb = await startFakeBroker(5);
});
afterAll(async () => {
  await fb?.close();
});

const opts = (extra: Partial<ClientOptions> = {}): ClientOptions => tcpOptions(fb.port, 5, { clientId: 'fake', keepalive: 30, ...extra });

/** Connect through the fake broker, answering CONNECT with the given CONNACK properties. */
async function connected(props = {}, extra: Partial<ClientOptions> = {}) {
  const warnings: string[] = [];
  const clientP = MqttClient.connect(opts({ warn: (l) => warnings.push(l), ...extra }));
  const conn = await fb.connection();
  await conn.accept({ properties: props });
  const client = await clientP;
  return { client, conn, warnings };
}

const pub = (topic: string, qos: 0 | 1 | 2, payload = 'x') => ({ topic, payload: text(payload), qos, retain: false });

describe('CONNACK handling', () => {
  it('P1: Session Present on a clean start: sends nothing more and closes', async () => {
    const clientP = MqttClient.connect(opts());
    const conn = await fb.connection();
    await conn.expect('connect');
    conn.send({ type: 'connack', sessionPresent: true, reasonCode: 0 });
    await expect(clientP).rejects.toMatchObject({ code: 'PROTOCOL_ERROR' });
    await conn.closed;
    expect(conn.types()).toEqual(['connect']);
  });

  it.each([0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8c, 0x95, 0x97, 0x9c, 0x9d, 0x9f])(
    'P2: CONNACK %i is CONNECTION_REFUSED with the code and reason string',
    async (code) => {
      const clientP = MqttClient.connect(opts());
      const conn = await fb.connection();
      await conn.expect('connect');
      conn.send({ type: 'connack', sessionPresent: false, reasonCode: code, properties: { reasonString: `because ${code}` } });
      const err = await clientP.catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'CONNECTION_REFUSED', reasonCode: code, reasonString: `because ${code}` });
      expect((err as Error).message).toContain(`because ${code}`);
      await conn.closed;
    },
  );

  it('P3: Receive Maximum 0 is answered with DISCONNECT 0x82', async () => {
    const clientP = MqttClient.connect(opts());
    const conn = await fb.connection();
    await conn.expect('connect');
    // Our encoder refuses Receive Maximum 0, so patch it into a CONNACK carrying Receive Maximum 1.
    const bytes = encodePacket({ type: 'connack', sessionPresent: false, reasonCode: 0, properties: { receiveMaximum: 1 } }, 5);
    bytes[bytes.length - 1] = 0;
    conn.sendRaw(bytes);
    await expect(clientP).rejects.toMatchObject({ code: 'PROTOCOL_ERROR' });
    expect(await conn.expect('disconnect')).toMatchObject({ reasonCode: 0x82 });
  });
});

describe('outgoing limits', () => {
  it('P4: Receive Maximum 1 keeps one PUBLISH unacked; PINGREQ and DISCONNECT are not blocked', async () => {
    const { client, conn } = await connected({ receiveMaximum: 1, serverKeepAlive: 1 });
    const results = [1, 2, 3].map((n) => client.publish(pub('t', 1, `m${n}`)));
    const first = await conn.expect('publish');
    await conn.expect('pingreq', 2500); // keepalive 1 s: a ping goes out while the window is full
    expect(conn.types()).toEqual(['connect', 'publish']);
    conn.send({ type: 'puback', packetId: first.packetId!, reasonCode: 0 });
    const second = await conn.expect('publish');
    expect(second.payload.toString()).toBe('m2');
    await client.disconnect();
    expect(await conn.expect('disconnect')).toMatchObject({ reasonCode: 0 });
    await expect(results[0]).resolves.toMatchObject({ packetId: first.packetId });
    await expect(results[2]).rejects.toMatchObject({ code: 'PUBLISH_UNCONFIRMED', count: 2 });
  });

  it('F5 (client side): a producer using writable() stalls at the window while the broker stalls, then all go out in order', async () => {
    const { client, conn } = await connected({ receiveMaximum: 5 });
    let produced = 0;
    const results: Promise<unknown>[] = [];
    const producer = (async () => {
      for (let i = 0; i < 50; i++) {
        await client.writable();
        results.push(client.publish(pub('t', 1, `m${i}`)));
        produced++;
      }
    })();
    const seen: string[] = [];
    for (let i = 0; i < 5; i++) seen.push((await conn.expect('publish')).payload.toString());
    await sleep(100);
    expect(produced).toBe(5); // bounded: nothing beyond the window is buffered
    expect(client.pendingPublishes).toBe(5);
    let nextAck = 1;
    while (seen.length < 50) {
      conn.send({ type: 'puback', packetId: nextAck++, reasonCode: 0 });
      seen.push((await conn.expect('publish')).payload.toString());
    }
    while (nextAck <= 50) conn.send({ type: 'puback', packetId: nextAck++, reasonCode: 0 });
    await producer;
    await Promise.all(results);
    expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => `m${i}`));
    await client.disconnect();
  });

  it('P6: maximum packet size 30: 31 bytes refused locally, 30 bytes sent; DISCONNECT drops its reason string', async () => {
    const { client, conn } = await connected({ maximumPacketSize: 30 });
    // v5 QoS 0 PUBLISH with topic 't': 2 fixed header + 3 topic + 1 property length + payload.
    await expect(client.publish({ ...pub('t', 0), payload: Buffer.alloc(25) })).rejects.toMatchObject({ code: 'PACKET_TOO_LARGE' });
    await client.publish({ ...pub('t', 0), payload: Buffer.alloc(24) });
    const p = await conn.expect('publish');
    expect(p.payload.length).toBe(24);
    await client.disconnect({ reasonCode: 0, properties: { reasonString: 'x'.repeat(100) } });
    const d = await conn.expect('disconnect');
    expect(d.properties?.reasonString).toBeUndefined();
  });

  it('P6 with a large payload (written uncopied after its head): the limit counts the whole packet', async () => {
    // QoS 1, topic 't', no properties: 1 + 3 (remaining length) + 2 + 1 + 2 + 1 + payload bytes.
    const { client, conn } = await connected({ maximumPacketSize: 100_009, topicAliasMaximum: 5 });
    await expect(client.publish({ ...pub('t', 1), payload: Buffer.alloc(100_000, 1) })).rejects.toMatchObject({ code: 'PACKET_TOO_LARGE' });
    const payload = Buffer.alloc(99_999, 2); // exactly the limit
    const sent = client.publish({ ...pub('t', 1), payload });
    const p = await conn.expect('publish');
    expect(Buffer.from(p.payload).equals(payload)).toBe(true);
    expect([p.topic, p.properties?.topicAlias]).toEqual(['t', undefined]); // no alias for a payload this size
    conn.send({ type: 'puback', packetId: p.packetId!, reasonCode: 0 });
    await sent;
    await client.disconnect();
  });

  it('P8: topic aliases 1..2 on the first connection, none after a reconnect without them', async () => {
    const lines: string[] = [];
    const { client, conn } = await connected(
      { topicAliasMaximum: 2 },
      { reconnect: { initialDelayMs: 10, maxDelayMs: 50, maxAttempts: 3 }, debug: (l) => lines.push(l) },
    );
    for (const t of ['a', 'b', 'c', 'a']) await client.publish(pub(t, 0));
    const sent = [];
    for (let i = 0; i < 4; i++) sent.push(await conn.expect('publish'));
    expect(sent.map((p) => [p.topic, p.properties?.topicAlias])).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', undefined],
      ['', 1],
    ]);
    conn.destroy();
    const again = await fb.connection();
    const c2 = await again.expect('connect');
    expect(c2.cleanStart).toBe(false);
    again.send({ type: 'connack', sessionPresent: false, reasonCode: 0 });
    await sleep(50);
    await client.publish(pub('a', 0));
    expect(await again.expect('publish')).toMatchObject({ topic: 'a' });
    expect(again.received.find((p) => p.type === 'publish')!.properties?.topicAlias).toBeUndefined();
    await client.disconnect();
  });

  it('P10: QoS above Maximum QoS and retain without Retain Available are refused before sending', async () => {
    const { client, conn } = await connected({ maximumQoS: 1, retainAvailable: 0 });
    await expect(client.publish(pub('t', 2))).rejects.toMatchObject({ code: 'NOT_SUPPORTED', reasonCode: 0x9b });
    await expect(client.publish({ ...pub('t', 0), retain: true })).rejects.toMatchObject({ code: 'NOT_SUPPORTED', reasonCode: 0x9a });
    await client.disconnect();
    await conn.closed;
    expect(conn.types()).toEqual(['connect', 'disconnect']);
  });

  it('P11: shared, subscription-identifier and wildcard subscriptions refused when unavailable', async () => {
    const { client, conn } = await connected({ sharedSubscriptionAvailable: 0, subscriptionIdentifierAvailable: 0, wildcardSubscriptionAvailable: 0 });
    await expect(client.subscribe([{ topicFilter: '$share/g/t', qos: 0 }])).rejects.toMatchObject({ code: 'NOT_SUPPORTED', reasonCode: 0x9e });
    await expect(client.subscribe([{ topicFilter: 'a/+', qos: 0 }])).rejects.toMatchObject({ code: 'NOT_SUPPORTED', reasonCode: 0xa2 });
    await expect(client.subscribe([{ topicFilter: 'a', qos: 0 }], { subscriptionIdentifiers: [3] })).rejects.toMatchObject({
      code: 'NOT_SUPPORTED',
      reasonCode: 0xa1,
    });
    await client.disconnect();
    await conn.closed;
    expect(conn.types()).toEqual(['connect', 'disconnect']);
  });
});

describe('acknowledgements', () => {
  it('P12: acks for unknown ids are ignored with a warning and never complete a message', async () => {
    const { client, conn, warnings } = await connected({ receiveMaximum: 1 });
    let done = false;
    const p = client.publish(pub('t', 1)).finally(() => (done = true));
    void client.publish(pub('t', 1, 'second'));
    const sent = await conn.expect('publish');
    const id = sent.packetId!;
    conn.send({ type: 'puback', packetId: id + 100, reasonCode: 0 });
    conn.send({ type: 'suback', packetId: id, reasonCodes: [0] });
    await sleep(100);
    expect(done).toBe(false);
    expect(warnings.length).toBe(2);
    expect(conn.types()).toEqual(['connect', 'publish']); // the quota did not grow
    conn.send({ type: 'puback', packetId: id, reasonCode: 0 });
    await p;
    expect((await conn.expect('publish')).payload.toString()).toBe('second');
    await client.disconnect();
  });

  it('P13: PUBREC 0x80 and PUBACK 0x87/0x97 are rejections, with no PUBREL or retransmit', async () => {
    const { client, conn } = await connected();
    const q2 = client.publish(pub('t', 2));
    const a = client.publish(pub('t', 1));
    const b = client.publish(pub('t', 1));
    const [p1, p2, p3] = [await conn.expect('publish'), await conn.expect('publish'), await conn.expect('publish')];
    conn.send({ type: 'pubrec', packetId: p1.packetId!, reasonCode: 0x80 });
    conn.send({ type: 'puback', packetId: p2.packetId!, reasonCode: 0x87, properties: { reasonString: 'denied' } });
    conn.send({ type: 'puback', packetId: p3.packetId!, reasonCode: 0x97 });
    await expect(q2).rejects.toMatchObject({ code: 'PUBLISH_REJECTED', reasonCode: 0x80 });
    await expect(a).rejects.toMatchObject({ code: 'PUBLISH_REJECTED', reasonCode: 0x87, reasonString: 'denied' });
    await expect(b).rejects.toMatchObject({ code: 'PUBLISH_REJECTED', reasonCode: 0x97 });
    await sleep(50);
    await client.disconnect();
    await conn.closed;
    expect(conn.types()).toEqual(['connect', 'publish', 'publish', 'publish', 'disconnect']);
  });
});

describe('incoming', () => {
  it('P5: more unacked QoS 1 messages than our Receive Maximum → DISCONNECT 0x93', async () => {
    const { client, conn } = await connected({}, { properties: { receiveMaximum: 2 } });
    client.onMessage(() => new Promise(() => {})); // never acknowledges
    for (let id = 1; id <= 3; id++) conn.send({ type: 'publish', topic: 't', payload: text('x'), qos: 1, retain: false, dup: false, packetId: id });
    expect(await conn.expect('disconnect')).toMatchObject({ reasonCode: 0x93 });
    expect(await client.closed).toMatchObject({ code: 'RECEIVE_MAXIMUM_EXCEEDED' });
  });

  it('P7: an inbound packet larger than our maximum → DISCONNECT 0x95 before the body arrives', async () => {
    const { client, conn } = await connected({}, { properties: { maximumPacketSize: 100 } });
    // Fixed header claiming a 100000-byte PUBLISH, then only a few bytes of it.
    conn.sendRaw(Buffer.from([0x30, 0xa0, 0x8d, 0x06, 0, 1, 0x74]));
    expect(await conn.expect('disconnect')).toMatchObject({ reasonCode: 0x95 });
    expect(await client.closed).toMatchObject({ code: 'PACKET_TOO_LARGE' });
  });

  it.each([
    ['alias beyond our maximum', { topic: 'a', properties: { topicAlias: 3 } }, 0x94],
    ['unknown alias with an empty topic', { topic: '', properties: { topicAlias: 1 } }, 0x94],
  ])('P9: %s → DISCONNECT %i', async (_name, publish, reason) => {
    const { client, conn } = await connected({}, { properties: { topicAliasMaximum: 2 } });
    client.onMessage(() => {});
    conn.send({ type: 'publish', payload: text('x'), qos: 0, retain: false, dup: false, ...publish });
    expect(await conn.expect('disconnect')).toMatchObject({ reasonCode: reason });
    expect(await client.closed).toMatchObject({ reasonCode: reason });
  });

  it('P9: alias 0 is Topic Alias invalid (0x94); an empty topic without alias is a protocol error (0x82)', async () => {
    for (const [alias, reason, code] of [[0, 0x94, 'TOPIC_ALIAS_INVALID'], [undefined, 0x82, 'PROTOCOL_ERROR']] as const) {
      const { client, conn } = await connected({}, { properties: { topicAliasMaximum: 2 } });
      client.onMessage(() => {});
      // Our encoder refuses both forms, so build them from a valid PUBLISH with alias 1.
      const bytes = encodePacket({ type: 'publish', topic: '', payload: text('x'), qos: 0, retain: false, dup: false, properties: { topicAlias: 1 } }, 5);
      const raw = alias === 0 ? Buffer.from(bytes) : Buffer.from([0x30, 4, 0, 0, 0, 0x78]);
      if (alias === 0) raw[raw.length - 2] = 0; // alias u16 low byte → 0
      conn.sendRaw(raw);
      expect(await conn.expect('disconnect')).toMatchObject({ reasonCode: reason });
      expect(await client.closed).toMatchObject({ code });
    }
  });

  it('P14: a QoS 2 message repeated before PUBREL is delivered once; the id after PUBCOMP is new', async () => {
    const { client, conn } = await connected();
    const got: string[] = [];
    client.onMessage((m) => void got.push(m.payload.toString()));
    const q2 = (payload: string, dup: boolean) =>
      conn.send({ type: 'publish', topic: 't', payload: text(payload), qos: 2, retain: false, dup, packetId: 5 });
    q2('one', false);
    q2('one', true);
    q2('one', false);
    for (let i = 0; i < 3; i++) expect(await conn.expect('pubrec')).toMatchObject({ packetId: 5 });
    conn.send({ type: 'pubrel', packetId: 5, reasonCode: 0 });
    expect(await conn.expect('pubcomp')).toMatchObject({ packetId: 5, reasonCode: 0 });
    q2('two', false);
    await conn.expect('pubrec');
    expect(got).toEqual(['one', 'two']);
    await client.disconnect();
  });

  it('P15: Request Problem Information 0 and a SUBACK with a reason string → DISCONNECT 0x82', async () => {
    const { client, conn } = await connected({}, { properties: { requestProblemInformation: 0 } });
    const sub = client.subscribe([{ topicFilter: 't', qos: 0 }]);
    const s = await conn.expect('subscribe');
    conn.send({ type: 'suback', packetId: s.packetId, reasonCodes: [0], properties: { reasonString: 'chatty' } });
    expect(await conn.expect('disconnect')).toMatchObject({ reasonCode: 0x82 });
    await expect(sub).rejects.toBeDefined();
    expect(await client.closed).toMatchObject({ code: 'PROTOCOL_ERROR' });
  });

  it('a good PUBLISH in the same chunk as a malformed frame still reaches the handler', async () => {
    const { client, conn } = await connected();
    const got: string[] = [];
    client.onMessage((m) => void got.push(m.payload.toString()));
    const good = encodePacket({ type: 'publish', topic: 't', payload: text('kept'), qos: 0, retain: false, dup: false }, 5);
    conn.sendRaw(Buffer.concat([good, Buffer.from([0x00, 0x00])]));
    expect(await client.closed).toMatchObject({ code: 'MALFORMED_PACKET' });
    expect(got).toEqual(['kept']);
    expect(await conn.expect('disconnect')).toMatchObject({ reasonCode: 0x81 });
  });

  it('server DISCONNECT surfaces as SERVER_DISCONNECT with the reason name and string', async () => {
    const { client, conn } = await connected();
    conn.send({ type: 'disconnect', reasonCode: 0x8b, properties: { reasonString: 'maintenance' } });
    const err = await client.closed;
    expect(err).toMatchObject({ code: 'SERVER_DISCONNECT', reasonCode: 0x8b, reasonString: 'maintenance' });
    expect(err!.message).toContain('Server shutting down');
  });
});
