// Strings a broker chooses (reason strings in CONNACK, PUBACK, PUBREC and
// DISCONNECT, an Assigned Client Identifier shown by -d) reach a terminal only
// with their control characters escaped: a hostile broker must not retitle the
// window (OSC 0), write the clipboard (OSC 52), clear the screen or add lines.
import { spawn } from 'node:child_process';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeBroker, type FakeBroker } from '../helpers/fake-broker.js';
import { PUB_BIN, requireBuild } from './pub-run.js';
import { SUB_BIN, testEnv } from './sub-helpers.js';

const HOSTILE = '\u001b]0;pwned\u0007\u001b]52;c;aGk=\u0007\u001b[2J\u009b31mred\nInjected line';
const ESCAPED = '\\x1b]0;pwned\\x07\\x1b]52;c;aGk=\\x07\\x1b[2J\\xc2\\x9b31mred\\x0aInjected line';

/** Nothing in `text` can act on a terminal: no C0 other than newline, no DEL, no C1. */
function expectInert(text: string): void {
  expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  expect(text).not.toMatch(/^Injected line/m);
}

interface Done {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runBin(bin: string, args: string[]): Promise<Done> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [bin, ...args], { env: testEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const t = setTimeout(() => p.kill('SIGKILL'), 10_000);
    p.on('close', (code) => {
      clearTimeout(t);
      resolve({ code, stdout, stderr });
    });
  });
}

let broker: FakeBroker;
beforeAll(() => requireBuild());
afterEach(async () => broker?.close());

const pubArgs = (extra: string[]): string[] => ['-h', '127.0.0.1', '-p', String(broker.port), '-V', '5', '-t', 't', '-m', 'x', ...extra];

describe('broker-supplied strings are escaped', () => {
  it('a CONNACK reason string', async () => {
    broker = await startFakeBroker(5);
    const run = runBin(PUB_BIN, pubArgs([]));
    const c = await broker.connection();
    await c.expect('connect');
    c.send({ type: 'connack', sessionPresent: false, reasonCode: 0x87, properties: { reasonString: HOSTILE } });
    const r = await run;
    expect(r.code).toBe(135);
    expect(r.stderr).toContain(ESCAPED);
    expectInert(r.stderr);
  });

  it('an Assigned Client Identifier in -d lines, and a PUBACK reason string', async () => {
    broker = await startFakeBroker(5);
    const run = runBin(PUB_BIN, pubArgs(['-d', '-q', '1', '-i', '']));
    const c = await broker.connection();
    await c.expect('connect');
    c.send({ type: 'connack', sessionPresent: false, reasonCode: 0, properties: { assignedClientIdentifier: HOSTILE } });
    const p = await c.expect('publish');
    c.send({ type: 'puback', packetId: p.packetId ?? 0, reasonCode: 0x87, properties: { reasonString: HOSTILE } });
    const r = await run;
    expect(r.code).toBe(40);
    expect(r.stdout).toContain(`Client ${ESCAPED} received CONNACK (0)`);
    expectInert(r.stdout);
    expect(r.stderr).toContain(ESCAPED);
    expectInert(r.stderr);
  });

  it('a PUBREC reason string', async () => {
    broker = await startFakeBroker(5);
    const run = runBin(PUB_BIN, pubArgs(['-q', '2']));
    const c = await broker.connection();
    await c.accept();
    const p = await c.expect('publish');
    c.send({ type: 'pubrec', packetId: p.packetId ?? 0, reasonCode: 0x87, properties: { reasonString: HOSTILE } });
    const r = await run;
    expect(r.code).toBe(40);
    expect(r.stderr).toContain(ESCAPED);
    expectInert(r.stderr);
  });

  it('a DISCONNECT reason string', async () => {
    broker = await startFakeBroker(5);
    const run = runBin(PUB_BIN, pubArgs(['--repeat', '2', '--repeat-delay', '5']));
    const c = await broker.connection();
    await c.accept();
    await c.expect('publish');
    c.send({ type: 'disconnect', reasonCode: 0x98, properties: { reasonString: HOSTILE } });
    const r = await run;
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(ESCAPED);
    expectInert(r.stderr);
  });

  it('mqtt-sub -d: an Assigned Client Identifier', async () => {
    broker = await startFakeBroker(5);
    const run = runBin(SUB_BIN, ['-h', '127.0.0.1', '-p', String(broker.port), '-V', '5', '-t', '#', '-d', '-C', '1', '-i', '']);
    const c = await broker.connection();
    await c.accept({ properties: { assignedClientIdentifier: HOSTILE } });
    const s = await c.expect('subscribe');
    c.send({ type: 'suback', packetId: s.packetId, reasonCodes: [0] });
    c.send({ type: 'publish', topic: 'a/b', payload: Buffer.from('p'), qos: 0, retain: false, dup: false });
    const r = await run;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Client ${ESCAPED} received CONNACK (0)`);
    const debug = r.stdout.split('\n').filter((l) => l.startsWith('Client') || l.includes('CONN')).join('\n');
    expectInert(debug);
  });
});
