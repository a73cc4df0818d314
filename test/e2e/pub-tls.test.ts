// mqtt-pub over TLS against the real broker: --cafile turns TLS on, client
// certificates, a CA that did not sign the server (exit 8, like mosquitto_pub's
// MOSQ_ERR_TLS), and --capath.
import { mkdtempSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, requireMosquitto, startBroker, type Broker } from '../helpers/broker.js';
import { pub, requireBuild, run } from './pub-run.js';
import { subscribe } from './raw-subscriber.js';

let broker: Broker;
let capath: string;

beforeAll(async () => {
  requireBuild();
  requireMosquitto();
  broker = await startBroker({ tls: true });
  capath = mkdtempSync(join(tmpdir(), 'mqtt-pub-capath-'));
  copyFileSync(broker.certs.ca, join(capath, 'ca.pem'));
});
afterAll(async () => {
  await broker?.stop();
  rmSync(capath, { recursive: true, force: true });
});

describe('an expired server certificate (test plan F8)', () => {
  let expired: Broker;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    const c = broker.certs;
    expired = await startBroker({
      config: [`listener ${port} 127.0.0.1`, 'allow_anonymous true', `cafile ${c.ca}`, `certfile ${c.expiredCert}`, `keyfile ${c.expiredKey}`],
    });
  });
  afterAll(async () => expired?.stop());

  it('fails closed with exit 8 and says why; --retry does not get past it', async () => {
    const base = ['-h', 'localhost', '-p', String(port), '--cafile', broker.certs.ca, '-t', 'tls/exp', '-m', 'x'];
    for (const extra of [[], ['--retry', '3']]) {
      const t0 = Date.now();
      const r = await pub([...base, ...extra]);
      expect(r.status, extra.join(' ')).toBe(8);
      expect(r.stderr).toMatch(/certificate has expired/);
      expect(Date.now() - t0).toBeLessThan(3000); // not retried
    }
    expect([1, 8]).toContain((await run('mosquitto_pub', base)).status);
  });

  it('--insecure, as Mosquitto 2.1 defines it, verifies nothing: it connects, with a warning on stderr', async () => {
    const r = await pub(['-h', 'localhost', '-p', String(port), '--cafile', broker.certs.ca, '-t', 'tls/exp', '-m', 'x', '--insecure']);
    expect(r.status).toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('mqtt-pub over TLS', () => {
  const msg = (t: string): string[] => ['-h', 'localhost', '-t', t, '-m', 'secret', '-q', '1'];

  it('--cafile: delivered over TLS', async () => {
    const sub = await subscribe(broker.port, 'tls/a');
    const r = await pub([...msg('tls/a'), '-p', String(broker.tlsPort), '--cafile', broker.certs.ca]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(Buffer.from((await sub.waitFor(1))[0]!.payload).toString()).toBe('secret');
    sub.close();
  });

  it('--capath works too', async () => {
    expect((await pub([...msg('tls/b'), '-p', String(broker.tlsPort), '--capath', capath])).status).toBe(0);
  });

  it('client certificate with --cert/--key on a listener that requires one', async () => {
    const args = [...msg('tls/c'), '-p', String(broker.mtlsPort), '--cafile', broker.certs.ca];
    expect((await pub([...args, '--cert', broker.certs.clientCert, '--key', broker.certs.clientKey])).status).toBe(0);
    expect((await pub(args)).status).not.toBe(0);
  });

  it('a CA that did not sign the server certificate fails with exit 8', async () => {
    const args = [...msg('tls/d'), '-p', String(broker.tlsPort), '--cafile', broker.certs.otherCa];
    const r = await pub(args);
    expect(r.status).toBe(8);
    // mosquitto_pub exits 1 ("Unable to connect (A TLS error occurred.)") or 8, depending on
    // when its handshake fails; ours is always 8 (MOSQ_ERR_TLS).
    expect([1, 8]).toContain((await run('mosquitto_pub', args)).status);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('the OS trust store does not know the test CA: exit 8', async () => {
    expect((await pub([...msg('tls/e'), '-p', String(broker.tlsPort), '--tls-use-os-certs'])).status).toBe(8);
  });

  it('a plain listener spoken to with TLS fails cleanly (non-zero, one line)', async () => {
    const r = await pub([...msg('tls/f'), '-p', String(broker.port), '--cafile', broker.certs.ca]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
