// A subscriber built on our codec over a raw socket, so e2e tests see exactly
// what the broker forwarded: topic, payload bytes, QoS, retain and every v5 property.
import { connect, type Socket } from 'node:net';
import { encodePacket, FrameDecoder } from '../../src/codec/index.js';
import type { Packet, ProtocolVersion, PublishPacket, QoS } from '../../src/codec/types.js';

export interface RawSubscriber {
  messages: PublishPacket[];
  /** Resolves once `n` messages have arrived (rejects after `ms`). */
  waitFor(n: number, ms?: number): Promise<PublishPacket[]>;
  close(): void;
}

export async function subscribe(port: number, filter: string, qos: QoS = 2, version: ProtocolVersion = 5): Promise<RawSubscriber> {
  const sock: Socket = connect({ port, host: '127.0.0.1' });
  const dec = new FrameDecoder({ version });
  const messages: PublishPacket[] = [];
  let waiters: (() => void)[] = [];
  let subacked: () => void = () => {};
  const suback = new Promise<void>((r) => (subacked = r));
  const send = (p: Packet): void => void sock.write(encodePacket(p, version));
  sock.on('data', (chunk) => {
    for (const p of dec.push(chunk)) {
      if (p.type === 'connack') send({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: filter, qos }] });
      else if (p.type === 'suback') subacked();
      else if (p.type === 'publish') {
        messages.push(p);
        if (p.qos === 1) send({ type: 'puback', packetId: p.packetId as number, reasonCode: 0 });
        if (p.qos === 2) send({ type: 'pubrec', packetId: p.packetId as number, reasonCode: 0 });
        for (const w of waiters) w();
      } else if (p.type === 'pubrel') send({ type: 'pubcomp', packetId: p.packetId, reasonCode: 0 });
    }
  });
  sock.on('error', () => {});
  await new Promise<void>((r, j) => {
    sock.once('connect', r);
    sock.once('error', j);
  });
  send({ type: 'connect', protocolVersion: version, clientId: `raw-${process.pid}-${Math.random().toString(36).slice(2)}`, cleanStart: true, keepalive: 60 });
  await suback;
  return {
    messages,
    waitFor(n, ms = 10_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (messages.length >= n) {
            clearTimeout(timer);
            waiters = waiters.filter((w) => w !== check);
            resolve(messages.slice(0, n));
          }
        };
        const timer = setTimeout(() => reject(new Error(`only ${messages.length} of ${n} messages arrived`)), ms);
        waiters.push(check);
        check();
      });
    },
    close() {
      sock.destroy();
    },
  };
}
