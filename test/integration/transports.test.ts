// Every transport against the real mosquitto: open it with openTransport, send
// a raw MQTT 3.1.1 CONNECT and expect CONNACK 0 back — no codec or client
// involved, so a failure here is the transport's.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { lookup } from 'node:dns/promises';
import { createServer, isIP, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTransport } from '../../src/client/transports/index.js';
import type { ProxyOptions, TlsOptions, TransportOptions } from '../../src/client/types.js';
import { MqttToolError } from '../../src/errors.js';
import { freePort, startBroker, type Broker } from '../helpers/broker.js';
import { startSocksProxy, type SocksProxy } from '../helpers/socks-proxy.js';

// CONNECT v3.1.1: empty client id, clean session, keepalive 60.
const CONNECT = Buffer.from([0x10, 0x0c, 0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x04, 0x02, 0x00, 0x3c, 0x00, 0x00]);
const CONNACK_OK = [0x20, 0x02, 0x00, 0x00];

/** Writes CONNECT, resolves with the first 4 bytes back, then closes the stream. */
function connack(stream: Duplex): Promise<number[]> {
  return new Promise((resolve, reject) => {
    let got = Buffer.alloc(0);
    stream.on('data', (d: Buffer) => {
      expect(Buffer.isBuffer(d)).toBe(true);
      got = Buffer.concat([got, d]);
      if (got.length >= 4) {
        stream.destroy();
        resolve([...got.subarray(0, 4)]);
      }
    });
    stream.on('error', reject);
    stream.on('close', () => reject(new Error(`closed after ${got.length} bytes`)));
    stream.write(CONNECT);
  });
}

async function roundTrip(opts: TransportOptions, proxy?: ProxyOptions, warn?: (l: string) => void): Promise<string> {
  const t = await openTransport(opts, proxy, undefined, warn);
  expect(await connack(t.stream)).toEqual(CONNACK_OK);
  return t.description;
}

async function failure(p: Promise<unknown>): Promise<MqttToolError> {
  try {
    const t = (await p) as { stream?: Duplex };
    t.stream?.destroy();
  } catch (e) {
    expect(e).toBeInstanceOf(MqttToolError);
    return e as MqttToolError;
  }
  throw new Error('expected openTransport to fail');
}

