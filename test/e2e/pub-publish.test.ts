// mqtt-pub against the real broker: what a subscriber receives, byte for byte,
// plus stdout, stderr and the exit status.
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireMosquitto, startBroker, type Broker } from '../helpers/broker.js';
import { pub, requireBuild, run } from './pub-run.js';
import { subscribe } from './raw-subscriber.js';
import { startRelay } from './capture-relay.js';

let broker: Broker;
let dir: string;
let n = 0;
const topic = (): string => `e2e/pub/${process.pid}/${++n}`;
const at = (): string[] => ['-h', '127.0.0.1', '-p', String(broker.port)];

beforeAll(async () => {
  requireBuild();
  requireMosquitto();
  // Unlimited queue: the broker must not drop messages for our (slower) raw subscriber.
  broker = await startBroker({ global: ['max_queued_messages 0'] });
  dir = mkdtempSync(join(tmpdir(), 'mqtt-pub-e2e-'));
});
afterAll(async () => {
  await broker?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('mqtt-pub publishes', () => {
  it.each([0, 1, 2] as const)('-m at QoS %i', async (qos) => {
    const t = topic();
    const sub = await subscribe(broker.port, t);
    const r = await pub([...at(), '-t', t, '-m', 'hello wörld', '-q', String(qos)]);
    expect(r.status).toBe(0);
    expect(r.stdout.length).toBe(0);
    expect(r.stderr).toBe('');
    const [m] = await sub.waitFor(1);
    expect(m).toMatchObject({ topic: t, qos, retain: false });
    expect(Buffer.from(m!.payload)).toEqual(Buffer.from('hello wörld'));
    sub.close();
  });

  it('-r retains (a later subscriber gets it with retain set); -n sends an empty payload', async () => {
    const t = topic();
    expect((await pub([...at(), '-t', t, '-m', 'kept', '-r', '-q', '1'])).status).toBe(0);
    const sub = await subscribe(broker.port, t);
    const [m] = await sub.waitFor(1);
    expect(m!.retain).toBe(true);
    expect(Buffer.from(m!.payload).toString()).toBe('kept');
    expect((await pub([...at(), '-t', t, '-n', '-q', '1'])).status).toBe(0);
    const [, empty] = await sub.waitFor(2);
    expect(empty!.payload.length).toBe(0);
    sub.close();
  });

  it('-f and -s are binary-safe', async () => {
    const bytes = Buffer.alloc(1024);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 37) & 0xff;
    const file = join(dir, 'blob.bin');
    writeFileSync(file, bytes);
    const t = topic();
    const sub = await subscribe(broker.port, t);
    expect((await pub([...at(), '-t', t, '-f', file, '-q', '1'])).status).toBe(0);
    expect((await pub([...at(), '-t', t, '-s', '-q', '2'], { stdin: bytes })).status).toBe(0);
    const msgs = await sub.waitFor(2);
    expect(Buffer.from(msgs[0]!.payload)).toEqual(bytes);
    expect(Buffer.from(msgs[1]!.payload)).toEqual(bytes);
    sub.close();
  });

  it('--input hex / base64: binary payloads from -m, -f, -s and -l lines; a bad line stops -l after the good ones (exit 1)', async () => {
    const bytes = Buffer.from([0x00, 0xff, 0x1b, 0x80, 0x0a, 0x7f]);
    const file = join(dir, 'blob.b64');
    writeFileSync(file, `${bytes.toString('base64')}\n`);
    const t = topic();
    const sub = await subscribe(broker.port, t);
    expect((await pub([...at(), '-t', t, '--input', 'hex', '-m', '00 ff 1b 80 0a 7f', '-q', '1'])).status).toBe(0);
    expect((await pub([...at(), '-t', t, '--input', 'base64', '-f', file, '-q', '1'])).status).toBe(0);
    expect((await pub([...at(), '-t', t, '--input', 'hex', '-s', '-q', '1'], { stdin: '00ff1b\n800a7f\n' })).status).toBe(0);
    const lines = await pub([...at(), '-t', t, '--input', 'hex', '-l', '-q', '1'], { stdin: '00ff1b800a7f\n01\nnot hex\n02\n' });
    expect(lines.status).toBe(1);
    expect(lines.stderr).toBe('Error: Line 3 is not valid hex (pairs of 0-9 a-f, spaces allowed).\n');
    const msgs = await sub.waitFor(5);
    expect(msgs.slice(0, 4).map((m) => Buffer.from(m.payload))).toEqual([bytes, bytes, bytes, bytes]);
    expect(Buffer.from(msgs[4]!.payload)).toEqual(Buffer.from([0x01]));
    await new Promise((r) => setTimeout(r, 200));
    expect(sub.messages).toHaveLength(5); // nothing after the bad line
    const bad = await pub([...at(), '-t', t, '--input', 'base64', '-m', 'not base64!']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^Error: -m is not valid base64\./);
    sub.close();
  });

  it('a bad --input line ends the run with a proper DISCONNECT: the will is not published (control: a cut link publishes it)', async () => {
    const will = `${topic()}/will`;
    const watcher = await subscribe(broker.port, will, 1);
    const args = (port: number): string[] => ['-h', '127.0.0.1', '-p', String(port), '-t', topic(), '--input', 'hex', '-l', '-q', '1', '--will-topic', will, '--will-payload', 'gone'];
    const bad = await pub(args(broker.port), { stdin: '01\nzz\n' });
    expect(bad.status).toBe(1);
    await new Promise((r) => setTimeout(r, 500));
    expect(watcher.messages).toHaveLength(0);
    const relay = await startRelay(broker.port, { version: 4, cutAfterPublishes: 1 });
    await pub([...args(relay.port), '--retry', '0'], { stdin: '01\n02\n' });
    await relay.close();
    expect(Buffer.from((await watcher.waitFor(1))[0]!.payload).toString()).toBe('gone');
    watcher.close();
  });

  it('a QoS 0 publish exits once its DISCONNECT is in the kernel: the message arrives and the will is never published', async () => {
    // connection.ts end(): on a TCP or Unix socket the run does not wait for the shutdown to complete.
    const t = topic();
    const will = `${t}/will`;
    const sub = await subscribe(broker.port, t);
    const watcher = await subscribe(broker.port, will, 1);
    const runs = 20;
    for (let i = 0; i < runs; i++) {
      const r = await pub([...at(), '-t', t, '-m', `m${i}`, '--will-topic', will, '--will-payload', 'gone']);
      expect(r.status).toBe(0);
    }
    expect((await sub.waitFor(runs)).map((m) => Buffer.from(m.payload).toString())).toEqual(Array.from({ length: runs }, (_, i) => `m${i}`));
    await new Promise((r) => setTimeout(r, 300));
    expect(watcher.messages).toHaveLength(0);
    sub.close();
    watcher.close();
  });

  it('--repeat publishes N times', async () => {
    const t = topic();
    const sub = await subscribe(broker.port, t);
    expect((await pub([...at(), '-t', t, '-m', 'r', '-q', '1', '--repeat', '3', '--repeat-delay', '0.01'])).status).toBe(0);
    expect((await sub.waitFor(3)).map((m) => Buffer.from(m.payload).toString())).toEqual(['r', 'r', 'r']);
    sub.close();
  });

  it('-l: every line, in order, \\n removed and \\r kept, empty lines and a last unterminated line', async () => {
    const t = topic();
    const sub = await subscribe(broker.port, t);
    const input = Buffer.concat([Buffer.from('one\r\n\ntwo\n'), Buffer.from([0xff, 0x00, 0x0a]), Buffer.from('last')]);
    const r = await pub([...at(), '-t', t, '-l', '-q', '1'], { stdin: input });
    expect(r.status).toBe(0);
    const got = (await sub.waitFor(5)).map((m) => Buffer.from(m.payload));
    expect(got).toEqual([Buffer.from('one\r'), Buffer.alloc(0), Buffer.from('two'), Buffer.from([0xff, 0x00]), Buffer.from('last')]);
    sub.close();
  });

  // stdin-chunks.ts reads a file with fs.read and a pipe with net's onread, each into one reused buffer.
  it.each([['a file', 0], ['a pipe', 1], ['a file', 2]] as const)('-l from %s at QoS %i: binary lines across 64 KiB reads, byte for byte', async (kind, qos) => {
    const t = topic();
    const sub = await subscribe(broker.port, t, qos);
    const lines = Array.from({ length: 3000 }, (_, i) => randomBytes(i % 211).map((b) => (b === 0x0a ? 0x0d : b)));
    const input = Buffer.concat(lines.flatMap((l, i) => (i < lines.length - 1 ? [l, Buffer.from('\n')] : [l])));
    const file = join(dir, `lines-${qos}.bin`);
    writeFileSync(file, input);
    const fd = openSync(file, 'r');
    try {
      const r = await pub([...at(), '-t', t, '-l', '-q', String(qos)], kind === 'a file' ? { stdinFd: fd } : { stdin: input });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    } finally {
      closeSync(fd);
    }
    const got = (await sub.waitFor(lines.length)).map((m) => Buffer.from(m.payload));
    expect(got.findIndex((g, i) => !g.equals(lines[i]!))).toBe(-1);
    sub.close();
  });

  it('-l with 100,000 lines at QoS 1 delivers every line in order', async () => {
    const t = topic();
    const sub = await subscribe(broker.port, t, 1);
    const lines = Array.from({ length: 100_000 }, (_, i) => `line ${i}`);
    const r = await pub([...at(), '-t', t, '-l', '-q', '1'], { stdin: `${lines.join('\n')}\n`, timeoutMs: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const got = await sub.waitFor(100_000, 30_000);
    let inOrder = true;
    for (let i = 0; i < got.length; i++) if (Buffer.from(got[i]!.payload).toString() !== lines[i]) inOrder = false;
    expect(inOrder).toBe(true);
    sub.close();
  }, 90_000);

  it('every v5 publish property reaches the subscriber', async () => {
    const t = topic();
    const sub = await subscribe(broker.port, t);
    const r = await pub([...at(), '-t', t, '-m', '{}', '-q', '1',
      '-D', 'publish', 'payload-format-indicator', '1',
      '-D', 'publish', 'message-expiry-interval', '3600',
      '-D', 'publish', 'content-type', 'application/json',
      '-D', 'publish', 'response-topic', 'reply/here',
      '-D', 'publish', 'correlation-data', 'corr-1',
      '-D', 'publish', 'user-property', 'k1', 'v1',
      '-D', 'publish', 'user-property', 'k1', 'v2',
      '-D', 'connect', 'user-property', 'c', 'd',
      '-D', 'disconnect', 'reason-string', 'bye']);
    expect(r.status).toBe(0);
    const [m] = await sub.waitFor(1);
    expect(m!.properties).toMatchObject({
      payloadFormatIndicator: 1,
      contentType: 'application/json',
      responseTopic: 'reply/here',
      correlationData: Buffer.from('corr-1'),
      userProperties: [['k1', 'v1'], ['k1', 'v2']],
    });
    expect(m!.properties!.messageExpiryInterval).toBeGreaterThan(3590);
    sub.close();
  });

  it('reads defaults from $XDG_CONFIG_HOME/mqtt-pub; the command line overrides them', async () => {
    const t = topic();
    const sub = await subscribe(broker.port, t);
    writeFileSync(join(dir, 'mqtt-pub'), `# defaults\n-h 127.0.0.1\n-p ${broker.port}\n-q 2\n-D publish user-property from file\n`);
    const r = await pub(['-t', t, '-m', 'cfg', '-q', '1'], { env: { XDG_CONFIG_HOME: dir } });
    expect(r.status).toBe(0);
    const [m] = await sub.waitFor(1);
    expect(m).toMatchObject({ qos: 1 });
    expect(m!.properties?.userProperties).toEqual([['from', 'file']]);
    sub.close();
  });

  it('the will is registered (the broker log shows it)', async () => {
    const r = await pub([...at(), '-t', topic(), '-n', '-i', 'will-client', '--will-topic', 'w/t', '--will-payload', 'gone',
      '--will-qos', '1', '--will-retain']);
    expect(r.status).toBe(0);
    expect(broker.log()).toMatch(/will-client.*\n?.*w\/t|Will message specified \(4 bytes\) \(r1, q1\)/);
  });

  it('-l with a directory as standard input: one line in strerror\'s words, exit 1 (mosquitto_pub waits for ever)', async () => {
    const fd = openSync(dir, 'r');
    try {
      const r = await pub([...at(), '-t', topic(), '-l'], { stdinFd: fd });
      expect(r.stderr).toBe('Error: Unable to read standard input: Is a directory.\n');
      expect(r.status).toBe(1);
    } finally {
      closeSync(fd);
    }
  });

  it('-d prints mosquitto-style packet lines on stdout, nothing on stderr', async () => {
    const r = await pub([...at(), '-t', topic(), '-m', 'x', '-q', '1', '-d', '-i', 'dbg']);
    expect(r.status).toBe(0);
    const out = r.stdout.toString();
    expect(out).toMatch(/^Client dbg sending CONNECT$/m);
    expect(out).toMatch(/^Client dbg received CONNACK \(0\)$/m);
    expect(out).toMatch(/^Client dbg sending PUBLISH \(d0, q1, r0, m1, 'e2e\/pub\/.*', \.\.\. \(1 bytes\)\)$/m);
    expect(out).toMatch(/^Client dbg received PUBACK/m);
    expect(out).toMatch(/^Client dbg sending DISCONNECT$/m);
    expect(r.stderr).toBe('');
  });

  it.each(['0', '1', '2'])('-d output is byte-identical to mosquitto_pub -d at QoS %s', async (q) => {
    const args = [...at(), '-t', 'e2e/pub/debug', '-m', 'xy', '-q', q, '-d', '-i', `dbg-${q}`, '-r'];
    const [ours, theirs] = [await pub(args), await run('mosquitto_pub', args)];
    expect(ours.status).toBe(0);
    expect(theirs.status).toBe(0);
    expect(ours.stdout.toString()).toBe(theirs.stdout.toString());
  });

  it('a refused TCP connection exits 1, like mosquitto_pub; one plain line on stderr when it is not a terminal', async () => {
    const r = await pub(['-h', '127.0.0.1', '-p', '1', '-t', 't', '-m', 'x']);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\u001b\[/);
    expect(r.stdout.length).toBe(0);
  });

  it('FORCE_COLOR colours the error line; NO_COLOR wins over it', async () => {
    const args = ['-h', '127.0.0.1', '-p', '1', '-t', 't', '-m', 'x'];
    expect((await pub(args, { env: { FORCE_COLOR: '1' } })).stderr).toMatch(/^\u001b\[31m/);
    expect((await pub(args, { env: { FORCE_COLOR: '1', NO_COLOR: '1' } })).stderr).not.toMatch(/\u001b\[/);
  });
});
