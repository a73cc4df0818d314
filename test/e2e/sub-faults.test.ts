// mqtt-sub under faults (issue 11): memory stays bounded toward a slow reader,
// and every clean exit says goodbye with DISCONNECT.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireMosquitto, startBroker, type Broker } from '../helpers/broker.js';
import { pub } from './pub-run.js';
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
