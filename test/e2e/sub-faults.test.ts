// mqtt-sub under faults (issue 11): memory stays bounded toward a slow reader,
// and every clean exit says goodbye with DISCONNECT.
import { spawn, spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireMosquitto, startBroker, type Broker } from '../helpers/broker.js';
import { startRelay } from './capture-relay.js';
import { pub, run } from './pub-run.js';
import { subscribe } from './raw-subscriber.js';
import { requireBuild, SUB_BIN } from './sub-helpers.js';

let broker: Broker;
let tmp: string;
beforeAll(async () => {
  requireBuild();
  requireMosquitto();
  broker = await startBroker();
  tmp = mkdtempSync(join(tmpdir(), 'sub-faults-'));
});
afterAll(async () => {
  await broker?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

const at = (port: number): string[] => ['-h', '127.0.0.1', '-p', String(port)];
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const rssMiB = (pid: number): number => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;

describe('mqtt-sub toward a stdout nobody reads', () => {
  it('1 MiB messages: the backlog is bounded by bytes (reading the socket stops), not only by count', async () => {
    const file = join(tmp, 'mib');
    writeFileSync(file, Buffer.alloc(1024 * 1024, 0x61));
    // stdout is a pipe this test never reads: it fills at once.
    const sub = spawn(process.execPath, [SUB_BIN, ...at(broker.port), '-t', 'faults/big'], { stdio: ['ignore', 'pipe', 'pipe'] });
    sub.stdout.pause();
    await sleep(700);
    const sent = await pub([...at(broker.port), '-t', 'faults/big', '-f', file, '--repeat', '200'], { timeoutMs: 60_000 });
    expect(sent.status).toBe(0);
    await sleep(1500);
    const rss = rssMiB(sub.pid as number);
    sub.kill('SIGKILL');
    expect(rss).toBeLessThan(140);
  }, 60_000);
});

describe('every clean exit of mqtt-sub sends the DISCONNECT its protocol version allows (no Will)', () => {
  const endings: [string, string[], NodeJS.Signals | undefined][] = [
    ['SIGINT', [], 'SIGINT'],
    ['SIGTERM', [], 'SIGTERM'],
    ['-W expiry', ['-W', '1'], undefined],
  ];
  for (const version of ['mqttv31', 'mqttv311']) {
    for (const [name, extra, signal] of endings) {
      it(`${version}, ${name}: the broker does not publish the Will`, async () => {
        const topic = `faults/will/${version}/${name}`;
        const watcher = await subscribe(broker.port, topic, 0);
        const sub = spawn(process.execPath, [SUB_BIN, ...at(broker.port), '-V', version, '-t', 'faults/nothing', '--will-topic', topic, '--will-payload', 'gone', '-d', ...extra], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        const exited = new Promise<number | null>((r) => sub.on('close', r));
        // Signal only once subscribed (-d says so): a signal before CONNACK is another case (255).
        await new Promise<void>((r) => {
          let out = '';
          sub.stdout.on('data', (d: Buffer) => {
            out += d.toString();
            if (out.includes('received SUBACK')) r();
          });
        });
        if (signal) sub.kill(signal);
        const status = await exited;
        await sleep(400);
        watcher.close();
        expect(watcher.messages).toEqual([]);
        expect(status).toBe(signal ? 0 : 27);
      });
    }
  }

  it('-d prints the same "sending DISCONNECT" ending as mosquitto_sub -d (bytes compared)', async () => {
    const args = [...at(broker.port), '-t', 'faults/nothing', '-W', '1', '-d', '-i', `faults-d-${process.pid}`];
    const ours = await new Promise<Buffer>((resolve) => {
      const c = spawn(process.execPath, [SUB_BIN, ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
      const out: Buffer[] = [];
      c.stdout.on('data', (d: Buffer) => out.push(d));
      c.on('close', () => resolve(Buffer.concat(out)));
    });
    const theirs = spawnSync('mosquitto_sub', args).stdout;
    expect(ours.toString()).toMatch(/sending DISCONNECT\n$/);
    expect(ours.toString()).toBe(theirs.toString());
  });
});

describe('mqtt-sub and a link lost between SUBSCRIBE and SUBACK', () => {
  it('reconnects and subscribes again (-d shows it), then prints the retained message', async () => {
    expect((await pub([...at(broker.port), '-t', 'faults/resub', '-m', 'kept', '-r', '-q', '1'])).status).toBe(0);
    const relay = await startRelay(broker.port, { version: 4, cutBefore: 'subscribe', cutConnections: 1 });
    const sub = spawn(process.execPath, [SUB_BIN, ...at(relay.port), '-t', 'faults/resub', '-C', '1', '-d'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    sub.stdout.on('data', (d: Buffer) => (out += d.toString()));
    sub.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const status = await new Promise<number | null>((r) => sub.on('close', r));
    await relay.close();
    await pub([...at(broker.port), '-t', 'faults/resub', '-n', '-r', '-q', '1']);
    expect(err).toBe('');
    expect(status).toBe(0);
    expect(out.match(/sending CONNECT/g)).toHaveLength(2);
    expect(out.match(/sending SUBSCRIBE/g)).toHaveLength(2);
    expect(out).toMatch(/\nkept\n/);
  }, 15_000);
});

describe('an MQTT 5 CONNECT answered 20 02 00 01 (a v3.1.1-only broker such as aedes; scripted here)', () => {
  let fake: Server;
  let port: number;
  beforeAll(async () => {
    fake = createServer((c) => {
      c.on('error', () => {});
      c.once('data', () => c.write(Buffer.from([0x20, 0x02, 0x00, 0x01])));
    });
    await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
    port = (fake.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => fake.close(() => r())));

  for (const tool of ['mqtt-pub', 'mqtt-sub']) {
    it(`${tool}: "Unsupported Protocol Version" with mosquitto's hint, status 132`, async () => {
      const bin = tool === 'mqtt-pub' ? SUB_BIN.replace('mqtt-sub.js', 'mqtt-pub.js') : SUB_BIN;
      const extra = tool === 'mqtt-pub' ? ['-m', 'x'] : [];
      // Not spawnSync: the scripted broker runs in this process.
      const r = await run(process.execPath, [bin, ...at(port), '-V', '5', '-t', 'faults/v', ...extra], { timeoutMs: 10_000 });
      expect(r.stderr).toBe('Connection error: Unsupported Protocol Version. Try connecting to an MQTT v5 broker, or use MQTT v3.x mode.\n');
      expect(r.status).toBe(132);
    });
  }
});
