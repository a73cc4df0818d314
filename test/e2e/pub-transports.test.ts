// mqtt-pub over the other ways to reach a broker: --unix, -L ws://, and a
// SOCKS5 proxy (--proxy socks5h://user:pass@host:port) that resolves the name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireMosquitto, startBroker, type Broker } from '../helpers/broker.js';
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

  it('a proxy that refuses the login exits 16', async () => {
    const r = await pub(['-h', 'localhost', '-p', String(broker.port), '-t', 'tr/x', '-m', 'x',
      '--proxy', `socks5h://pu:wrong@127.0.0.1:${proxy.port}`]);
    expect(r.status).toBe(16);
  });
});
