// mqtt-sub reads a busy QoS 0 stream in paced batches (ClientOptions.paceReads,
// the socket opened with net's `onread`). What must hold through a real broker:
// every message arrives whole and in order, a payload that spans many reads is
// intact, the reads are far fewer than the messages, and a QoS 1 subscription
// (which has acknowledgements to send) is not paced.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireMosquitto, startBroker, type Broker } from '../helpers/broker.js';
import { mosquittoPub, requireBuild, runSub, testEnv, unique, waitForSuback } from './sub-helpers.js';

const N = 20_000;
let broker: Broker;
let counter: string;

beforeAll(async () => {
  requireBuild();
  requireMosquitto();
  // Unlimited queues: a QoS 0 burst must reach a momentarily slow subscriber whole.
  broker = await startBroker({ global: ['max_queued_messages 0', 'max_queued_bytes 0'] });
  // Counts the small socket reads the tool sees (each read is one 'data' event on
  // the socket; reads of 16 KiB or more are never paced) and the span they cover.
  counter = join(broker.dir, 'count-reads.cjs');
  writeFileSync(
    counter,
    "const net = require('net'); let reads = 0, first = 0, last = 0; const emit = net.Socket.prototype.emit;\n" +
      "net.Socket.prototype.emit = function (ev, d) { if (ev === 'data' && d.length < 16384) { reads++; last = Date.now(); first ||= last; } return emit.apply(this, arguments); };\n" +
      "process.on('exit', () => require('fs').writeSync(2, 'READS ' + reads + ' SPAN ' + (last - first) + '\\n'));\n",
  );
});
afterAll(async () => broker?.stop());

async function burst(qos: string): Promise<{ lines: string[]; reads: number; spanMs: number; code: number | null }> {
  const id = unique('paced');
  const topic = `${id}/t`;
  const sub = runSub(['-p', String(broker.port), '-i', id, '-t', topic, '-q', qos, '-C', String(N)], {
    env: testEnv({ NODE_OPTIONS: `-r ${counter}` }),
    killAfterMs: 60_000,
  });
  await waitForSuback(broker, [id]);
  const input = Array.from({ length: N }, (_, i) => `message ${i}`).join('\n');
  mosquittoPub(broker.port, ['-t', topic, '-q', qos, '-l'], `${input}\n`);
  const r = await sub.done;
  const m = /READS (\d+) SPAN (\d+)/.exec(r.stderr);
  return { lines: r.stdout.toString().split('\n').slice(0, -1), reads: Number(m?.[1]), spanMs: Number(m?.[2]), code: r.code };
}

describe('paced reads (QoS 0 subscriber)', () => {
  it('a burst arrives whole and in order, at most about two small reads a millisecond', async () => {
    const r = await burst('0');
    expect(r.code).toBe(0);
    expect(r.lines.length).toBe(N);
    expect(r.lines.every((l, i) => l === `message ${i}`)).toBe(true);
    // Paced: a second small read in one millisecond waits for the next (unpaced, a
    // fast reader here does 4-6 a millisecond, one per packet or two).
    expect(r.reads).toBeLessThanOrEqual(2 * (r.spanMs + 1) + 2);
  }, 90_000);

  it('a QoS 1 subscription is not paced, and gets everything too', async () => {
    const r = await burst('1');
    expect(r.code).toBe(0);
    expect(r.lines.length).toBe(N);
    expect(r.lines.every((l, i) => l === `message ${i}`)).toBe(true);
  }, 90_000);

  it('a payload spanning many reads is intact', async () => {
    const id = unique('paced-big');
    const topic = `${id}/t`;
    const sub = runSub(['-p', String(broker.port), '-i', id, '-t', topic, '-C', '3'], { killAfterMs: 60_000 });
    await waitForSuback(broker, [id]);
    const payloads = [300_000, 5, 1_000_000].map((n, k) => Buffer.alloc(n, 97 + k));
    for (const p of payloads) mosquittoPub(broker.port, ['-t', topic, '-s'], p);
    const r = await sub.done;
    expect(r.code).toBe(0);
    expect(r.stdout.equals(Buffer.concat(payloads.flatMap((p) => [p, Buffer.from('\n')])))).toBe(true);
  }, 90_000);
});
