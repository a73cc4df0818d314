// Outgoing QoS flows of the pure Session: window, acks, rejections, limits, reconnect.
import { describe, expect, it } from 'vitest';
import type { Packet, PublishPacket } from '../../src/codec/types.js';
import type { OutgoingMessage } from '../../src/client/types.js';
import { bytes, sessionHarness, tick } from '../helpers/session-harness.js';

const msg = (n: number, qos: 0 | 1 | 2 = 1, topic = 't'): OutgoingMessage => ({ topic, payload: bytes(`m${n}`), qos, retain: false });
const pubs = (ps: { type: string }[]) => ps.filter((p): p is PublishPacket => p.type === 'publish');

describe('session outgoing', () => {
  it('keeps at most Receive Maximum QoS 1 publishes unacked (P4)', async () => {
    const h = sessionHarness();
    h.connect({ receiveMaximum: 1 });
    const results = [1, 2, 3, 4, 5].map((n) => h.s.publish(msg(n)));
    expect(pubs(h.take()).map((p) => p.packetId)).toEqual([1]);
    expect(h.s.hasRoom).toBe(false);
    for (let id = 1; id <= 5; id++) {
      h.s.handle({ type: 'puback', packetId: id, reasonCode: 0 });
      const sent = pubs(h.take());
      expect(sent.length).toBe(id < 5 ? 1 : 0);
      if (sent[0]) expect(sent[0].packetId).toBe(id + 1);
    }
    expect((await Promise.all(results)).map((r) => r.packetId)).toEqual([1, 2, 3, 4, 5]);
    expect(h.s.hasRoom).toBe(true);
  });

  it('uses min(receive maximum, maxInflight) as the window', () => {
    const h = sessionHarness({ maxInflight: 3 });
    h.connect({ receiveMaximum: 10 });
    for (let n = 0; n < 6; n++) void h.s.publish(msg(n, 2));
    expect(pubs(h.take()).length).toBe(3);
  });

  it('treats PUBACK 0x10 as success and >= 0x80 as a rejection without retransmit (P13, P19)', async () => {
    const h = sessionHarness();
    h.connect();
    const ok = h.s.publish(msg(1));
    const bad = h.s.publish(msg(2));
    h.take();
    h.s.handle({ type: 'puback', packetId: 1, reasonCode: 0x10 });
    h.s.handle({ type: 'puback', packetId: 2, reasonCode: 0x87, properties: { reasonString: 'nope' } });
    expect(await ok).toMatchObject({ packetId: 1, reasonCode: 0x10 });
    await expect(bad).rejects.toMatchObject({ code: 'PUBLISH_REJECTED', reasonCode: 0x87, reasonString: 'nope' });
    expect(h.take()).toEqual([]);
  });

  it('sends no PUBREL after PUBREC >= 0x80 (P13)', async () => {
    const h = sessionHarness();
    h.connect();
    const p = h.s.publish(msg(1, 2));
    h.take();
    h.s.handle({ type: 'pubrec', packetId: 1, reasonCode: 0x80 });
    await expect(p).rejects.toMatchObject({ code: 'PUBLISH_REJECTED', reasonCode: 0x80 });
    expect(h.take()).toEqual([]);
  });

  it('completes QoS 2 with PUBREL then PUBCOMP, reporting the PUBREC code', async () => {
    const h = sessionHarness();
    h.connect();
    const p = h.s.publish(msg(1, 2));
    h.take();
    h.s.handle({ type: 'pubrec', packetId: 1, reasonCode: 0x10 });
    expect(h.take()).toEqual([{ type: 'pubrel', packetId: 1, reasonCode: 0 }]);
    h.s.handle({ type: 'pubrec', packetId: 1, reasonCode: 0 }); // repeated PUBREC: PUBREL again
    expect(h.take()).toEqual([{ type: 'pubrel', packetId: 1, reasonCode: 0 }]);
    h.s.handle({ type: 'pubcomp', packetId: 1, reasonCode: 0 });
    expect(await p).toMatchObject({ packetId: 1, reasonCode: 0x10 });
  });

  it('ignores acks for unknown ids (the quota never grows, P12); the wrong kind of ack for a message in flight is a protocol error', async () => {
    const h = sessionHarness();
    h.connect({ receiveMaximum: 1 });
    let settled = false;
    const p1 = h.s.publish(msg(1, 1)).finally(() => (settled = true));
    void h.s.publish(msg(2, 1));
    h.take();
    h.s.handle({ type: 'puback', packetId: 99, reasonCode: 0 });
    h.s.handle({ type: 'suback', packetId: 1, reasonCodes: [0] });
    // libmosquitto: MOSQ_ERR_PROTOCOL; the client ends the link with it (status 2).
    expect(() => h.s.handle({ type: 'pubcomp', packetId: 1, reasonCode: 0 })).toThrow(/protocol error: PUBCOMP for packet id 1, a QoS 1 message that expects PUBACK/);
    expect(() => h.s.handle({ type: 'pubrec', packetId: 1, reasonCode: 0 })).toThrow(/PUBREC for packet id 1/);
    await tick();
    expect(settled).toBe(false);
    expect(h.take()).toEqual([]); // nothing more sent: quota unchanged
    expect(h.warnings.length).toBe(2);
    h.s.handle({ type: 'puback', packetId: 1, reasonCode: 0 });
    await p1;
    expect(pubs(h.take()).map((p) => p.packetId)).toEqual([2]);
  });

  it('answers a PUBREC for an unused id with PUBREL 0x92 and nothing else', () => {
    const h = sessionHarness();
    h.connect();
    h.s.handle({ type: 'pubrec', packetId: 42, reasonCode: 0 });
    expect(h.take()).toEqual([{ type: 'pubrel', packetId: 42, reasonCode: 0x92 }]);
    expect(h.warnings.length).toBe(1);
  });

  it('refuses QoS above Maximum QoS and retain when unavailable, before sending (P10)', async () => {
    const h = sessionHarness();
    h.connect({ maximumQoS: 1, retainAvailable: 0 });
    await expect(h.s.publish(msg(1, 2))).rejects.toMatchObject({ code: 'NOT_SUPPORTED', reasonCode: 0x9b });
    await expect(h.s.publish({ ...msg(1, 0), retain: true })).rejects.toMatchObject({ code: 'NOT_SUPPORTED', reasonCode: 0x9a });
    expect(h.take()).toEqual([]);
  });

  it('refuses a PUBLISH over the broker maximum packet size and sends one that fits (P6)', async () => {
    const h = sessionHarness();
    h.connect({ maximumPacketSize: 30 });
    // PUBLISH v5 QoS 0: 2 header + 2+1 topic + 1 props length + payload
    const fits = { topic: 't', payload: Buffer.alloc(24), qos: 0 as const, retain: false };
    const over = { ...fits, payload: Buffer.alloc(25) };
    await expect(h.s.publish(over)).rejects.toMatchObject({ code: 'PACKET_TOO_LARGE' });
    const ok = h.s.publish(fits);
    h.flush();
    await expect(ok).resolves.toMatchObject({ reasonCode: 0 });
    expect(pubs(h.take()).length).toBe(1);
  });

  it('drops the reason string from DISCONNECT when it would exceed the limit (P6)', () => {
    const h = sessionHarness();
    h.connect({ maximumPacketSize: 10 });
    const d = h.s.disconnectPacket(0, { reasonString: 'a very long goodbye that does not fit' });
    expect(d.bytes.length).toBeLessThanOrEqual(10);
    expect(d.packet.properties).toBeUndefined();
  });

  it('resolves QoS 0 publishes when their batch is flushed, with one shared promise', async () => {
    const h = sessionHarness();
    h.connect();
    const a = h.s.publish(msg(1, 0));
    const b = h.s.publish(msg(2, 0));
    expect(a).toBe(b);
    h.flush();
    expect(await a).toEqual({ reasonCode: 0 });
    expect(pubs(h.take()).map((p) => p.packetId)).toEqual([undefined, undefined]);
  });

  it('resends PUBLISH with DUP and PUBREL in original order when the session is present', async () => {
    const h = sessionHarness({ cleanStart: false });
    h.connect();
    void h.s.publish(msg(1, 1));
    void h.s.publish(msg(2, 2));
    void h.s.publish(msg(3, 2));
    h.take();
    h.s.handle({ type: 'pubrec', packetId: 2, reasonCode: 0 });
    h.take();
    h.s.disconnected(new Error('lost'));
    h.connect(undefined, { sessionPresent: true }, false);
    const again = h.take();
    expect(again.map((p) => `${p.type}:${'packetId' in p ? p.packetId : ''}:${p.type === 'publish' ? p.dup : ''}`)).toEqual([
      'publish:1:true',
      'pubrel:2:',
      'publish:3:true',
    ]);
  });

  it('on a resumed session, resends no more un-acked PUBLISHes than the new Receive Maximum allows', async () => {
    const h = sessionHarness({ cleanStart: false, maxInflight: 10 });
    h.connect({ receiveMaximum: 10 });
    for (let n = 1; n <= 4; n++) void h.s.publish(msg(n, 1));
    void h.s.publish(msg(5, 2));
    h.take();
    h.s.handle({ type: 'pubrec', packetId: 5, reasonCode: 0 }); // id 5 is past PUBREC: it holds a slot until PUBCOMP
    h.take();
    h.s.disconnected(new Error('lost'));
    h.connect({ receiveMaximum: 3 }, { sessionPresent: true }, false);
    const ids = (ps: Packet[]) => ps.map((p) => `${p.type}:${'packetId' in p ? p.packetId : ''}`);
    expect(ids(h.take())).toEqual(['publish:1', 'publish:2', 'pubrel:5']);
    void h.s.publish(msg(6, 1)); // new messages wait behind the resends
    expect(h.take()).toEqual([]);
    h.s.handle({ type: 'puback', packetId: 1, reasonCode: 0 });
    expect(ids(h.take())).toEqual(['publish:3']);
    h.s.handle({ type: 'puback', packetId: 4, reasonCode: 0 }); // acked without a resend: the broker had it
    h.s.handle({ type: 'pubcomp', packetId: 5, reasonCode: 0 });
    h.s.handle({ type: 'puback', packetId: 2, reasonCode: 0 });
    const last = h.take();
    expect(ids(last)).toEqual(['publish:6']);
    expect(last.every((p) => p.type !== 'publish' || p.dup === false)).toBe(true);
  });

  it('without the session, resends un-acked as new and reports QoS 2 past PUBREC as completion-unconfirmed (F3)', async () => {
    const h = sessionHarness({ cleanStart: false });
    h.connect();
    const p1 = h.s.publish(msg(1, 1));
    const p2 = h.s.publish(msg(2, 2));
    h.take();
    h.s.handle({ type: 'pubrec', packetId: 2, reasonCode: 0 });
    h.take();
    h.s.disconnected(new Error('lost'));
    h.connect(undefined, { sessionPresent: false }, false);
    const again = pubs(h.take());
    expect(again.map((p) => [p.dup, p.payload.toString()])).toEqual([[false, 'm1']]);
    expect(await p2).toMatchObject({ completionUnconfirmed: true });
    expect(h.s.completionUnconfirmed).toBe(1);
    h.s.handle({ type: 'puback', packetId: again[0]!.packetId!, reasonCode: 0 });
    await expect(p1).resolves.toMatchObject({ reasonCode: 0 });
  });

  it('queues publishes while disconnected and sends them after reconnect', () => {
    const h = sessionHarness();
    h.connect();
    h.s.disconnected(new Error('lost'));
    void h.s.publish(msg(1, 0));
    void h.s.publish(msg(2, 1));
    expect(h.take()).toEqual([]);
    h.connect();
    expect(pubs(h.take()).map((p) => p.payload.toString())).toEqual(['m1', 'm2']);
  });

  it('rejects everything pending on close with PUBLISH_UNCONFIRMED and a count', async () => {
    const h = sessionHarness();
    h.connect({ receiveMaximum: 1 });
    const ps = [h.s.publish(msg(1)), h.s.publish(msg(2)), h.s.publish(msg(3))];
    const n = h.s.close(new Error('gone'), (count) => Object.assign(new Error('unconfirmed'), { code: 'PUBLISH_UNCONFIRMED', count }));
    expect(n).toBe(3);
    for (const p of ps) await expect(p).rejects.toMatchObject({ code: 'PUBLISH_UNCONFIRMED', count: 3 });
  });

  it('uses topic aliases up to the broker maximum and forgets them on reconnect (P8)', () => {
    const h = sessionHarness();
    h.connect({ topicAliasMaximum: 2 });
    for (const t of ['a/1', 'b/2', 'c/3', 'a/1', 'b/2']) void h.s.publish(msg(0, 0, t));
    const sent = pubs(h.take()).map((p) => [p.topic, p.properties?.topicAlias]);
    expect(sent).toEqual([
      ['a/1', 1],
      ['b/2', 2],
      ['c/3', undefined],
      ['', 1],
      ['', 2],
    ]);
    h.s.disconnected(new Error('lost'));
    h.connect();
    void h.s.publish(msg(0, 0, 'a/1'));
    expect(pubs(h.take()).map((p) => [p.topic, p.properties?.topicAlias])).toEqual([['a/1', undefined]]);
  });

  it('never sends the caller topic alias or subscription identifiers', () => {
    const h = sessionHarness();
    h.connect();
    void h.s.publish({ ...msg(1, 0), properties: { topicAlias: 5, subscriptionIdentifiers: [3], contentType: 'x' } });
    expect(pubs(h.take())[0]!.properties).toEqual({ contentType: 'x' });
  });
});