describe('transports against mosquitto', () => {
  let b: Broker;
  let work: string;
  let tls: (extra?: TlsOptions) => TlsOptions;
  beforeAll(async () => {
    b = await startBroker({ tls: true, ws: true, unix: true, ipv6: true });
    work = mkdtempSync(join(tmpdir(), 'transports-'));
    tls = (extra = {}) => ({ caFile: b.certs.ca, ...extra });
  });
  afterAll(async () => {
    await b?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  describe('tcp', () => {
    it('IPv4 literal', async () => {
      expect(await roundTrip({ kind: 'tcp', host: '127.0.0.1', port: b.port })).toBe(`tcp 127.0.0.1:${b.port}`);
    });
    it('IPv6 literal ::1', async () => {
      expect(await roundTrip({ kind: 'tcp', host: '::1', port: b.ipv6Port })).toBe(`tcp [::1]:${b.ipv6Port}`);
    });
    it('host name, bind address and TCP_NODELAY', async () => {
      const t = await openTransport({ kind: 'tcp', host: 'localhost', port: b.port, bindAddress: '127.0.0.1', noDelay: true });
      expect((t.stream as Socket).localAddress).toBe('127.0.0.1');
      expect(await connack(t.stream)).toEqual(CONNACK_OK);
    });
    it('a host name as bind address is resolved first', async () => {
      const t = await openTransport({ kind: 'tcp', host: '127.0.0.1', port: b.port, bindAddress: 'localhost' });
      expect(isIP((t.stream as Socket).localAddress ?? '')).not.toBe(0);
      expect(await connack(t.stream)).toEqual(CONNACK_OK);
    });
    it('refused → CONNECT_FAILED "Connection refused"', async () => {
      const e = await failure(openTransport({ kind: 'tcp', host: '127.0.0.1', port: await freePort() }));
      expect([e.code, e.message]).toEqual(['CONNECT_FAILED', 'Connection refused']);
    });
    it('unknown name → CONNECT_FAILED "Lookup error."', async () => {
      const e = await failure(openTransport({ kind: 'tcp', host: 'no-such-host.invalid', port: 1883 }));
      expect([e.code, e.message]).toEqual(['CONNECT_FAILED', 'Lookup error.']);
    });
  });

  describe('unix socket', () => {
    it('connects', async () => {
      expect(await roundTrip({ kind: 'unix', path: b.unixPath })).toBe(`unix ${b.unixPath}`);
    });
    it('missing path → CONNECT_FAILED', async () => {
      const e = await failure(openTransport({ kind: 'unix', path: join(work, 'nope.sock') }));
      expect([e.code, e.message]).toEqual(['CONNECT_FAILED', 'No such file or directory']);
    });
  });

  describe('tls', () => {
    it('verifies the server against --cafile (host name)', async () => {
      const d = await roundTrip({ kind: 'tls', host: 'localhost', port: b.tlsPort, tls: tls() });
      expect(d).toMatch(new RegExp(`^tls localhost:${b.tlsPort} \\(TLSv1\\.[23], `));
    });
    it('verifies an IP literal against the certificate IP SANs', async () => {
      await roundTrip({ kind: 'tls', host: '127.0.0.1', port: b.tlsPort, tls: tls() });
    });
    it('--capath: a directory of CA files', async () => {
      const dir = join(work, 'capath');
      mkdirSync(dir, { recursive: true });
      copyFileSync(b.certs.ca, join(dir, 'test-ca.pem'));
      copyFileSync(b.certs.otherCa, join(dir, 'other.crt'));
      await roundTrip({ kind: 'tls', host: 'localhost', port: b.tlsPort, tls: { caPath: dir } });
    });
    it('--tls-version tlsv1.3 and ALPN', async () => {
      const d = await roundTrip({ kind: 'tls', host: 'localhost', port: b.tlsPort, tls: tls({ tlsVersion: 'tlsv1.3', alpn: ['mqtt'] }) });
      expect(d).toContain('TLSv1.3');
    });
    it('wrong CA → TLS_ERROR (certificate verify failed)', async () => {
      const e = await failure(openTransport({ kind: 'tls', host: 'localhost', port: b.tlsPort, tls: { caFile: b.certs.otherCa } }));
      expect(e.code).toBe('TLS_ERROR');
      expect(e.message).toMatch(/^A TLS error occurred: certificate verify failed: /);
    });
    it('no CA option → default trust store, which does not trust the test CA', async () => {
      const e = await failure(openTransport({ kind: 'tls', host: 'localhost', port: b.tlsPort, tls: {} }));
      expect(e.code).toBe('TLS_ERROR');
    });
    it('wrong host name → TLS_ERROR; --insecure accepts it and warns', async () => {
      const opts: TransportOptions = { kind: 'tls', host: '127.0.0.1', port: b.tlsPort, tls: tls({ servername: 'wrong.example' }) };
      const e = await failure(openTransport(opts));
      expect(e.code).toBe('TLS_ERROR');
      expect(e.message).toMatch(/hostname verification failed.*wrong\.example/);
      const warnings: string[] = [];
      await roundTrip({ ...opts, tls: tls({ servername: 'wrong.example', insecure: true }) }, undefined, (l) => warnings.push(l));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/^Warning: --insecure/);
    });
    it('--insecure (as mosquitto 2.1) accepts a certificate no trusted CA signed', async () => {
      await roundTrip({ kind: 'tls', host: 'localhost', port: b.tlsPort, tls: { caFile: b.certs.otherCa, insecure: true } }, undefined, () => {});
    });
    it('--tls-keylog appends NSS key log lines to the file', async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'keylog-')), 'keys.log');
      await roundTrip({ kind: 'tls', host: 'localhost', port: b.tlsPort, tls: tls({ keylogFile: file }) });
      const lines = readFileSync(file, 'utf8').trim().split('\n');
      expect(lines.length).toBeGreaterThan(0);
      for (const l of lines) expect(l).toMatch(/^(CLIENT_RANDOM|[A-Z_]+_SECRET(_\d+)?) [0-9a-f]{64} [0-9a-f]+$/);
    });
    it('TLS to a plain listener → TLS_ERROR', async () => {
      const e = await failure(openTransport({ kind: 'tls', host: 'localhost', port: b.port, tls: tls() }));
      expect(e.code).toBe('TLS_ERROR');
    });
    it('client certificate on a require_certificate listener', async () => {
      await roundTrip({ kind: 'tls', host: 'localhost', port: b.mtlsPort, tls: tls({ certFile: b.certs.clientCert, keyFile: b.certs.clientKey }) });
    });
    it('no client certificate where one is required: no CONNACK', async () => {
      // TLS 1.3 lets the client finish its handshake before the server refuses,
      // so the refusal may arrive as a stream error instead of a rejection.
      let outcome: string;
      try {
        const t = await openTransport({ kind: 'tls', host: 'localhost', port: b.mtlsPort, tls: tls() });
        outcome = await connack(t.stream).then((bytes) => `connack ${bytes}`, () => 'stream failed');
      } catch (e) {
        outcome = (e as MqttToolError).code;
      }
      expect(['TLS_ERROR', 'stream failed']).toContain(outcome);
    });
    it('encrypted client key with passphrase; wrong passphrase → TLS_ERROR', async () => {
      const key = join(work, 'client-enc.key');
      execFileSync('openssl', ['pkey', '-in', b.certs.clientKey, '-aes256', '-passout', 'pass:hunter2', '-out', key]);
      const base = { certFile: b.certs.clientCert, keyFile: key };
      await roundTrip({ kind: 'tls', host: 'localhost', port: b.mtlsPort, tls: tls({ ...base, keyPassphrase: 'hunter2' }) });
      const e = await failure(openTransport({ kind: 'tls', host: 'localhost', port: b.mtlsPort, tls: tls({ ...base, keyPassphrase: 'wrong' }) }));
      expect(e.code).toBe('TLS_ERROR');
    });
  });

  describe('websocket', () => {
    it('ws:// with subprotocol mqtt and the default path', async () => {
      expect(await roundTrip({ kind: 'ws', host: '127.0.0.1', port: b.wsPort })).toBe(`ws ws://127.0.0.1:${b.wsPort}/mqtt`);
    });
    it('wss:// verified against the test CA', async () => {
      await roundTrip({ kind: 'wss', host: 'localhost', port: b.wssPort, path: '/mqtt', tls: tls() });
    });
    it('wss:// with the wrong CA → TLS_ERROR', async () => {
      const e = await failure(openTransport({ kind: 'wss', host: 'localhost', port: b.wssPort, tls: { caFile: b.certs.otherCa } }));
      expect(e.code).toBe('TLS_ERROR');
    });
    it('ws:// to a plain MQTT listener, which hangs up on the HTTP upgrade → CONNECTION_LOST (mosquitto 2.1: status 7)', async () => {
      const e = await failure(openTransport({ kind: 'ws', host: '127.0.0.1', port: b.port }));
      expect(e.code).toBe('CONNECTION_LOST');
    });
  });

  describe('broker hang-up', () => {
    // A reserved packet type makes mosquitto drop the connection: every stream
    // must then end and close like a socket, so the client sees the loss.
    it.each([
      ['tcp', (): TransportOptions => ({ kind: 'tcp', host: '127.0.0.1', port: b.port })],
      ['tls', (): TransportOptions => ({ kind: 'tls', host: 'localhost', port: b.tlsPort, tls: tls() })],
      ['ws', (): TransportOptions => ({ kind: 'ws', host: '127.0.0.1', port: b.wsPort })],
      ['wss', (): TransportOptions => ({ kind: 'wss', host: 'localhost', port: b.wssPort, tls: tls() })],
      ['unix', (): TransportOptions => ({ kind: 'unix', path: b.unixPath })],
    ])('%s stream closes', async (_n, opts) => {
      const t = await openTransport(opts());
      const events: string[] = [];
      await new Promise<void>((resolve) => {
        t.stream.on('data', () => events.push('data'));
        t.stream.on('end', () => events.push('end'));
        t.stream.on('error', () => events.push('error'));
        t.stream.on('close', () => resolve());
        t.stream.write(Buffer.from([0x00, 0x00]));
      });
      expect(events.includes('end') || events.includes('error')).toBe(true);
      expect(events).not.toContain('data');
    });
  });

  describe('socks5 proxy', () => {
    let open: SocksProxy;
    let authed: SocksProxy;
    beforeAll(async () => {
      open = await startSocksProxy();
      authed = await startSocksProxy({ username: 'u', password: 'p@ss' });
    });
    afterAll(async () => {
      await open?.close();
      await authed?.close();
    });
    const via = (p: SocksProxy, extra: Partial<ProxyOptions> = {}): ProxyOptions => ({ protocol: 'socks5h', host: '127.0.0.1', port: p.port, ...extra });

    it('socks5h: the proxy gets the host name', async () => {
      const d = await roundTrip({ kind: 'tcp', host: 'localhost', port: b.port }, via(open));
      expect(open.requests.at(-1)).toEqual({ atyp: 3, host: 'localhost', port: b.port });
      expect(d).toBe(`tcp localhost:${b.port} via socks5h proxy 127.0.0.1:${open.port}`);
    });
    it('socks5: the name is resolved locally and the proxy gets an address', async () => {
      const { address } = await lookup('localhost');
      const port = isIP(address) === 6 ? b.ipv6Port : b.port;
      await roundTrip({ kind: 'tcp', host: 'localhost', port }, via(open, { protocol: 'socks5' }));
      const req = open.requests.at(-1);
      expect(req?.atyp).toBe(isIP(address) === 6 ? 4 : 1);
      expect(req?.host).toBe(address);
    });
    it('username/password authentication', async () => {
      await roundTrip({ kind: 'tcp', host: '127.0.0.1', port: b.port }, via(authed, { username: 'u', password: 'p@ss' }));
      expect(authed.logins.at(-1)).toEqual(['u', 'p@ss']);
      const e = await failure(openTransport({ kind: 'tcp', host: '127.0.0.1', port: b.port }, via(authed, { username: 'u', password: 'bad' })));
      expect(e.code).toBe('PROXY_ERROR');
      const none = await failure(openTransport({ kind: 'tcp', host: '127.0.0.1', port: b.port }, via(authed)));
      expect(none.code).toBe('PROXY_ERROR');
    });
    it('TLS and WebSocket through the tunnel', async () => {
      await roundTrip({ kind: 'tls', host: 'localhost', port: b.tlsPort, tls: tls() }, via(open));
      await roundTrip({ kind: 'ws', host: '127.0.0.1', port: b.wsPort }, via(open));
      await roundTrip({ kind: 'wss', host: 'localhost', port: b.wssPort, tls: tls() }, via(open));
      const e = await failure(openTransport({ kind: 'tls', host: 'localhost', port: b.tlsPort, tls: { caFile: b.certs.otherCa } }, via(open)));
      expect(e.code).toBe('TLS_ERROR');
    });
    it('proxy down → CONNECT_FAILED (as mosquitto: a failed connect); target refused by the proxy → PROXY_ERROR', async () => {
      const down = await failure(openTransport({ kind: 'tcp', host: '127.0.0.1', port: b.port }, { protocol: 'socks5h', host: '127.0.0.1', port: await freePort() }));
      expect([down.code, down.message]).toEqual(['CONNECT_FAILED', 'Connection refused']);
      const refused = await failure(openTransport({ kind: 'tcp', host: '127.0.0.1', port: await freePort() }, via(open)));
      expect(refused.code).toBe('PROXY_ERROR');
      const unix = await failure(openTransport({ kind: 'unix', path: b.unixPath }, via(open)));
      expect(unix.code).toBe('USAGE');
    });
  });
});

