// TlsOptions (mosquitto's --cafile/--capath/--cert/--key/--tls-version/--psk/...)
// → node:tls connect options. Reading files is kept apart (loadTlsMaterial) so
// the mapping itself is pure and unit-tested without a handshake. Only the
// lazily loaded tls/websocket modules import this file.
import { isIP } from 'node:net';
import { appendFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as nodeTls from 'node:tls';
import type { ConnectionOptions, PeerCertificate } from 'node:tls';
import { readFileBounded } from '../../bounded-read.js';
import { MqttToolError } from '../../errors.js';
import { errnoName } from '../../strerror.js';
import type { TlsOptions } from '../types.js';

/** File contents the options refer to (`ca` is unset only for PSK). */
export interface TlsMaterial {
  ca?: Buffer[];
  cert?: Buffer;
  key?: Buffer;
}

const PEM_CERT = '-----BEGIN CERTIFICATE-----';
// Files OpenSSL's hashed directories hold (`openssl rehash`), plus the usual PEM names.
const CA_DIR_FILE = /(\.(pem|crt|cer)$)|(^[0-9a-f]{8}\.\d+$)/i;

const usage = (msg: string): MqttToolError => new MqttToolError('USAGE', msg);

/** --tls-version → minVersion. libmosquitto treats it as a minimum (lib/net_mosq.c), and so do we. */
export function tlsMinVersion(v: string | undefined): 'TLSv1.2' | 'TLSv1.3' {
  const s = (v ?? 'tlsv1.2').toLowerCase();
  if (s === 'tlsv1.2') return 'TLSv1.2';
  if (s === 'tlsv1.3') return 'TLSv1.3';
  if (s === 'tlsv1' || s === 'tlsv1.1') {
    throw usage(`TLS version '${v}' is no longer considered secure and is not supported: use tlsv1.2 or tlsv1.3.`);
  }
  throw usage(`Problem setting TLS options: unknown TLS version '${v}', use tlsv1.2 or tlsv1.3.`);
}

/** --psk: hex digits only, no 0x (mosquitto's rule); an odd count gets a leading zero, as BN_hex2bn does. */
export function pskBytes(hex: string): Buffer {
  if (!/^[0-9a-fA-F]+$/.test(hex)) throw usage(`Invalid PSK key '${hex}': it must be hex digits only, without 0x.`);
  return Buffer.from(hex.length % 2 === 1 ? `0${hex}` : hex, 'hex');
}

/** Checks combinations the mapping cannot honour; throws USAGE. */
export function checkTlsOptions(t: TlsOptions): void {
  if ((t.certFile === undefined) !== (t.keyFile === undefined)) {
    throw usage('Both certfile and keyfile must be provided if one of them is set.');
  }
  if (t.psk !== undefined) {
    if (t.pskIdentity === undefined) throw usage('--psk-identity required if --psk used.');
    if (t.caFile !== undefined || t.caPath !== undefined) throw usage('Only one of --psk or --cafile/--capath may be used at once.');
    if (tlsMinVersion(t.tlsVersion) === 'TLSv1.3') {
      throw usage('TLS-PSK is only available with TLS 1.2 (as in mosquitto); do not combine --psk with --tls-version tlsv1.3.');
    }
  }
}

/** SNI name: the host unless it is an IP literal (RFC 6066 forbids those). */
export function sniName(host: string, t: TlsOptions): string | undefined {
  if (t.servername !== undefined) return t.servername;
  return isIP(host) === 0 ? host : undefined;
}

const skipHostnameCheck = (_host: string, _cert: PeerCertificate): Error | undefined => undefined;

/**
 * The pure mapping. `insecure` verifies nothing, as mosquitto 2.1 defines it (2.0
 * skipped only the host-name check); PSK has no certificate.
 */
export function tlsConnectOptions(host: string, t: TlsOptions, m: TlsMaterial): ConnectionOptions {
  checkTlsOptions(t);
  const o: ConnectionOptions = { rejectUnauthorized: true, minVersion: tlsMinVersion(t.tlsVersion) };
  const servername = sniName(host, t);
  if (servername !== undefined) o.servername = servername;
  if (m.ca !== undefined) o.ca = m.ca;
  if (m.cert !== undefined) o.cert = m.cert;
  if (m.key !== undefined) o.key = m.key;
  if (t.keyPassphrase !== undefined) o.passphrase = t.keyPassphrase;
  if (t.alpn !== undefined && t.alpn.length > 0) o.ALPNProtocols = t.alpn;
  if (t.ciphers !== undefined) o.ciphers = t.ciphers;
  if (t.insecure) {
    o.rejectUnauthorized = false;
    o.checkServerIdentity = skipHostnameCheck;
  }
  if (t.psk !== undefined) {
    const psk = pskBytes(t.psk);
    const identity = t.pskIdentity ?? '';
    o.pskCallback = () => ({ psk, identity });
    // OpenSSL offers PSK suites only when asked; libmosquitto also turns TLS 1.3 off for PSK.
    o.ciphers = t.ciphers ?? 'PSK';
    o.maxVersion = 'TLSv1.2';
    o.checkServerIdentity = skipHostnameCheck;
  }
  return o;
}

/** Warning line for --insecure, or undefined. */
export function insecureWarning(t: TlsOptions): string | undefined {
  return t.insecure && t.psk === undefined
    ? 'Warning: --insecure: the server certificate is not verified; anyone on the path can read and change this session.'
    : undefined;
}

/** Far more than any certificate, key or CA bundle: /dev/zero or an endless FIFO stops here. */
const MAX_TLS_FILE = 16 * 1024 * 1024;

/** A certificate or key file, read with a bound; throws as openSync/readSync do, or EFBIG. */
function readTlsFile(path: string): Buffer {
  const r = readFileBounded(path, MAX_TLS_FILE);
  if (!r.complete) throw Object.assign(new Error(`larger than ${MAX_TLS_FILE} bytes`), { code: 'EFBIG' });
  return r.data;
}

async function readOrFail(path: string, what: string): Promise<Buffer> {
  try {
    return readTlsFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'File not found' : (errnoName(code) ?? (err as Error).message);
    throw new MqttToolError('IO_ERROR', `Problem setting TLS options: ${why}: ${what} '${path}'.`, { cause: err });
  }
}

function hasCert(b: Buffer): boolean {
  return b.includes(PEM_CERT);
}

/** Every certificate file in a CA directory (hashed links and *.pem/*.crt), each once. */
export async function readCaDir(dir: string): Promise<Buffer[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    throw new MqttToolError('IO_ERROR', `Problem setting TLS options: cannot read CA directory '${dir}'.`, { cause: err });
  }
  const seen = new Set<string>();
  const out: Buffer[] = [];
  for (const name of names.filter((n) => CA_DIR_FILE.test(n)).sort()) {
    let b: Buffer;
    try {
      b = readTlsFile(join(dir, name));
    } catch {
      continue; // dangling links and unreadable files are skipped, as OpenSSL's lookup would
    }
    const key = b.toString('latin1');
    if (!hasCert(b) || seen.has(key)) continue;
    seen.add(key);
    out.push(b);
  }
  return out;
}

