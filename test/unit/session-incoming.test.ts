// Incoming flows of the pure Session: ack timing and order, QoS 2 dedupe,
// receive maximum, topic aliases, problem information, CONNACK judgement.
import { describe, expect, it } from 'vitest';
import type { Packet, PublishPacket } from '../../src/codec/types.js';
import type { ReceivedMessage } from '../../src/client/types.js';
import { bytes, sessionHarness, tick } from '../helpers/session-harness.js';

const pub = (id: number | undefined, qos: 0 | 1 | 2, extra: Partial<PublishPacket> = {}): PublishPacket => ({
  type: 'publish',
  topic: 't',
  payload: bytes(`p${id ?? 0}`),
  qos,
  retain: false,
  dup: false,
  ...(id !== undefined ? { packetId: id } : {}),
  ...extra,
});
const acks = (ps: Packet[]) => ps.map((p) => `${p.type}:${'packetId' in p ? p.packetId : ''}`);

describe('session incoming', () => {
  it('waiting messages pause input at 4 MiB of payload, not only at 1,000 messages; input resumes once they drain', async () => {
    const h = sessionHarness();
    h.connect();
    const mib = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < 3; i++) h.s.handle(pub(undefined, 0, { payload: mib }));
    expect(h.paused).toEqual([]);
    h.s.handle(pub(undefined, 0, { payload: mib }));
    expect(h.paused).toEqual([true]);
    let seen = 0;
    h.s.setHandler(() => void seen++);
    await tick();
    expect(seen).toBe(4);
    expect(h.paused).toEqual([true, false]);
  });

  it('acknowledges only after the handler settles, in arrival order', async () => {
    const h = sessionHarness();
    h.connect();
    const got: string[] = [];
    let release!: () => void;
    h.s.setHandler((m) => {
      got.push(m.payload.toString());
      if (m.packetId === 1) return new Promise<void>((r) => (release = r));
    });
    h.s.handle(pub(1, 1));
    h.s.handle(pub(2, 1));
    h.s.handle(pub(3, 2));
    expect(got).toEqual(['p1']);
    expect(h.take()).toEqual([]);
    release();
    await tick();
    expect(got).toEqual(['p1', 'p2', 'p3']);
    expect(acks(h.take())).toEqual(['puback:1', 'puback:2', 'pubrec:3']);
  });

  it('delivers a QoS 2 message repeated before PUBREL once, then the same id again as new (P14)', () => {
    const h = sessionHarness();
    h.connect();
    const got: ReceivedMessage[] = [];
    h.s.setHandler((m) => void got.push(m));
    h.s.handle(pub(7, 2));
    h.s.handle(pub(7, 2, { dup: true }));
    h.s.handle(pub(7, 2, { dup: false }));
    expect(got.length).toBe(1);
    expect(acks(h.take())).toEqual(['pubrec:7', 'pubrec:7', 'pubrec:7']);
    h.s.handle({ type: 'pubrel', packetId: 7, reasonCode: 0 });
    expect(acks(h.take())).toEqual(['pubcomp:7']);
    h.s.handle(pub(7, 2));
    expect(got.length).toBe(2);
  });

  it('keeps QoS 2 receive state across a resumed session: a resent PUBLISH is not delivered again', () => {
    const h = sessionHarness({ cleanStart: false });
    h.connect();
    const got: string[] = [];
    h.s.setHandler((m) => void got.push(m.payload.toString()));
    h.s.handle(pub(4, 2));
    expect(acks(h.take())).toEqual(['pubrec:4']);
    h.s.disconnected(new Error('lost'));
    h.connect(undefined, { sessionPresent: true }, false);
    h.s.handle(pub(4, 2, { dup: true }));
    expect(got).toEqual(['p4']);
    expect(acks(h.take())).toEqual(['pubrec:4']);
    h.s.handle({ type: 'pubrel', packetId: 4, reasonCode: 0 });
    expect(h.take()).toEqual([{ type: 'pubcomp', packetId: 4, reasonCode: 0 }]);
  });

  it('drops acks owed to a previous connection and forgets QoS 2 state without a session', async () => {
    const h = sessionHarness();
    h.connect();
    let release!: () => void;
    h.s.setHandler(() => new Promise<void>((r) => (release = r)));
    h.s.handle(pub(1, 2));
    h.s.disconnected(new Error('lost'));
    h.connect(undefined, { sessionPresent: false });
    release();
    await tick();
    expect(h.take()).toEqual([]); // the PUBREC belonged to the old connection
    h.s.setHandler(() => {});
    h.s.handle(pub(1, 2)); // same id, new session: a new message
    expect(acks(h.take())).toEqual(['pubrec:1']);
  });

  it('answers PUBREL for an unknown id with PUBCOMP 0x92 (v5)', () => {
    const h = sessionHarness();
    h.connect();
    h.s.handle({ type: 'pubrel', packetId: 9, reasonCode: 0 });
    expect(h.take()).toEqual([{ type: 'pubcomp', packetId: 9, reasonCode: 0x92 }]);
  });

  it('fails with 0x93 when the broker exceeds our Receive Maximum (P5)', () => {
    const h = sessionHarness({ properties: { receiveMaximum: 2 } });
    h.connect();
    h.s.setHandler(() => new Promise(() => {})); // never settles: nothing acked
    h.s.handle(pub(1, 1));
    h.s.handle(pub(2, 1));
    expect(() => h.s.handle(pub(3, 1))).toThrow(expect.objectContaining({ code: 'RECEIVE_MAXIMUM_EXCEEDED', reasonCode: 0x93 }));
  });

  it('counts only unacked messages against Receive Maximum', () => {
    const h = sessionHarness({ properties: { receiveMaximum: 1 } });
    h.connect();
    h.s.setHandler(() => {});
    for (let id = 1; id <= 5; id++) h.s.handle(pub(id, 1));
    expect(acks(h.take())).toEqual(['puback:1', 'puback:2', 'puback:3', 'puback:4', 'puback:5']);
  });

  it('holds messages until a handler is installed', () => {
    const h = sessionHarness();
    h.connect();
    h.s.handle(pub(1, 1));
    expect(h.take()).toEqual([]);
    const got: string[] = [];
    h.s.setHandler((m) => void got.push(m.topic));
    expect(got).toEqual(['t']);
    expect(acks(h.take())).toEqual(['puback:1']);
  });

  it('reports a throwing handler through host.fail', () => {
    const h = sessionHarness();
    h.connect();
    h.s.setHandler(() => {
      throw new Error('boom');
    });
    h.s.handle(pub(1, 1));
    expect(h.failures).toEqual([new Error('boom')]);
    expect(h.take()).toEqual([]);
  });

  it('resolves inbound topic aliases and rejects bad ones (P9)', () => {
    const h = sessionHarness({ properties: { topicAliasMaximum: 2 } });
    h.connect();
    const topics: string[] = [];
    h.s.setHandler((m) => void topics.push(m.topic));
    h.s.handle(pub(undefined, 0, { topic: 'x/y', properties: { topicAlias: 2 } }));
    h.s.handle(pub(undefined, 0, { topic: '', properties: { topicAlias: 2 } }));
    expect(topics).toEqual(['x/y', 'x/y']);
    const bad = (extra: Partial<PublishPacket>) => () => h.s.handle(pub(undefined, 0, extra));
    expect(bad({ topic: 'a', properties: { topicAlias: 0 } })).toThrow(expect.objectContaining({ reasonCode: 0x94 }));
    expect(bad({ topic: 'a', properties: { topicAlias: 3 } })).toThrow(expect.objectContaining({ reasonCode: 0x94 }));
    expect(bad({ topic: '', properties: { topicAlias: 1 } })).toThrow(expect.objectContaining({ reasonCode: 0x94 }));
    expect(bad({ topic: '' })).toThrow(expect.objectContaining({ reasonCode: 0x82 }));
  });

  it('refuses control characters in an incoming topic (0x81), as libmosquitto does', () => {
    const h = sessionHarness();
    h.connect();
    h.s.setHandler(() => {});
    for (const topic of ['a\u0001b', 'a\u001fb', 'a\u007fb', 'a\u009fb']) {
      expect(() => h.s.handle(pub(undefined, 0, { topic }))).toThrow(expect.objectContaining({ code: 'MALFORMED_PACKET', reasonCode: 0x81 }));
    }
  });

  it('forgets inbound aliases on reconnect', () => {
    const h = sessionHarness({ properties: { topicAliasMaximum: 2 } });
    h.connect();
    h.s.setHandler(() => {});
    h.s.handle(pub(undefined, 0, { topic: 'x', properties: { topicAlias: 1 } }));
    h.s.disconnected(new Error('lost'));
    h.connect();
    expect(() => h.s.handle(pub(undefined, 0, { topic: '', properties: { topicAlias: 1 } }))).toThrow(
      expect.objectContaining({ code: 'TOPIC_ALIAS_INVALID' }),
    );
  });

  it('with Request Problem Information 0, a SUBACK reason string is a protocol error (P15)', async () => {
    const h = sessionHarness({ properties: { requestProblemInformation: 0 } });
    h.connect();
    const p = h.s.subscribe([{ topicFilter: 'a', qos: 0 }]);
    const sub = h.take()[0] as { packetId: number };
    expect(() => h.s.handle({ type: 'suback', packetId: sub.packetId, reasonCodes: [0], properties: { reasonString: 'hi' } })).toThrow(
      expect.objectContaining({ code: 'PROTOCOL_ERROR', reasonCode: 0x82 }),
    );
    h.s.disconnected(new Error('lost'));
    await expect(p).rejects.toThrow('lost');
  });

  it('rejects a SUBACK whose code count differs from the filter count', () => {
    const h = sessionHarness();
    h.connect();
    void h.s.subscribe([{ topicFilter: 'a', qos: 0 }, { topicFilter: 'b', qos: 1 }]);
    const sub = h.take()[0] as { packetId: number };
    expect(() => h.s.handle({ type: 'suback', packetId: sub.packetId, reasonCodes: [0] })).toThrow(expect.objectContaining({ code: 'PROTOCOL_ERROR' }));
  });

  it('refuses wildcard, shared and subscription-id subscriptions the broker disabled (P11)', async () => {
    const h = sessionHarness();
    h.connect({ wildcardSubscriptionAvailable: 0, sharedSubscriptionAvailable: 0, subscriptionIdentifierAvailable: 0 });
    await expect(h.s.subscribe([{ topicFilter: 'a/#', qos: 0 }])).rejects.toMatchObject({ code: 'NOT_SUPPORTED', reasonCode: 0xa2 });
    await expect(h.s.subscribe([{ topicFilter: '$share/g/a', qos: 0 }])).rejects.toMatchObject({ reasonCode: 0x9e });
    await expect(h.s.subscribe([{ topicFilter: 'a', qos: 0 }], { subscriptionIdentifiers: [1] })).rejects.toMatchObject({ reasonCode: 0xa1 });
    expect(h.take()).toEqual([]);
  });

  it('re-subscribes granted subscriptions when the session was lost, not when kept', async () => {
    const h = sessionHarness();
    h.connect();
    const p = h.s.subscribe([{ topicFilter: 'a', qos: 1 }, { topicFilter: 'b', qos: 1 }]);
    const sub = h.take()[0] as { packetId: number };
    h.s.handle({ type: 'suback', packetId: sub.packetId, reasonCodes: [1, 0x87] });
    expect((await p).reasonCodes).toEqual([1, 0x87]);
    h.s.disconnected(new Error('lost'));
    h.connect(undefined, { sessionPresent: true }, false);
    expect(h.take()).toEqual([]);
    h.s.disconnected(new Error('lost'));
    h.connect();
    const again = h.take();
    expect(again.map((x) => x.type === 'subscribe' && x.subscriptions.map((s) => s.topicFilter))).toEqual([['a']]);
  });
});

