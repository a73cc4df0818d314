// mqtt-pub under faults (issue 11): what was requested but never sent is
// counted, and an oversized -l line stops the run at that line whatever the
// input chunking.
import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireMosquitto, startBroker, type Broker } from '../helpers/broker.js';
import { startFakeBroker } from '../helpers/fake-broker.js';
import { startRelay } from './capture-relay.js';
import { PUB_BIN, pub, requireBuild } from './pub-run.js';
import { subscribe } from './raw-subscriber.js';

let broker: Broker;
beforeAll(async () => {
  requireBuild();
  requireMosquitto();
  broker = await startBroker({ global: ['max_packet_size 200'] });
});
afterAll(async () => broker?.stop());

const at = (port: number): string[] => ['-h', '127.0.0.1', '-p', String(port)];
const texts = (ms: { payload: Uint8Array }[]): string[] => ms.map((m) => Buffer.from(m.payload).toString());

describe('mqtt-pub counts what it could not send', () => {
  it('--repeat 3000 -q 1 with the link cut after 800: the never-sent are counted as unconfirmed too', async () => {
    const relay = await startRelay(broker.port, { version: 4, cutAfterPublishes: 800 });
    const r = await pub([...at(relay.port), '-t', 'faults/rep', '-m', 'x', '-q', '1', '--repeat', '3000']);
    await relay.close();
    expect(r.status).toBe(41);
    const m = /^Error: (\d+) of 3000 messages not confirmed by the broker \(connection lost\)\. (\d+) of them were never sent\.$/m.exec(r.stderr);
    expect(m, r.stderr).not.toBeNull();
    const [unconfirmed, unsent] = [Number(m?.[1]), Number(m?.[2])];
    expect(unsent).toBeGreaterThanOrEqual(3000 - 800 - 20); // at most -M (20) in flight beyond the 800
    expect(unconfirmed).toBeGreaterThanOrEqual(unsent);
    expect(unconfirmed).toBeLessThanOrEqual(3000 - 780);
  });
});

describe('-l with a line over the broker\'s Maximum Packet Size (200)', () => {
  const big = 'x'.repeat(500);
  const lines = ['a', 'b', big, 'c', 'd'];

  async function run(topic: string, chunks: string[]): Promise<{ status: number | null; stderr: string; got: string[] }> {
    const sub = await subscribe(broker.port, topic, 1);
    const child = spawn(process.execPath, [PUB_BIN, ...at(broker.port), '-V', '5', '-t', topic, '-l', '-q', '1'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdin.on('error', () => {});
    const status = new Promise<number | null>((res) => child.on('close', res));
    for (const c of chunks) {
      child.stdin.write(c);
      await new Promise((res) => setTimeout(res, 100));
    }
    child.stdin.end();
    const s = await status;
    await new Promise((res) => setTimeout(res, 200));
    sub.close();
    return { status: s, stderr, got: texts(sub.messages) };
  }

  it('stops at the bad line, the same way whether the input came in one chunk or line by line', async () => {
    const one = await run('faults/big1', [`${lines.join('\n')}\n`]);
    const each = await run('faults/big2', lines.map((l) => `${l}\n`));
    for (const r of [one, each]) {
      expect(r.got).toEqual(['a', 'b']);
      expect(r.status).toBe(25);
      expect(r.stderr).toMatch(/^Error: Line 3: .*maximum packet size \(200\); 2 lines before it were published, none after it\.\n$/);
    }
  });
});

describe('mqtt-pub never hangs', () => {
  it('QoS 0 with a payload large enough to be written at once (300 kB, twice): exits 0', async () => {
    const sub = await subscribe(queuing.port, 'faults/q0big', 0, 4);
    const big = Buffer.alloc(300_000, 0x62);
    const r = await pub([...at(queuing.port), '-t', 'faults/q0big', '-s', '--repeat', '2'], { stdin: big, timeoutMs: 10_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect((await sub.waitFor(2)).map((m) => m.payload.length)).toEqual([300_000, 300_000]);
    sub.close();
  });

  let queuing: Broker;
  beforeAll(async () => {
    queuing = await startBroker({ global: ['max_queued_messages 2000', 'queue_qos0_messages true'] });
  });
  afterAll(async () => queuing?.stop());

  it('-c -i ID on a session holding 1,500 queued messages: acknowledges and drops them, sees its PUBACK, exits 0', async () => {
    const id = `faults-queued-${process.pid}`;
    const sub = spawnSync('mosquitto_sub', [...at(queuing.port), '-c', '-i', id, '-t', 'faults/queued', '-q', '1', '-E']);
    expect(sub.status).toBe(0);
    // Large enough that they cannot all arrive in the socket reads before our PUBACK.
    const lines = Array.from({ length: 1500 }, (_, i) => `${i}`.padEnd(1000, '.')).join('\n');
    expect((await pub([...at(queuing.port), '-t', 'faults/queued', '-l'], { stdin: `${lines}\n` })).status).toBe(0);
    const r = await pub([...at(queuing.port), '-c', '-i', id, '-t', 'faults/other', '-m', 'hi', '-q', '1', '-d'], { timeoutMs: 10_000 });
    const debug = r.stdout.toString();
    expect(debug.match(/received PUBLISH/g)).toHaveLength(1500);
    expect(debug).toMatch(/received PUBACK .*\n.*sending DISCONNECT\n$/);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('a QoS 2 PUBLISH answered with PUBACK (RabbitMQ 3.10 does this; no Mosquitto does, hence a fake broker)', () => {
  for (const mode of [['-m', 'x'], ['-l']]) {
    it(`${mode[0]}: a protocol error, one line, status 2, at once`, async () => {
      const fake = await startFakeBroker(4);
      const started = Date.now();
      const running = pub(['-h', '127.0.0.1', '-p', String(fake.port), '-t', 'faults/q2', '-q', '2', ...mode], { stdin: 'x\n', timeoutMs: 10_000 });
      const c = await fake.connection();
      await c.accept();
      const p = await c.expect('publish');
      c.send({ type: 'puback', packetId: p.packetId as number, reasonCode: 0 });
      const r = await running;
      await fake.close();
      expect(r.stderr).toMatch(/^Error: .*PUBACK for packet id 1, a QoS 2 message that expects PUBREC.*\n$/);
      expect(r.status).toBe(2);
      expect(Date.now() - started).toBeLessThan(3000);
    });
  }
});
