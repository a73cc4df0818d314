// Timing behaviour against the scripted fake broker: keepalive (P16), a
// slowloris broker (F9) and garbage instead of MQTT (F10). Keepalives of 1 s
// keep this suite fast; the exact arithmetic is unit-tested with fake time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MqttClient } from '../../src/client/client.js';
import type { ClientOptions } from '../../src/client/types.js';
import { startFakeBroker, type FakeBroker, type FakeConnection } from '../helpers/fake-broker.js';
import { tcpOptions, text } from '../helpers/client-helpers.js';

let fb: FakeBroker;
beforeAll(async () => {
  fb = await startFakeBroker(5);
});
afterAll(async () => {
  await fb?.close();
});

const opts = (extra: Partial<ClientOptions> = {}): ClientOptions => tcpOptions(fb.port, 5, { clientId: 'timed', keepalive: 1, ...extra });

async function connected(extra: Partial<ClientOptions> = {}, props = {}): Promise<{ client: MqttClient; conn: FakeConnection }> {
  const clientP = MqttClient.connect(opts(extra));
  const conn = await fb.connection();
  await conn.accept({ properties: props });
  return { client: await clientP, conn };
}

/** Time (ms since `from`) at which the next PINGREQ arrives. */
async function pingAt(conn: FakeConnection, from: number): Promise<number> {
  await conn.expect('pingreq', 3000);
  return performance.now() - from;
}

describe('keepalive (P16)', () => {
  it('(a) pings after the keepalive with nothing sent, and keeps going while PINGRESPs come', async () => {
    const t0 = performance.now();
    const { client, conn } = await connected();
    const first = await pingAt(conn, t0);
    expect(first).toBeGreaterThanOrEqual(900);
    expect(first).toBeLessThan(2000);
    conn.send({ type: 'pingresp' });
    const second = await pingAt(conn, t0);
    expect(second).toBeGreaterThanOrEqual(1900);
    await client.disconnect();
    expect(await client.closed).toBeUndefined();
  });

  it('(b) inbound traffic does not postpone the ping', async () => {
    const t0 = performance.now();
    const { client, conn } = await connected();
    client.onMessage(() => {});
    const feed = setInterval(() => conn.send({ type: 'publish', topic: 't', payload: text('x'), qos: 0, retain: false, dup: false }), 100);
    try {
      expect(await pingAt(conn, t0)).toBeLessThan(2000);
    } finally {
      clearInterval(feed);
    }
    await client.disconnect();
  });

  it('(c) no PINGRESP: KEEPALIVE_TIMEOUT within 1.5 × keepalive', async () => {
    const t0 = performance.now();
    const { client } = await connected();
    const err = await client.closed;
    expect(err).toMatchObject({ code: 'KEEPALIVE_TIMEOUT' });
    expect(performance.now() - t0).toBeLessThan(1500 + 800);
  });

  it('(d) Server Keep Alive overrides ours', async () => {
    const t0 = performance.now();
    const { client, conn } = await connected({ keepalive: 60 }, { serverKeepAlive: 1 });
    expect(client.connack.keepalive).toBe(1);
    expect(await pingAt(conn, t0)).toBeLessThan(2000);
    await client.disconnect();
  });
});

describe('hostile brokers', () => {
  it('F9: a broker dripping one byte per second trips the keepalive deadline', async () => {
    const t0 = performance.now();
    const { client, conn } = await connected();
    const packet = Buffer.from([0x30, 10, 0, 1, 0x74, 0, 1, 2, 3, 4, 5, 6]);
    let i = 0;
    const drip = setInterval(() => i < packet.length && conn.sendRaw(packet.subarray(i, ++i)), 1000);
    try {
      expect(await client.closed).toMatchObject({ code: 'KEEPALIVE_TIMEOUT' });
    } finally {
      clearInterval(drip);
    }
    expect(performance.now() - t0).toBeLessThan(1500 + 800);
  });

  it('F9: a CONNACK dripped byte by byte trips the connect deadline (bounded by 1.5 × keepalive)', async () => {
    const t0 = performance.now();
    const clientP = MqttClient.connect(opts());
    const conn = await fb.connection();
    await conn.expect('connect');
    const connack = Buffer.from([0x20, 3, 0, 0, 0]);
    let i = 0;
    const drip = setInterval(() => i < connack.length && conn.sendRaw(connack.subarray(i, ++i)), 400);
    try {
      await expect(clientP).rejects.toMatchObject({ code: 'CONNECT_TIMEOUT' });
    } finally {
      clearInterval(drip);
    }
    expect(performance.now() - t0).toBeLessThan(1500 + 800);
  });

  it.each([
    ['an HTTP response', Buffer.from('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n')],
    ['TLS handshake bytes', Buffer.from([0x16, 0x03, 0x01, 0x00, 0x2f, 0x02, 0x00, 0x00, 0x2b, 0x03, 0x03])],
    ['random garbage', Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x7f])],
  ])('F10: %s instead of CONNACK is one clean protocol error', async (_name, garbage) => {
    const clientP = MqttClient.connect(opts({ keepalive: 10 }));
    const conn = await fb.connection();
    await conn.expect('connect');
    conn.sendRaw(garbage);
    const err = await clientP.catch((e: unknown) => e);
    expect(err).toMatchObject({ code: expect.stringMatching(/^(MALFORMED_PACKET|PROTOCOL_ERROR)$/) });
    await conn.closed;
  });

  it('F10: garbage after CONNACK ends the link with DISCONNECT 0x81/0x82 and one error', async () => {
    const { client, conn } = await connected({ keepalive: 10 });
    conn.sendRaw(Buffer.from([0x00, 0x00, 0xde, 0xad, 0xbe, 0xef]));
    const err = await client.closed;
    expect(err).toMatchObject({ code: expect.stringMatching(/^(MALFORMED_PACKET|PROTOCOL_ERROR)$/) });
    const d = await conn.expect('disconnect');
    expect([0x81, 0x82]).toContain(d.reasonCode);
  });
});