describe('session CONNACK', () => {
  it('turns a v5 refusal into CONNECTION_REFUSED with code, name and reason string (P2)', () => {
    const h = sessionHarness();
    const out = h.connect({ reasonString: 'go away' }, { reasonCode: 0x87 });
    expect('error' in out && out.error).toMatchObject({ code: 'CONNECTION_REFUSED', reasonCode: 0x87, reasonString: 'go away', message: 'Not authorized: go away' });
  });

  it('turns a v3 refusal into CONNECTION_REFUSED with mosquitto text', () => {
    const h = sessionHarness({ version: 4 });
    const out = h.connect(undefined, { reasonCode: 5 });
    expect('error' in out && out.error).toMatchObject({ code: 'CONNECTION_REFUSED', reasonCode: 5, message: 'Connection Refused: not authorised.' });
  });

  it('closes without DISCONNECT on Session Present after a clean start (P1)', () => {
    const h = sessionHarness();
    const out = h.connect(undefined, { sessionPresent: true }, true);
    expect(out).toMatchObject({ error: { code: 'PROTOCOL_ERROR' } });
    expect('disconnect' in out).toBe(false);
  });

  it('answers Receive Maximum 0 with DISCONNECT 0x82 (P3)', () => {
    const h = sessionHarness();
    expect(h.connect({ receiveMaximum: 0 })).toMatchObject({ error: { code: 'PROTOCOL_ERROR' }, disconnect: 0x82 });
  });

  it('adopts the assigned client id, server keep alive and limits', () => {
    const h = sessionHarness({ clientId: '' });
    const out = h.connect({ assignedClientIdentifier: 'auto-1', serverKeepAlive: 2, maximumQoS: 1, topicAliasMaximum: 4 });
    expect('info' in out && out.info).toMatchObject({ keepalive: 2, maximumQoS: 1, topicAliasMaximum: 4, receiveMaximum: 65535, retainAvailable: true });
    expect(h.s.clientId).toBe('auto-1');
    expect(h.s.connectPacket(false).clientId).toBe('auto-1');
  });
});
