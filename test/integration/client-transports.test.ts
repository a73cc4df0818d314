// The whole client over every transport and protocol version against the real
// broker, and TLS failing closed: wrong CA, wrong host name, missing client
// certificate, and a reconnect that meets a certificate it must not trust.
import { readFileSync } from 'node:fs';
import { createServer as createNetServer, connect as netConnect, type Server } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MqttClient } from '../../src/client/client.js';
import type { ClientOptions, TransportOptions } from '../../src/client/types.js';
import type { ProtocolVersion } from '../../src/codec/types.js';
import { startBroker, type Broker } from '../helpers/broker.js';
import { collect, text, uniqueId } from '../helpers/client-helpers.js';
import { startSocksProxy } from '../helpers/socks-proxy.js';

let b: Broker;
let socks: { port: number; close(): Promise<void> };
beforeAll(async () => {
  b = await startBroker({ tls: true, ws: true, unix: true, ipv6: true });
  socks = await startSocksProxy({});
});
afterAll(async () => {
  await socks?.close();
  await b?.stop();
});

const tls = (extra = {}) => ({ caFile: b.certs.ca, ...extra });

function options(transport: TransportOptions, version: ProtocolVersion, extra: Partial<ClientOptions> = {}): ClientOptions {
  return { transport, protocolVersion: version, clientId: uniqueId('tr'), cleanStart: true, keepalive: 10, connectTimeoutMs: 5000, ...extra };
}

const transports: Array<[string, () => TransportOptions, boolean?]> = [
  ['tcp 127.0.0.1', () => ({ kind: 'tcp', host: '127.0.0.1', port: b.port })],
  ['tcp ::1', () => ({ kind: 'tcp', host: '::1', port: b.ipv6Port })],
  ['tls', () => ({ kind: 'tls', host: 'localhost', port: b.tlsPort, tls: tls() })],
  ['mutual tls', () => ({ kind: 'tls', host: 'localhost', port: b.mtlsPort, tls: tls({ certFile: b.certs.clientCert, keyFile: b.certs.clientKey }) })],
  ['ws', () => ({ kind: 'ws', host: '127.0.0.1', port: b.wsPort })],
  ['wss', () => ({ kind: 'wss', host: 'localhost', port: b.wssPort, tls: tls() })],
  ['unix', () => ({ kind: 'unix', path: b.unixPath })],
  ['tcp via socks5h', () => ({ kind: 'tcp', host: '127.0.0.1', port: b.port }), true],
];

describe.each([3, 4, 5] as ProtocolVersion[])('MQTT version %i', (version) => {
  it.each(transports)('%s: QoS 1 and 2 round trip through the broker', async (_name, transport, viaProxy) => {
    const proxy = viaProxy ? { proxy: { protocol: 'socks5h' as const, host: '127.0.0.1', port: socks.port } } : {};
    const c = await MqttClient.connect(options(transport(), version, proxy));
    const got = collect(c);
    const topic = `tr/${uniqueId()}`;
    await c.subscribe([{ topicFilter: topic, qos: 2 }]);
    const payload = Buffer.from([0, 1, 0xff, 0x0a]);
    await c.publish({ topic, payload, qos: 1, retain: false });
    await c.publish({ topic, payload: text('two'), qos: 2, retain: false });
    const msgs = await got.waitFor(2);
    expect(Buffer.compare(Buffer.from(msgs[0]!.payload), payload)).toBe(0);
    expect(msgs.map((m) => m.qos)).toEqual([1, 2]);
    await c.disconnect();
    expect(await c.closed).toBeUndefined();
  });
});

describe('TLS fails closed', () => {
  const refuse = async (transport: TransportOptions) => {
    const e = await MqttClient.connect(options(transport, 4)).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toMatchObject({ code: 'TLS_ERROR' });
  };
  it('refuses a server certificate from an unknown CA', () =>
    refuse({ kind: 'tls', host: 'localhost', port: b.tlsPort, tls: { caFile: b.certs.otherCa } }));
  it('refuses a host name the certificate does not name', () =>
    refuse({ kind: 'tls', host: '127.0.0.1', port: b.tlsPort, tls: tls({ servername: 'wrong.example' }) }));
  it('reports a listener that requires a client certificate as a TLS error, not a lost link', () =>
    refuse({ kind: 'tls', host: 'localhost', port: b.mtlsPort, tls: tls() }));

  it('keeps verifying on reconnect: a swapped-in untrusted server ends the client with TLS_ERROR', async () => {
    // A loopback TCP relay that sends the first connection to the broker and later ones to an impostor.
    const impostor = createTlsServer({ key: readFileSync(`${b.certs.dir}/other-ca.key`), cert: readFileSync(b.certs.otherCa) }, (s) => s.destroy());
    await new Promise<void>((r) => impostor.listen(0, '127.0.0.1', r));
    const impostorPort = (impostor.address() as { port: number }).port;
    let connections = 0;
    const live: Array<{ destroy(): void }> = [];
    const relay: Server = createNetServer((inbound) => {
      const target = connections++ === 0 ? b.tlsPort : impostorPort;
      const out = netConnect(target, '127.0.0.1');
      live.push(inbound, out);
      inbound.pipe(out).pipe(inbound);
      inbound.on('error', () => out.destroy());
      out.on('error', () => inbound.destroy());
    });
    await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
    const relayPort = (relay.address() as { port: number }).port;
    try {
      const reconnecting: Error[] = [];
      const c = await MqttClient.connect(
        options({ kind: 'tls', host: 'localhost', port: relayPort, tls: tls() }, 4, {
          reconnect: { initialDelayMs: 50, maxDelayMs: 100, maxAttempts: 3 },
        }),
        { reconnecting: (_n, cause) => reconnecting.push(cause) },
      );
      for (const s of live.splice(0)) s.destroy(); // cut the verified link
      const end = await c.closed;
      expect(connections).toBeGreaterThan(1);
      expect(end).toMatchObject({ code: 'TLS_ERROR' });
    } finally {
      relay.close();
      impostor.close();
    }
  });
});
