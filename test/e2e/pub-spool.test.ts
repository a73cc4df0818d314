// --spool DIR end to end (test plan F7): messages sent but never acknowledged
// survive a SIGKILL and a lost link, and the next run with the same spool sends
// them first; nothing is left behind once everything is acknowledged.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { requireMosquitto, startBroker, type Broker } from '../helpers/broker.js';
import { startRelay } from './capture-relay.js';
import { PUB_BIN, pub, requireBuild } from './pub-run.js';
import { subscribe } from './raw-subscriber.js';

let broker: Broker;
let spool: string;
beforeAll(async () => {
  requireBuild();
  requireMosquitto();
  broker = await startBroker();
});
afterAll(async () => broker?.stop());
beforeEach(() => {
  const dir = mkdtempSync(join(tmpdir(), 'pub-spool-'));
  spool = join(dir, 'spool');
  return () => rmSync(dir, { recursive: true, force: true });
});

const at = (port: number): string[] => ['-h', '127.0.0.1', '-p', String(port)];
const texts = (ms: { payload: Uint8Array }[]): string[] => ms.map((m) => Buffer.from(m.payload).toString());

describe('--spool', () => {
  it('SIGKILL with three messages unacknowledged: the next run sends them first, then its own, and leaves nothing (F7)', async () => {
    const relay = await startRelay(broker.port, { version: 4, swallowAcks: true });
    const child = spawn(process.execPath, [PUB_BIN, ...at(relay.port), '-t', 'spool/a', '-l', '-q', '1', '--spool', spool], {
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    const exited = new Promise((r) => child.on('close', r));
    child.stdin.write('one\ntwo\nthree\n');
    for (let i = 0; i < 100 && relay.sent.filter((p) => p.type === 'publish').length < 3; i++) await new Promise((r) => setTimeout(r, 50));
    expect(relay.sent.filter((p) => p.type === 'publish')).toHaveLength(3);
    child.kill('SIGKILL');
    await exited;
    await relay.close();
    expect(existsSync(join(spool, 'journal'))).toBe(true);

    const sub = await subscribe(broker.port, 'spool/#', 1);
    const r = await pub([...at(broker.port), '-t', 'spool/b', '-m', 'four', '-q', '1', '--spool', spool]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const got = await sub.waitFor(4);
    expect(texts(got)).toEqual(['one', 'two', 'three', 'four']);
    expect(got.map((m) => m.topic)).toEqual(['spool/a', 'spool/a', 'spool/a', 'spool/b']);
    sub.close();
    expect(existsSync(join(spool, 'journal'))).toBe(false);
    expect(existsSync(join(spool, 'lock'))).toBe(false);
  });

  it('a lost link: exit 41, the count and where they are kept on stderr; the next run delivers them', async () => {
    const relay = await startRelay(broker.port, { version: 4, swallowAcks: true, cutAfterPublishes: 2 });
    const r = await pub([...at(relay.port), '-t', 'spool/c', '-m', 'kept', '-q', '1', '--repeat', '2', '--spool', spool]);
    await relay.close();
    expect(r.status).toBe(41);
    expect(r.stderr).toContain(`2 messages kept in spool ${spool}; the next run with --spool ${spool} sends them first.`);
    expect(r.stderr).toContain('2 of 2 messages not confirmed by the broker');

    const sub = await subscribe(broker.port, 'spool/c', 1);
    const again = await pub([...at(broker.port), '-t', 'spool/c', '-m', 'new', '-q', '1', '--spool', spool]);
    expect(again.status).toBe(0);
    expect(texts(await sub.waitFor(3))).toEqual(['kept', 'kept', 'new']);
    sub.close();
  });

  it('QoS 2 cut off between PUBREC and PUBCOMP with the session lost: kept, and delivered by the next run', async () => {
    const sub = await subscribe(broker.port, 'spool/q2', 2);
    const relay = await startRelay(broker.port, { version: 4, cutBefore: 'pubrel', cutConnections: 1 });
    const r = await pub([...at(relay.port), '-t', 'spool/q2', '-m', 'q2', '-q', '2', '--retry', '1', '--spool', spool]);
    await relay.close();
    expect(r.status).toBe(41);
    expect(r.stderr).toContain(`1 message kept in spool ${spool}`);
    expect((await pub([...at(broker.port), '-t', 'spool/q2', '-m', 'next', '-q', '2', '--spool', spool])).status).toBe(0);
    // The subscriber was there all along: Mosquitto never passed the first copy on (it
    // does so at PUBREL), so it arrives once, from the second run.
    await sub.waitFor(2);
    await new Promise((res) => setTimeout(res, 300));
    expect(texts(sub.messages)).toEqual(['q2', 'next']);
    sub.close();
  });

  it('a spool in use by a running mqtt-pub is refused at once (exit 1)', async () => {
    const relay = await startRelay(broker.port, { version: 4 });
    const child = spawn(process.execPath, [PUB_BIN, ...at(relay.port), '-t', 'spool/d', '-l', '-q', '1', '--spool', spool], {
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    const exited = new Promise<number | null>((res) => child.on('close', res));
    await relay.connacked;
    const r = await pub([...at(broker.port), '-t', 'spool/d', '-m', 'x', '-q', '1', '--spool', spool]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`Error: Spool directory "${spool}" is in use by process ${child.pid}.\n`);
    child.stdin.end();
    expect(await exited).toBe(0);
    await relay.close();
  });

  it('six runs started at once on one spool: exactly one gets it, the others exit 1', async () => {
    const relay = await startRelay(broker.port, { version: 4 });
    const kids = Array.from({ length: 6 }, () => {
      const child = spawn(process.execPath, [PUB_BIN, ...at(relay.port), '-t', 'spool/g', '-l', '-q', '1', '--spool', spool], {
        stdio: ['pipe', 'ignore', 'pipe'],
      });
      child.stdin.on('error', () => {});
      return { child, status: new Promise<number | null>((res) => child.on('close', res)) };
    });
    // The losers stop at once; the winner waits for its input.
    const early = await Promise.all(kids.map((k) => Promise.race([k.status, new Promise((res) => setTimeout(() => res('running'), 3000))])));
    expect(early.filter((x) => x === 1)).toHaveLength(5);
    expect(early.filter((x) => x === 'running')).toHaveLength(1);
    for (const k of kids) k.child.stdin.end('x\n');
    expect((await Promise.all(kids.map((k) => k.status))).filter((x) => x === 0)).toHaveLength(1);
    await relay.close();
  });

  it('a first connection that fails keeps the message (journalled before the attempt) for the next run; the spool is unlocked', async () => {
    const r = await pub([...at(1), '-t', 'spool/f', '-m', 'early', '-q', '1', '--repeat', '2', '--spool', spool]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`2 messages kept in spool ${spool}; the next run with --spool ${spool} sends them first.`);
    expect(existsSync(join(spool, 'lock'))).toBe(false);
    const sub = await subscribe(broker.port, 'spool/f', 1);
    expect((await pub([...at(broker.port), '-t', 'spool/f', '-m', 'late', '-q', '1', '--spool', spool])).status).toBe(0);
    expect(texts(await sub.waitFor(3))).toEqual(['early', 'early', 'late']);
    sub.close();
  });

  it('-l: lines read after the link is lost for good are kept too, and delivered by the next run', async () => {
    const relay = await startRelay(broker.port, { version: 4, swallowAcks: true, cutAfterPublishes: 2 });
    const child = spawn(process.execPath, [PUB_BIN, ...at(relay.port), '-t', 'spool/l', '-l', '-q', '1', '--retry', '0', '--spool', spool], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((res) => child.on('close', res));
    child.stdin.on('error', () => {});
    child.stdin.write('l1\nl2\n');
    for (let i = 0; i < 100 && relay.sent.filter((p) => p.type === 'publish').length < 2; i++) await new Promise((res) => setTimeout(res, 50));
    await new Promise((res) => setTimeout(res, 300)); // the link is gone now
    child.stdin.end('l3\nl4\nl5\n');
    const status = await exited;
    await relay.close();
    expect(stderr).toContain(`5 messages kept in spool ${spool}`);
    expect(status).toBe(41);
    const sub = await subscribe(broker.port, 'spool/l', 1);
    expect((await pub([...at(broker.port), '-t', 'spool/l', '-m', 'l6', '-q', '1', '--spool', spool])).status).toBe(0);
    expect(texts(await sub.waitFor(6))).toEqual(['l1', 'l2', 'l3', 'l4', 'l5', 'l6']);
    sub.close();
  });

  it('QoS 0 with --spool is a usage error', async () => {
    const r = await pub([...at(broker.port), '-t', 'spool/e', '-m', 'x', '--spool', spool]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^Error: --spool needs -q 1 or 2/);
    expect(existsSync(spool)).toBe(false);
  });
});
