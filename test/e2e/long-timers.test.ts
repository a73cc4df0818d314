// Durations past Node's 2^31-1 ms timer limit (-W 2147484 is 2,147,484,000 ms)
// must neither fire after 1 ms nor print Node's TimeoutOverflowWarning.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type Broker } from '../helpers/broker.js';
import { PUB_BIN, requireBuild } from './pub-run.js';
import { runSub, testEnv } from './sub-helpers.js';

let b: Broker;
beforeAll(async () => {
  requireBuild();
  b = await startBroker();
});
afterAll(async () => b?.stop());

/** Waits `ms`, then reports whether the child is still running and what it wrote to stderr. */
async function stillRunningAfter(ms: number, done: Promise<unknown>, kill: () => void): Promise<boolean> {
  const alive = await Promise.race([done.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), ms))]);
  kill();
  await done;
  return alive;
}

describe('timers above 2^31-1 ms', () => {
  it('mqtt-sub -W 2147484 waits, with no Node warning', async () => {
    const run = runSub(['-h', '127.0.0.1', '-p', String(b.port), '-t', 'long/w', '-W', '2147484']);
    expect(await stillRunningAfter(1500, run.done, () => run.proc.kill('SIGKILL'))).toBe(true);
    expect(run.stderr()).not.toMatch(/TimeoutOverflowWarning|does not fit/);
    expect(run.stderr()).toBe('');
  });

  it('mqtt-pub --repeat-delay 2147484 waits between messages, with no Node warning', async () => {
    const args = ['-h', '127.0.0.1', '-p', String(b.port), '-t', 'long/p', '-m', 'x', '--repeat', '2', '--repeat-delay', '2147484'];
    const child = spawn(process.execPath, [PUB_BIN, ...args], { env: testEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const done = new Promise((r) => child.on('close', r));
    expect(await stillRunningAfter(1500, done, () => child.kill('SIGKILL'))).toBe(true);
    expect(err).not.toMatch(/TimeoutOverflowWarning|does not fit/);
    expect(err).toBe('');
  });

  it('mqtt-rr -W 2147484 waits for the response, with no Node warning', async () => {
    const rr = join(dirname(PUB_BIN), 'mqtt-rr.js');
    const args = ['-h', '127.0.0.1', '-p', String(b.port), '-t', 'long/req', '-e', 'long/resp', '-m', 'q', '-W', '2147484'];
    const child = spawn(process.execPath, [rr, ...args], { env: testEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const done = new Promise((r) => child.on('close', r));
    expect(await stillRunningAfter(1500, done, () => child.kill('SIGKILL'))).toBe(true);
    expect(err).not.toMatch(/TimeoutOverflowWarning|does not fit/);
    expect(err).toBe('');
  });
});
