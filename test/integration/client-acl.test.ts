// Publishes the broker refuses (ACL), against the real mosquitto: each is
// rejected with its reason and the link survives, also when topic aliases
// are in play (Mosquitto does not register the alias of a refused PUBLISH).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MqttClient } from '../../src/client/client.js';
import { startBroker, type Broker } from '../helpers/broker.js';
import { collect, tcpOptions, text, uniqueId } from '../helpers/client-helpers.js';

let b: Broker;
beforeAll(async () => {
  const acl = join(tmpdir(), `mqtt-cli-acl-${process.pid}`);
  writeFileSync(acl, 'topic read denied/#\ntopic readwrite open/#\n');
  b = await startBroker({ config: [`acl_file ${acl}`] });
});
afterAll(async () => b?.stop());

describe('publishes refused by the broker', () => {
  it('rejects each refused QoS 1 publish (0x87) and keeps the link for the next ones', async () => {
    const c = await MqttClient.connect(tcpOptions(b.port, 5, { clientId: uniqueId('acl') }));
    expect(c.connack.topicAliasMaximum).toBeGreaterThan(0);
    const got = collect(c);
    await c.subscribe([{ topicFilter: 'open/#', qos: 1 }]);
    // Pipelined: the second goes out before the first is refused.
    const refused = await Promise.allSettled([1, 2, 3].map((n) => c.publish({ topic: 'denied/x', payload: text(`d${n}`), qos: 1, retain: false })));
    expect(refused.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'PUBLISH_REJECTED', reasonCode: 0x87 });
    for (let n = 0; n < 3; n++) await c.publish({ topic: 'open/y', payload: text(`ok${n}`), qos: 1, retain: false });
    expect((await got.waitFor(3)).map((m) => m.payload.toString())).toEqual(['ok0', 'ok1', 'ok2']);
    await c.disconnect();
    expect(await c.closed).toBeUndefined();
  });
});
