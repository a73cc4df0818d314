// Test PKI made with openssl at test time: a CA, a server certificate for
// localhost/127.0.0.1/::1 (and an expired one), a client certificate, and a second
// CA that signed nothing of ours (for wrong-CA tests). Cached per process in one temp dir.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCerts {
  dir: string;
  ca: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A CA unrelated to the server certificate. */
  otherCa: string;
  /** A server certificate from our CA, for the same names, that expired yesterday. */
  expiredCert: string;
  expiredKey: string;
}

let cached: TestCerts | undefined;

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function makeLeaf(dir: string, name: string, subject: string, ext: string, days = '30'): void {
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', `${name}.key`], dir);
  openssl(['req', '-new', '-key', `${name}.key`, '-subj', subject, '-out', `${name}.csr`], dir);
  writeFileSync(join(dir, `${name}.ext`), ext);
  openssl(
    ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
      '-days', days, '-sha256', '-extfile', `${name}.ext`, '-out', `${name}.crt`],
    dir,
  );
}

export function testCerts(): TestCerts {
  if (cached && existsSync(cached.ca)) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'mqtt-cli-certs-'));
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ca.key'], dir);
  openssl(['req', '-x509', '-new', '-key', 'ca.key', '-subj', '/CN=mqtt-cli test CA', '-days', '30', '-sha256', '-out', 'ca.crt'], dir);
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'other-ca.key'], dir);
  openssl(['req', '-x509', '-new', '-key', 'other-ca.key', '-subj', '/CN=unrelated CA', '-days', '30', '-out', 'other-ca.crt'], dir);
  makeLeaf(dir, 'server', '/CN=localhost',
    'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\n');
  const serverExt = 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\n';
  makeLeaf(dir, 'expired', '/CN=localhost', serverExt, '-1'); // notAfter = yesterday
  makeLeaf(dir, 'client', '/CN=test-client',
    'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=clientAuth\n');
  cached = {
    dir,
    ca: join(dir, 'ca.crt'),
    caKey: join(dir, 'ca.key'),
    serverCert: join(dir, 'server.crt'),
    serverKey: join(dir, 'server.key'),
    clientCert: join(dir, 'client.crt'),
    clientKey: join(dir, 'client.key'),
    otherCa: join(dir, 'other-ca.crt'),
    expiredCert: join(dir, 'expired.crt'),
    expiredKey: join(dir, 'expired.key'),
  };
  return cached;
}
