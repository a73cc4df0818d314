import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkTlsOptions,
  insecureWarning,
  loadTlsMaterial,
  osTrustStore,
  pskBytes,
  readCaDir,
  sniName,
  tlsConnectOptions,
  tlsMinVersion,
} from '../../src/client/transports/tls-options.js';
import { MqttToolError } from '../../src/errors.js';

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(MqttToolError);
    return (e as MqttToolError).code;
  }
  throw new Error('expected an MqttToolError');
}

async function codeAsync(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(MqttToolError);
    return (e as MqttToolError).code;
  }
  throw new Error('expected an MqttToolError');
}

const CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('tlsConnectOptions', () => {
  it('verifies by default, minimum TLS 1.2, SNI = host name', () => {
    const o = tlsConnectOptions('broker.example', {}, {});
    expect(o.rejectUnauthorized).toBe(true);
    expect(o.minVersion).toBe('TLSv1.2');
    expect(o.maxVersion).toBeUndefined();
    expect(o.servername).toBe('broker.example');
    expect(o.checkServerIdentity).toBeUndefined();
    expect(o.ca).toBeUndefined(); // Node's default store
  });
  it('sends no SNI for IP literals, but honours an explicit servername', () => {
    expect(tlsConnectOptions('127.0.0.1', {}, {}).servername).toBeUndefined();
    expect(tlsConnectOptions('::1', {}, {}).servername).toBeUndefined();
    expect(tlsConnectOptions('127.0.0.1', { servername: 'x.example' }, {}).servername).toBe('x.example');
    expect(sniName('h', { servername: 'other' })).toBe('other');
  });
  it('passes CA, certificate, key, passphrase, ALPN and ciphers through', () => {
    const ca = [Buffer.from('ca')];
    const o = tlsConnectOptions('h', { keyPassphrase: 'pw', alpn: ['mqtt'], ciphers: 'ECDHE-RSA-AES128-GCM-SHA256', certFile: 'c', keyFile: 'k' },
      { ca, cert: Buffer.from('c'), key: Buffer.from('k') });
    expect(o.ca).toBe(ca);
    expect(o.cert?.toString()).toBe('c');
    expect(o.key?.toString()).toBe('k');
    expect(o.passphrase).toBe('pw');
    expect(o.ALPNProtocols).toEqual(['mqtt']);
    expect(o.ciphers).toBe('ECDHE-RSA-AES128-GCM-SHA256');
  });
  it('--tls-version is a minimum; tlsv1.3 allowed, older refused', () => {
    expect(tlsConnectOptions('h', { tlsVersion: 'TLSv1.3' }, {}).minVersion).toBe('TLSv1.3');
    expect(tlsMinVersion(undefined)).toBe('TLSv1.2');
    expect(code(() => tlsMinVersion('tlsv1.1'))).toBe('USAGE');
    expect(code(() => tlsMinVersion('tlsv1'))).toBe('USAGE');
    expect(code(() => tlsMinVersion('sslv3'))).toBe('USAGE');
  });
  it('--insecure verifies nothing (mosquitto 2.1) and warns', () => {
    const o = tlsConnectOptions('h', { insecure: true }, {});
    expect(o.rejectUnauthorized).toBe(false);
    expect(o.checkServerIdentity?.('h', {} as never)).toBeUndefined();
    expect(tlsConnectOptions('h', {}, {}).rejectUnauthorized).toBe(true);
    expect(insecureWarning({ insecure: true })).toMatch(/^Warning: --insecure: the server certificate is not verified/);
    expect(insecureWarning({})).toBeUndefined();
  });
  it('PSK: callback with key bytes and identity, PSK suites, TLS 1.2 at most', () => {
    const o = tlsConnectOptions('h', { psk: 'a1b2', pskIdentity: 'id1' }, {});
    expect(o.pskCallback?.('hint')).toEqual({ psk: Buffer.from([0xa1, 0xb2]), identity: 'id1' });
    expect(o.ciphers).toBe('PSK');
    expect(o.maxVersion).toBe('TLSv1.2');
    expect(o.checkServerIdentity?.('h', {} as never)).toBeUndefined();
    expect(tlsConnectOptions('h', { psk: 'ab', pskIdentity: 'i', ciphers: 'PSK-AES128-CBC-SHA' }, {}).ciphers).toBe('PSK-AES128-CBC-SHA');
  });
  it('pskBytes pads odd lengths and refuses non-hex', () => {
    expect([...pskBytes('abc')]).toEqual([0x0a, 0xbc]);
    expect(code(() => pskBytes('0x12'))).toBe('USAGE');
    expect(code(() => pskBytes(''))).toBe('USAGE');
  });
  it('refuses inconsistent combinations', () => {
    expect(code(() => checkTlsOptions({ certFile: 'c' }))).toBe('USAGE');
    expect(code(() => checkTlsOptions({ keyFile: 'k' }))).toBe('USAGE');
    expect(code(() => checkTlsOptions({ psk: 'ab' }))).toBe('USAGE');
    expect(code(() => checkTlsOptions({ psk: 'ab', pskIdentity: 'i', caFile: 'x' }))).toBe('USAGE');
    expect(code(() => checkTlsOptions({ psk: 'ab', pskIdentity: 'i', tlsVersion: 'tlsv1.3' }))).toBe('USAGE');
  });
});

