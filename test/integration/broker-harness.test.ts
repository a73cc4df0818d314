// The harness itself: every listener it promises accepts an MQTT 3.1.1 CONNECT.
import { connect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type Broker } from '../helpers/broker.js';
import type { Duplex } from 'node:stream';

// CONNECT v3.1.1, client id "", clean session, keepalive 60; with optional user/pass.
function connectBytes(user?: string, pass?: string): Buffer {
  const str = (s: string) => Buffer.concat([Buffer.from([0, Buffer.byteLength(s)]), Buffer.from(s)]);
  const flags = 0x02 | (user ? 0x80 : 0) | (pass ? 0x40 : 0);
  const body = Buffer.concat([str('MQTT'), Buffer.from([4, flags, 0, 60]), str(''), user ? str(user) : Buffer.alloc(0), pass ? str(pass) : Buffer.alloc(0)]);
  return Buffer.concat([Buffer.from([0x10, body.length]), body]);
}

function connackOver(sock: Duplex, bytes = connectBytes()): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let got = Buffer.alloc(0);
    sock.on('data', (d: Buffer) => {
      got = Buffer.concat([got, d]);
      if (got.length >= 4) {
        sock.destroy();
        resolve(got.subarray(0, 4));
      }
    });
    sock.on('error', reject);
    sock.write(bytes);
  });
}

describe('test broker harness', () => {
  let b: Broker;
  const pwFile = `/tmp/mqtt-cli-harness-pw-${process.pid}`;
  beforeAll(async () => {
    // Plain-text file converted in place by the broker's own tool keeps this test independent of mqtt-passwd.
    writeFileSync(pwFile, 'alice:secret\n');
    const { execFileSync } = await import('node:child_process');
    execFileSync('mosquitto_passwd', ['-U', pwFile]);
    b = await startBroker({ tls: true, ws: true, unix: true, ipv6: true, passwordFile: pwFile });
  });
  afterAll(async () => b?.stop());

  it('plain TCP answers CONNACK 0', async () => {
    expect([...(await connackOver(connect(b.port, '127.0.0.1')))]).toEqual([0x20, 2, 0, 0]);
  });
  it('IPv6 ::1 answers CONNACK 0', async () => {
    expect([...(await connackOver(connect(b.ipv6Port, '::1')))]).toEqual([0x20, 2, 0, 0]);
  });
  it('unix socket answers CONNACK 0', async () => {
    expect([...(await connackOver(connect(b.unixPath)))]).toEqual([0x20, 2, 0, 0]);
  });
  it('TLS with the test CA answers CONNACK 0', async () => {
    const s = tlsConnect({ port: b.tlsPort, host: '127.0.0.1', servername: 'localhost', ca: readFileSync(b.certs.ca) });
    expect([...(await connackOver(s))]).toEqual([0x20, 2, 0, 0]);
  });
  it('WebSocket listener answers CONNACK 0', async () => {
    const { WebSocket } = await import('ws');
    const ws = new WebSocket(`ws://127.0.0.1:${b.wsPort}/mqtt`, 'mqtt');
    const reply = await new Promise<Buffer>((resolve, reject) => {
      ws.on('open', () => ws.send(connectBytes()));
      ws.on('message', (d: Buffer) => resolve(Buffer.from(d)));
      ws.on('error', reject);
    });
    ws.close();
    expect([...reply]).toEqual([0x20, 2, 0, 0]);
  });
  it('password listener accepts the right password and refuses a wrong one', async () => {
    expect([...(await connackOver(connect(b.authPort, '127.0.0.1'), connectBytes('alice', 'secret')))]).toEqual([0x20, 2, 0, 0]);
    const refused = await connackOver(connect(b.authPort, '127.0.0.1'), connectBytes('alice', 'wrong'));
    expect(refused[3]).not.toBe(0);
  });
});
