// "Nothing lost" under injected faults (test plan 4.3, F1–F3): a proxy between
// the publishing client and a real mosquitto cuts the link at chosen packets.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MqttClient } from '../../src/client/client.js';
import type { ClientOptions } from '../../src/client/types.js';
import type { ProtocolVersion, PublishPacket } from '../../src/codec/types.js';
import { startBroker, type Broker } from '../helpers/broker.js';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';
import { collect, sleep, tcpOptions, text, uniqueId } from '../helpers/client-helpers.js';

let broker: Broker;
let proxy: FaultProxy;
const open: MqttClient[] = [];

beforeAll(async () => {
  broker = await startBroker();
});
afterAll(async () => {
  await broker?.stop();
});
afterEach(async () => {
  for (const c of open.splice(0)) c.destroy();
  await proxy?.close();
});

const reconnect = { initialDelayMs: 50, maxDelayMs: 200, maxAttempts: 40 };

/** A publisher through the proxy that keeps its session across reconnects. */
async function publisher(version: ProtocolVersion, extra: Partial<ClientOptions> = {}): Promise<MqttClient> {
  proxy = await startFaultProxy(broker.port, version);
  const session = version === 5 ? { cleanStart: true, properties: { sessionExpiryInterval: 60 } } : { cleanStart: false };
  const c = await MqttClient.connect(tcpOptions(proxy.port, version, { clientId: uniqueId('pub'), reconnect, ...session, ...extra }));
  open.push(c);
  return c;
}

async function subscriber(topic: string) {
  const c = await MqttClient.connect(tcpOptions(broker.port, 5, { clientId: uniqueId('sub') }));
  open.push(c);
  const got = collect(c);
  await c.subscribe([{ topicFilter: topic, qos: 2 }]);
  return got;
}

/** Cut the link the first time `match` says so. */
function cutOnce(match: (dir: 'up' | 'down', type: string) => boolean, then?: () => void): void {
  let done = false;
  proxy.rule = (dir, p) => {
    if (done || !match(dir, p.type)) return 'forward';
    done = true;
    then?.();
    return 'cut';
  };
}

const publishes = (conn: number) => proxy.packets(conn, 'up').filter((p): p is PublishPacket => p.type === 'publish');

describe.each([4, 5] as ProtocolVersion[])('faults with MQTT version %i, session kept', (version) => {
  it('F1: link cut after PUBLISH, before PUBACK: resent with DUP and the same id, confirmed once', async () => {
    const topic = `f1/${uniqueId()}`;
    const got = await subscriber(topic);
    const pub = await publisher(version);
    cutOnce((dir, type) => dir === 'down' && type === 'puback');
    const result = await pub.publish({ topic, payload: text('once'), qos: 1, retain: false });
    const [first, again] = [publishes(0)[0]!, publishes(1)[0]!];
    expect(again).toMatchObject({ dup: true, packetId: first.packetId });
    expect(proxy.packets(1, 'up')[0]).toMatchObject({ type: 'connect', cleanStart: false });
    expect(result.packetId).toBe(first.packetId);
    const msgs = await got.waitFor(1); // QoS 1: at least once
    expect(msgs.every((m) => m.payload.toString() === 'once')).toBe(true);
  });

  it('F2: PUBREC lost: PUBLISH resent with DUP and the subscriber sees exactly one copy', async () => {
    const topic = `f2a/${uniqueId()}`;
    const got = await subscriber(topic);
    const pub = await publisher(version);
    cutOnce((dir, type) => dir === 'down' && type === 'pubrec');
    await pub.publish({ topic, payload: text('exactly'), qos: 2, retain: false });
    expect(publishes(1)[0]).toMatchObject({ dup: true });
    await got.waitFor(1);
    await sleep(200);
    expect(got.messages.length).toBe(1);
  });

  it('F2: link cut after PUBREC (our PUBREL lost): PUBREL resent, not PUBLISH; exactly one copy', async () => {
    const topic = `f2b/${uniqueId()}`;
    const got = await subscriber(topic);
    const pub = await publisher(version);
    cutOnce((dir, type) => dir === 'up' && type === 'pubrel');
    await pub.publish({ topic, payload: text('exactly'), qos: 2, retain: false });
    expect(proxy.packets(1, 'up').map((p) => p.type)).toEqual(expect.arrayContaining(['connect', 'pubrel']));
    expect(publishes(1)).toEqual([]);
    await got.waitFor(1);
    await sleep(200);
    expect(got.messages.length).toBe(1);
  });
});

describe('F3: the broker restarts without persistence (Session Present = 0)', () => {
  it('QoS 1 not yet acked is resent as a new publication and confirmed', async () => {
    const pub = await publisher(5);
    let restart: Promise<void> | undefined;
    cutOnce((dir, type) => dir === 'down' && type === 'puback', () => (restart = broker.restart()));
    const result = await pub.publish({ topic: `f3/${uniqueId()}`, payload: text('again'), qos: 1, retain: false });
    await restart;
    expect(pub.connack.sessionPresent).toBe(false);
    const last = proxy.log.at(-1)!.conn;
    expect(publishes(last)[0]).toMatchObject({ dup: false });
    expect(result.completionUnconfirmed).toBeUndefined();
  });

  it('QoS 2 past PUBREC is not resent and is reported as completion-unconfirmed', async () => {
    const pub = await publisher(5);
    let restart: Promise<void> | undefined;
    cutOnce((dir, type) => dir === 'up' && type === 'pubrel', () => (restart = broker.restart()));
    const result = await pub.publish({ topic: `f3/${uniqueId()}`, payload: text('owned'), qos: 2, retain: false });
    await restart;
    expect(result).toMatchObject({ completionUnconfirmed: true });
    expect(pub.completionUnconfirmed).toBe(1);
    const last = proxy.log.at(-1)!.conn;
    expect(proxy.packets(last, 'up').filter((p) => p.type === 'publish' || p.type === 'pubrel')).toEqual([]);
  });

  it('without reconnect, a lost link rejects pending publishes as PUBLISH_UNCONFIRMED', async () => {
    const pub = await publisher(5, { reconnect: undefined });
    cutOnce((dir, type) => dir === 'down' && type === 'puback');
    const p = pub.publish({ topic: `f3/${uniqueId()}`, payload: text('lost'), qos: 1, retain: false });
    await expect(p).rejects.toMatchObject({ code: 'PUBLISH_UNCONFIRMED', count: 1 });
    expect(await pub.closed).toMatchObject({ code: 'CONNECTION_LOST' });
  });
});
