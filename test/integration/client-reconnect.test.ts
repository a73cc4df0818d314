// Reconnect policy (backoff, permanent refusals, protocol errors), automatic
// re-subscription after a broker restart, and writable() backpressure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MqttClient } from '../../src/client/client.js';
import type { ClientOptions } from '../../src/client/types.js';
import { startFakeBroker, type FakeBroker } from '../helpers/fake-broker.js';
import { startBroker } from '../helpers/broker.js';
import { collect, sleep, tcpOptions, text, uniqueId } from '../helpers/client-helpers.js';

let fb: FakeBroker;
beforeAll(async () => {
  fb = await startFakeBroker(5);
});
afterAll(async () => {
  await fb?.close();
});

const reconnect = { initialDelayMs: 10, maxDelayMs: 40, maxAttempts: 2 };

async function connectedWithEvents(extra: Partial<ClientOptions> = {}) {
  const attempts: number[] = [];
  let reconnected = 0;
  const clientP = MqttClient.connect(tcpOptions(fb.port, 5, { clientId: 'rc', reconnect, ...extra }), {
    reconnecting: (n) => attempts.push(n),
    reconnected: () => reconnected++,
  });
  const conn = await fb.connection();
  await conn.accept();
  return { client: await clientP, conn, attempts, reconnected: () => reconnected };
}

describe('reconnect policy', () => {
  it('backs off, gives up after maxAttempts and reports pending publishes as unconfirmed', async () => {
    const { client, conn, attempts } = await connectedWithEvents();
    const p = client.publish({ topic: 't', payload: text('x'), qos: 1, retain: false });
    await conn.expect('publish');
    conn.destroy();
    for (let i = 0; i < 2; i++) {
      const again = await fb.connection();
      await again.expect('connect');
      again.send({ type: 'connack', sessionPresent: false, reasonCode: 0x89 }); // server busy: worth retrying
    }
    expect(await client.closed).toMatchObject({ code: 'CONNECTION_REFUSED', reasonCode: 0x89 });
    expect(attempts).toEqual([1, 2]);
    await expect(p).rejects.toMatchObject({ code: 'PUBLISH_UNCONFIRMED', count: 1 });
  });

  it('stops at a permanent refusal (bad credentials)', async () => {
    const { client, conn, attempts } = await connectedWithEvents({ reconnect: { ...reconnect, maxAttempts: 10 } });
    conn.destroy();
    const again = await fb.connection();
    await again.expect('connect');
    again.send({ type: 'connack', sessionPresent: false, reasonCode: 0x86 });
    expect(await client.closed).toMatchObject({ code: 'CONNECTION_REFUSED', reasonCode: 0x86 });
    expect(attempts).toEqual([1]);
  });

  it('does not reconnect after a protocol error from the broker', async () => {
    const { client, conn, attempts } = await connectedWithEvents();
    conn.sendRaw(Buffer.from([0x00, 0x00]));
    expect(await client.closed).toMatchObject({ code: 'MALFORMED_PACKET' });
    expect(attempts).toEqual([]);
  });

  it('reconnects after DISCONNECT 0x8B (server shutting down) but not after 0x8E (session taken over)', async () => {
    const { client, conn, reconnected } = await connectedWithEvents();
    conn.send({ type: 'disconnect', reasonCode: 0x8b });
    const again = await fb.connection();
    await again.accept();
    await sleep(30);
    expect(reconnected()).toBe(1);
    again.send({ type: 'disconnect', reasonCode: 0x8e });
    expect(await client.closed).toMatchObject({ code: 'SERVER_DISCONNECT', reasonCode: 0x8e });
  });
});

describe('error hygiene', () => {
  it('ignored publish promises and a lost link cause no unhandled rejection', async () => {
    const seen: unknown[] = [];
    const onUnhandled = (e: unknown) => seen.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const { client, conn } = await connectedWithEvents({ reconnect: undefined });
      for (const qos of [0, 1, 2] as const) void client.publish({ topic: 't', payload: text('x'), qos, retain: false });
      void client.publish({ topic: 'bad/#', payload: text('x'), qos: 0, retain: false });
      void client.subscribe([{ topicFilter: 'a', qos: 1 }]);
      void client.writable();
      conn.destroy();
      expect(await client.closed).toMatchObject({ code: 'CONNECTION_LOST' });
      void client.publish({ topic: 't', payload: text('late'), qos: 1, retain: false });
      void client.writable();
      await sleep(50);
      expect(seen).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('backpressure', () => {
  it('writable() waits while the in-flight window is full and rejects once closed', async () => {
    const { client, conn } = await connectedWithEvents({ maxInflight: 2, reconnect: undefined });
    void client.publish({ topic: 't', payload: text('1'), qos: 1, retain: false });
    await client.writable();
    void client.publish({ topic: 't', payload: text('2'), qos: 1, retain: false });
    let ready = false;
    const w = client.writable().then(() => (ready = true));
    const first = await conn.expect('publish');
    await conn.expect('publish');
    await sleep(50);
    expect(ready).toBe(false);
    conn.send({ type: 'puback', packetId: first.packetId!, reasonCode: 0 });
    await w;
    expect(ready).toBe(true);
    await client.disconnect();
    await expect(client.writable()).rejects.toMatchObject({ code: 'CLIENT_CLOSED' });
    await expect(client.publish({ topic: 't', payload: text('late'), qos: 0, retain: false })).rejects.toMatchObject({ code: 'CLIENT_CLOSED' });
  });
});

describe('against mosquitto', () => {
  it('re-subscribes by itself after a broker restart loses the session', async () => {
    const broker = await startBroker();
    try {
      const topic = `resub/${uniqueId()}`;
      let reconnected!: () => void;
      const back = new Promise<void>((r) => (reconnected = r));
      const sub = await MqttClient.connect(
        tcpOptions(broker.port, 5, { clientId: uniqueId('resub'), reconnect: { initialDelayMs: 50, maxDelayMs: 200, maxAttempts: 50 } }),
        { reconnected: () => reconnected() },
      );
      const got = collect(sub);
      await sub.subscribe([{ topicFilter: topic, qos: 1 }]);
      await broker.restart();
      await back;
      expect(sub.connack.sessionPresent).toBe(false);
      const pub = await MqttClient.connect(tcpOptions(broker.port, 5, { clientId: uniqueId('p') }));
      // The re-subscription's SUBACK is not observable: publish until one arrives (bounded).
      for (let i = 0; i < 50 && got.messages.length === 0; i++) {
        await pub.publish({ topic, payload: text('after restart'), qos: 1, retain: false });
        await sleep(50);
      }
      const [m] = await got.waitFor(1);
      expect(m!.payload.toString()).toBe('after restart');
      await Promise.all([pub.disconnect(), sub.disconnect()]);
    } finally {
      await broker.stop();
    }
  });
});
