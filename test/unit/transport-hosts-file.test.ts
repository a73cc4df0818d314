import { describe, expect, it } from 'vitest';
import { connect, createServer, type Server } from 'node:net';
import { addressesIn, filesFirst, fromHostsFile, isIpLiteral, lookupFrom } from '../../src/client/transports/hosts-file.js';

const HOSTS = `# comment localhost
127.0.0.1\tlocalhost loopback
::1     ip6-localhost LocalHost  # both families
10.0.0.5 broker.lan broker
10.0.0.6 other #broker
garbage localhost
127.0.0.1 localhost
`;

describe('hosts file answers', () => {
  it('finds every address of a name, in file order, case-insensitively, once each', () => {
    expect(addressesIn(HOSTS, 'localhost')).toEqual([
      { address: '127.0.0.1', family: 4 },
      { address: '::1', family: 6 },
    ]);
    expect(addressesIn(HOSTS, 'BROKER')).toEqual([{ address: '10.0.0.5', family: 4 }]);
    expect(addressesIn(HOSTS, 'nowhere')).toEqual([]);
  });

  it('is used only when nsswitch puts files first (or there is no nsswitch.conf)', () => {
    expect(filesFirst('passwd: files\nhosts:          files dns\n')).toBe(true);
    expect(filesFirst('hosts: dns files\n')).toBe(false);
    expect(filesFirst('hosts: resolve [!UNAVAIL=return] files myhostname dns\n')).toBe(false);
    expect(filesFirst(undefined)).toBe(true);
    const files = (nss: string | undefined) => (path: string) => (path === '/etc/hosts' ? HOSTS : nss);
    if (process.platform === 'linux') {
      expect(fromHostsFile('broker', files('hosts: files dns'))).toEqual([{ address: '10.0.0.5', family: 4 }]);
      expect(fromHostsFile('broker', files('hosts: dns files'))).toBeUndefined();
      expect(fromHostsFile('not-there', files('hosts: files dns'))).toBeUndefined(); // the resolver decides
    }
  });

  it('reads the files as glibc does: blanks separate fields, a # starts a comment, a hosts line without a space', () => {
    expect(filesFirst('hosts:files dns\n')).toBe(true);
    expect(filesFirst('hosts:dns files\n')).toBe(false);
    expect(filesFirst('  hosts\t:\tdns # then files\n')).toBe(false);
    expect(filesFirst('#hosts: dns\npasswd: files\n')).toBe(true); // no hosts line: files first
    expect(filesFirst('hostsx: dns\nhosts: files\n')).toBe(true);
    const text = '10.1.2.3\tbroker#comment\n1.2.3 broker\n1.2.3.4.5 broker\n10.9.9.9 broker\u00a0x\nfe80::1 BROKER\n';
    expect(addressesIn(text, 'broker')).toEqual([
      { address: '10.1.2.3', family: 4 },
      { address: 'fe80::1', family: 6 },
    ]);
  });

  it('tells IP literals from names', () => {
    expect(isIpLiteral('127.0.0.1')).toBe(true);
    expect(isIpLiteral('::1')).toBe(true);
    expect(isIpLiteral('fe80::1%lo')).toBe(true);
    expect(isIpLiteral('localhost')).toBe(false);
    expect(isIpLiteral('1.2.3')).toBe(false);
    expect(isIpLiteral('a:b')).toBe(false);
  });

  it('gives net every address, so a broker on only one of them is reached', async () => {
    // Listening on ::1 only (skipped where the machine has no IPv6 loopback); 127.0.0.1 refuses first.
    const server: Server = createServer((s) => s.end());
    const port = await new Promise<number | undefined>((resolve) => {
      server.once('error', () => resolve(undefined));
      server.listen(0, '::1', () => resolve((server.address() as { port: number }).port));
    });
    if (port === undefined) return;
    try {
      const lookup = lookupFrom('localhost', [
        { address: '127.0.0.1', family: 4 },
        { address: '::1', family: 6 },
      ]);
      const remote = await new Promise<string | undefined>((resolve, reject) => {
        const s = connect({ host: 'localhost', port, lookup }, () => {
          resolve(s.remoteAddress);
          s.destroy();
        });
        s.on('error', reject);
      });
      expect(remote).toBe('::1');
    } finally {
      server.close();
    }
  });

  it('answers a family-specific lookup with that family only, or ENOTFOUND', async () => {
    const lookup = lookupFrom('h', [{ address: '127.0.0.1', family: 4 }]);
    const one = (family: number) =>
      new Promise<[Error | null, string]>((resolve) => lookup('h', { family }, (err, address) => resolve([err, address as string])));
    expect(await one(4)).toEqual([null, '127.0.0.1']);
    const [err] = await one(6);
    expect((err as NodeJS.ErrnoException).code).toBe('ENOTFOUND');
  });
});
