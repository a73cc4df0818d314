// A tiny SOCKS5 proxy (RFC 1928 CONNECT, RFC 1929 username/password) for the
// transport tests. Loopback only: it listens on 127.0.0.1 and refuses to
// connect anywhere but 127.0.0.0/8, ::1 and 'localhost'. A test fixture, not
// product code.
import { createServer, connect, isIP, type Server, type Socket } from 'node:net';

export interface SocksRequest {
  /** 1 IPv4, 3 domain name, 4 IPv6 — tells socks5 from socks5h. */
  atyp: number;
  host: string;
  port: number;
}

export interface SocksProxy {
  port: number;
  /** Every CONNECT request seen, in order. */
  requests: SocksRequest[];
  /** Auth attempts (user, pass) seen. */
  logins: Array<[string, string]>;
  close(): Promise<void>;
}

export interface SocksProxyOptions {
  username?: string;
  password?: string;
}

/** Reads exact byte counts from a socket that is in paused mode. */
function reader(sock: Socket): (n: number) => Promise<Buffer> {
  let buf = Buffer.alloc(0);
  let want: { n: number; resolve: (b: Buffer) => void; reject: (e: Error) => void } | undefined;
  const pump = (): void => {
    if (want && buf.length >= want.n) {
      const out = buf.subarray(0, want.n);
      buf = buf.subarray(want.n);
      const w = want;
      want = undefined;
      w.resolve(out);
    }
  };
  const onData = (d: Buffer): void => {
    buf = Buffer.concat([buf, d]);
    pump();
  };
  sock.on('data', onData);
  sock.on('close', () => want?.reject(new Error('closed')));
  sock.on('error', () => {});
  return (n) =>
    new Promise((resolve, reject) => {
      want = { n, resolve, reject };
      pump();
    });
}

function loopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

const REPLY_OK = Buffer.from([5, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
const reply = (code: number): Buffer => Buffer.from([5, code, 0, 1, 0, 0, 0, 0, 0, 0]);

async function handle(client: Socket, o: SocksProxyOptions, p: SocksProxy): Promise<void> {
  const read = reader(client);
  const [ver, nMethods] = await read(2);
  const methods = [...(await read(nMethods ?? 0))];
  if (ver !== 5) return void client.destroy();
  const wantAuth = o.username !== undefined;
  const method = wantAuth ? (methods.includes(2) ? 2 : 0xff) : methods.includes(0) ? 0 : 0xff;
  client.write(Buffer.from([5, method]));
  if (method === 0xff) return void client.end();
  if (method === 2) {
    const [, ulen] = await read(2);
    const user = (await read(ulen ?? 0)).toString();
    const [plen] = await read(1);
    const pass = (await read(plen ?? 0)).toString();
    p.logins.push([user, pass]);
    const ok = user === o.username && pass === (o.password ?? '');
    client.write(Buffer.from([1, ok ? 0 : 1]));
    if (!ok) return void client.end();
  }
  const [, cmd, , atyp] = await read(4);
  let host: string;
  if (atyp === 1) host = [...(await read(4))].join('.');
  else if (atyp === 4) {
    const b = await read(16);
    host = Array.from({ length: 8 }, (_, i) => b.readUInt16BE(i * 2).toString(16)).join(':');
    if (host === '0:0:0:0:0:0:0:1') host = '::1';
  } else host = (await read((await read(1))[0] ?? 0)).toString();
  const port = (await read(2)).readUInt16BE(0);
  p.requests.push({ atyp: atyp ?? 0, host, port });
  if (cmd !== 1) return void client.end(reply(7));
  if (!loopback(host)) return void client.end(reply(2));
  const upstream = connect({ host: host === 'localhost' ? '127.0.0.1' : host, port });
  upstream.once('error', () => client.end(reply(5)));
  upstream.once('connect', () => {
    upstream.removeAllListeners('error');
    client.removeAllListeners('data');
    client.write(REPLY_OK);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
}

export async function startSocksProxy(o: SocksProxyOptions = {}): Promise<SocksProxy> {
  const sockets = new Set<Socket>();
  const proxy: SocksProxy = { port: 0, requests: [], logins: [], close: async () => {} };
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    handle(client, o, proxy).catch(() => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  proxy.port = typeof addr === 'object' && addr ? addr.port : 0;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return proxy;
}
