// mqtt-pub over the other ways to reach a broker: --unix, -L ws://, and a
// SOCKS5 proxy (--proxy socks5h://user:pass@host:port) that resolves the name.
import { spawnSync } from 'node:child_process';
import { WebSocketServer } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, requireMosquitto, startBroker, type Broker } from '../helpers/broker.js';
import { startSocksProxy, type SocksProxy } from '../helpers/socks-proxy.js';
import { pub, requireBuild } from './pub-run.js';
import { subscribe } from './raw-subscriber.js';

let broker: Broker;
let proxy: SocksProxy;

beforeAll(async () => {
  requireBuild();
  requireMosquitto();
  broker = await startBroker({ unix: true, ws: true });
  proxy = await startSocksProxy({ username: 'pu', password: 'p:w' });
});
afterAll(async () => {
  await proxy?.close();
  await broker?.stop();
});

async function delivered(topic: string, args: string[]): Promise<void> {
  const sub = await subscribe(broker.port, topic);
  const r = await pub([...args, '-m', `via ${topic}`, '-q', '1']);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(Buffer.from((await sub.waitFor(1))[0]!.payload).toString()).toBe(`via ${topic}`);
  sub.close();
}

describe('mqtt-pub transports', () => {
  it('--unix', async () => {
    await delivered('tr/unix', ['--unix', broker.unixPath, '-t', 'tr/unix']);
  });

  it('-L ws://host:port/topic', async () => {
    await delivered('tr/ws', ['-L', `ws://127.0.0.1:${broker.wsPort}/tr/ws`]);
  });

  it('a later -L replaces an earlier one whole: ws:// then mqtt:// is plain MQTT (issue 10)', async () => {
    await delivered('tr/relink', ['-L', `ws://127.0.0.1:${broker.wsPort}/tr/old`, '-L', `mqtt://127.0.0.1:${broker.port}/tr/relink`]);
  });

  it('--proxy socks5h:// with percent-encoded credentials; the proxy resolves the broker name', async () => {
    await delivered('tr/socks', ['-h', 'localhost', '-p', String(broker.port), '-t', 'tr/socks',
      '--proxy', `socks5h://pu:p%3Aw@127.0.0.1:${proxy.port}`]);
    expect(proxy.logins).toContainEqual(['pu', 'p:w']);
    expect(proxy.requests.at(-1)).toMatchObject({ atyp: 3, host: 'localhost', port: broker.port });
  });

  it('a proxy that cannot be reached is a failed connect, as mosquitto_pub says it: stderr and status 1', async () => {
    const args = ['-t', 'tr/x', '-m', 'x', '--proxy', `socks5h://127.0.0.1:${await freePort()}`];
    const theirs = spawnSync('mosquitto_pub', args, { encoding: 'utf8', timeout: 10_000 });
    const r = await pub(args);
    expect([r.stderr, r.status]).toEqual([theirs.stderr, theirs.status]);
    expect(r.stderr).toBe('Error: Connection refused\n');
  });

  it('a proxy that refuses the login exits 16', async () => {
    const r = await pub(['-h', 'localhost', '-p', String(broker.port), '-t', 'tr/x', '-m', 'x',
      '--proxy', `socks5h://pu:wrong@127.0.0.1:${proxy.port}`]);
    expect(r.status).toBe(16);
  });

  it('--ws with -h and -p (mosquitto 2.1), to /mqtt', async () => {
    await delivered('tr/ws2', ['--ws', '-h', '127.0.0.1', '-p', String(broker.wsPort), '-t', 'tr/ws2']);
  });

  it('--ws-path chooses the HTTP path (RabbitMQ listens on /ws); -L ws:// asks for /mqtt', async () => {
    const paths: string[] = [];
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    wss.on('connection', (sock, req) => {
      paths.push(req.url ?? '');
      sock.close();
    });
    await new Promise<void>((r) => wss.once('listening', () => r()));
    const port = (wss.address() as { port: number }).port;
    await pub(['--ws', '-h', '127.0.0.1', '-p', String(port), '--ws-path', '/ws', '-t', 'a', '-m', 'x']);
    await pub(['-L', `ws://127.0.0.1:${port}/some/topic`, '-m', 'x']);
    await pub(['-L', `ws://127.0.0.1:${port}/some/topic`, '--ws-path', 'ws', '-m', 'x']);
    await new Promise<void>((r) => wss.close(() => r()));
    expect(paths).toEqual(['/ws', '/mqtt', '/ws']);
  });

  it('--no-tls undoes TLS options (from an options file, say): a plain connection', async () => {
    await delivered('tr/notls', ['--cafile', '/nonexistent/ca.pem', '--no-tls', '-h', '127.0.0.1', '-p', String(broker.port), '-t', 'tr/notls']);
  });

  it('ws:// to a port that is not a WebSocket listener: the connection was lost (7), as 2.1 says', async () => {
    const r = await pub(['-L', `ws://127.0.0.1:${broker.port}/tr/x`, '-m', 'x']);
    expect(r.stderr).toBe('Error: The connection was lost.\n');
    expect(r.status).toBe(7);
  });

  it('wss:// to a plain WebSocket port: a TLS error (8) with OpenSSL\'s reason, not Node\'s raw message', async () => {
    const r = await pub(['-L', `wss://127.0.0.1:${broker.wsPort}/tr/x`, '-m', 'x']);
    expect(r.stderr).toBe('Error: A TLS error occurred: wrong version number\n');
    expect(r.status).toBe(8);
  });
});