// Where OpenSSL builds keep the OS bundle (Debian/Ubuntu, Fedora/RHEL, Alpine/macOS).
const OS_BUNDLES = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/cert.pem'];

async function readIfCerts(path: string | undefined): Promise<Buffer | undefined> {
  if (!path) return undefined;
  try {
    const b = readTlsFile(path);
    return hasCert(b) ? b : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The trust store for "no CA given" / --tls-use-os-certs: Node's own roots
 * plus the OS store, as mosquitto trusts OpenSSL's default paths (so a CA
 * installed with update-ca-certificates works). Newer Node reads the OS store
 * itself; on older Node we read the usual bundle file and keep
 * NODE_EXTRA_CA_CERTS, which an explicit `ca` would otherwise drop.
 */
export async function osTrustStore(): Promise<Buffer[]> {
  const get = (nodeTls as unknown as { getCACertificates?: (kind: string) => string[] }).getCACertificates;
  if (typeof get === 'function') return [...get('default'), ...get('system')].map((pem) => Buffer.from(pem));
  const out: Buffer[] = nodeTls.rootCertificates.map((pem) => Buffer.from(pem));
  const extra = await readIfCerts(process.env.NODE_EXTRA_CA_CERTS);
  if (extra) out.push(extra);
  for (const file of [process.env.SSL_CERT_FILE, ...OS_BUNDLES]) {
    const bundle = await readIfCerts(file);
    if (bundle) {
      out.push(bundle);
      break;
    }
  }
  return out;
}

/** Reads the files TlsOptions name. Errors: IO_ERROR (unreadable), TLS_ERROR (no certificate in the CA file/dir). */
export async function loadTlsMaterial(t: TlsOptions): Promise<TlsMaterial> {
  checkTlsOptions(t);
  const m: TlsMaterial = {};
  if (t.psk === undefined) {
    const ca: Buffer[] = [];
    if (t.caFile !== undefined) {
      const b = await readOrFail(t.caFile, 'CA file');
      if (!hasCert(b)) throw new MqttToolError('TLS_ERROR', `A TLS error occurred: no PEM certificate in CA file '${t.caFile}'.`);
      ca.push(b);
    }
    if (t.caPath !== undefined) {
      const certs = await readCaDir(t.caPath);
      if (certs.length === 0 && t.caFile === undefined) {
        throw new MqttToolError('TLS_ERROR', `A TLS error occurred: no PEM certificate in CA directory '${t.caPath}'.`);
      }
      ca.push(...certs);
    }
    // --tls-use-os-certs together with a CA file trusts both, as OpenSSL's store would.
    if (ca.length === 0 || t.useOsCerts) ca.push(...(await osTrustStore()));
    m.ca = ca;
  }
  if (t.certFile !== undefined) m.cert = await readOrFail(t.certFile, 'certificate file');
  if (t.keyFile !== undefined) m.key = await readOrFail(t.keyFile, 'key file');
  return m;
}

/**
 * --tls-keylog: appends each key log line the socket emits (NSS format, one line
 * each, as mosquitto 2.1 writes them). A file that cannot be written is skipped,
 * as mosquitto skips it; the session itself is not affected.
 */
export function attachKeylog(sock: { on(event: 'keylog', cb: (line: Buffer) => void): unknown }, t: TlsOptions): void {
  const file = t.keylogFile;
  if (file === undefined) return;
  sock.on('keylog', (line) => {
    try {
      appendFileSync(file, line, { mode: 0o600 });
    } catch {
      // as mosquitto: a key log that cannot be opened is not an error
    }
  });
}