describe('loadTlsMaterial', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tls-opts-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'ca.pem'), CERT);
  writeFileSync(join(dir, 'empty.pem'), '');
  writeFileSync(join(dir, 'key.pem'), 'KEY');
  const caDir = join(dir, 'cadir');
  const emptyDir = join(dir, 'emptydir');

  it('reads a CA file, certificate and key', async () => {
    const m = await loadTlsMaterial({ caFile: join(dir, 'ca.pem'), certFile: join(dir, 'ca.pem'), keyFile: join(dir, 'key.pem') });
    expect(m.ca?.map(String)).toEqual([CERT]);
    expect(String(m.cert)).toBe(CERT);
    expect(String(m.key)).toBe('KEY');
  });
  it('missing files are IO_ERROR; a CA file with no certificate is TLS_ERROR (fail closed)', async () => {
    expect(await codeAsync(loadTlsMaterial({ caFile: join(dir, 'nope.pem') }))).toBe('IO_ERROR');
    expect(await codeAsync(loadTlsMaterial({ certFile: join(dir, 'nope'), keyFile: join(dir, 'key.pem') }))).toBe('IO_ERROR');
    expect(await codeAsync(loadTlsMaterial({ caFile: join(dir, 'empty.pem') }))).toBe('TLS_ERROR');
  });
  it('a CA directory contributes each certificate file once (hashed links included)', async () => {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(caDir);
    writeFileSync(join(caDir, 'a.crt'), CERT);
    writeFileSync(join(caDir, 'b.pem'), CERT.replace('MIIB', 'MIIC'));
    symlinkSync(join(caDir, 'a.crt'), join(caDir, '0a1b2c3d.0'));
    symlinkSync(join(caDir, 'gone.crt'), join(caDir, '0a1b2c3d.1')); // dangling
    writeFileSync(join(caDir, 'README'), 'not a cert');
    writeFileSync(join(caDir, 'x.pem'), 'no cert here');
    const certs = await readCaDir(caDir);
    expect(certs.map(String).sort()).toEqual([CERT, CERT.replace('MIIB', 'MIIC')].sort());
    const m = await loadTlsMaterial({ caPath: caDir });
    expect(m.ca).toHaveLength(2);
  });
  it('an empty or missing CA directory fails', async () => {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(emptyDir);
    expect(await codeAsync(loadTlsMaterial({ caPath: emptyDir }))).toBe('TLS_ERROR');
    expect(await codeAsync(loadTlsMaterial({ caPath: join(dir, 'none') }))).toBe('IO_ERROR');
  });
  it('no CA option: Node roots plus the OS bundle; --tls-use-os-certs adds them to a CA file; PSK loads no CA', async () => {
    const { rootCertificates } = await import('node:tls');
    const m = await loadTlsMaterial({});
    expect(m.ca?.length).toBeGreaterThanOrEqual(rootCertificates.length);
    const both = await loadTlsMaterial({ caFile: join(dir, 'ca.pem'), useOsCerts: true });
    expect(both.ca?.[0]?.toString()).toBe(CERT);
    expect(both.ca?.length).toBe((m.ca?.length ?? 0) + 1);
    expect((await loadTlsMaterial({ caFile: join(dir, 'ca.pem') })).ca).toHaveLength(1);
    expect((await loadTlsMaterial({ psk: 'ab', pskIdentity: 'i' })).ca).toBeUndefined();
  });
  it('SSL_CERT_FILE and NODE_EXTRA_CA_CERTS join the OS store (Node without getCACertificates)', async () => {
    const tls = (await import('node:tls')) as { getCACertificates?: unknown };
    if (typeof tls.getCACertificates === 'function') return; // newer Node reads the OS store itself
    const saved = { f: process.env.SSL_CERT_FILE, x: process.env.NODE_EXTRA_CA_CERTS };
    process.env.SSL_CERT_FILE = join(dir, 'ca.pem');
    process.env.NODE_EXTRA_CA_CERTS = join(dir, 'ca.pem');
    try {
      const ca = (await osTrustStore()).map(String);
      expect(ca.filter((c) => c === CERT)).toHaveLength(2);
    } finally {
      for (const [k, v] of [['SSL_CERT_FILE', saved.f], ['NODE_EXTRA_CA_CERTS', saved.x]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});