describe('abort', () => {
  let silent: Server;
  let port: number;
  const accepted: Socket[] = [];
  beforeAll(async () => {
    // Accepts TCP and never answers: a TLS or WebSocket handshake to it hangs.
    silent = createServer((s) => accepted.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const a = silent.address();
    port = typeof a === 'object' && a ? a.port : 0;
  });
  afterAll(async () => {
    for (const s of accepted) s.destroy();
    await new Promise((r) => silent.close(r));
  });
  const closedByClient = (): Promise<void> =>
    new Promise((resolve) => {
      const s = accepted.at(-1);
      if (!s || s.destroyed) return resolve();
      s.once('close', () => resolve());
      s.resume();
    });

  it.each([
    ['tls', { kind: 'tls', host: '127.0.0.1', port: 0, tls: {} }],
    ['ws', { kind: 'ws', host: '127.0.0.1', port: 0 }],
  ] as const)('aborting a hanging %s handshake rejects with the reason and closes the socket', async (_n, o) => {
    const c = new AbortController();
    const p = openTransport({ ...o, port } as TransportOptions, undefined, c.signal);
    await new Promise((r) => setTimeout(r, 50));
    const reason = new MqttToolError('CONNECT_TIMEOUT', 'timed out');
    c.abort(reason);
    await expect(p).rejects.toBe(reason);
    await closedByClient();
  });
  it('aborting a hanging SOCKS handshake rejects with the reason and closes the socket', async () => {
    const c = new AbortController();
    const p = openTransport({ kind: 'tcp', host: '127.0.0.1', port: 1883 }, { protocol: 'socks5h', host: '127.0.0.1', port }, c.signal);
    await new Promise((r) => setTimeout(r, 50));
    const reason = new MqttToolError('CONNECT_TIMEOUT', 'timed out');
    c.abort(reason);
    await expect(p).rejects.toBe(reason);
    await closedByClient();
  });
  it('an already aborted signal rejects at once', async () => {
    const c = new AbortController();
    c.abort();
    const e = await failure(openTransport({ kind: 'tcp', host: '127.0.0.1', port }, undefined, c.signal));
    expect(e.code).toBe('CONNECT_FAILED');
  });
});

describe('TLS-PSK against mosquitto', () => {
  let b: Broker;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'psk-'));
    const pskFile = join(dir, 'psk');
    writeFileSync(pskFile, 'client-one:a1b2c3d4e5f6\n');
    // The plain listener becomes a PSK listener.
    b = await startBroker({ config: ['psk_hint test-hint', `psk_file ${pskFile}`] });
  });
  afterAll(async () => {
    await b?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  it('connects with the right key and identity', async () => {
    const d = await roundTrip({ kind: 'tls', host: '127.0.0.1', port: b.port, tls: { psk: 'a1b2c3d4e5f6', pskIdentity: 'client-one' } });
    expect(d).toMatch(/TLSv1\.2.*PSK/);
  });
  it('a wrong key → TLS_ERROR', async () => {
    const e = await failure(openTransport({ kind: 'tls', host: '127.0.0.1', port: b.port, tls: { psk: '00', pskIdentity: 'client-one' } }));
    expect(e.code).toBe('TLS_ERROR');
  });
});
