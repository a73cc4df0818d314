// mqtt-rr against mosquitto_rr 2.1 (the reference build `npm run setup` makes):
// the same flags, the same broker, the same responder, and the same bytes on
// stdout, the same stderr and status, and the same request at the responder
// (payload, QoS, retain, properties). The one thing compared apart is the
// Correlation Data: mqtt-rr adds one when -D gives none (mosquitto_rr sends
// none, so it cannot tell its answer from anyone else's). Usage errors are
// compared on their first line and status: mosquitto's extra blank lines and
// the tool name in the --help hint are the suite's (see sub-errors).
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceivedMessage } from '../../src/client/types.js';
import { startBroker, type Broker } from '../helpers/broker.js';
import { mosquitto21 } from '../helpers/mosquitto21.js';
import { RR_BIN, runRr, startResponder, type Responder } from './rr-helpers.js';
import { mosquittoPub, testEnv, unique } from './sub-helpers.js';

const m21 = mosquitto21();
const MOSQUITTO_RR = m21.bin('mosquitto_rr');
const env21 = testEnv({ LD_LIBRARY_PATH: m21.env.LD_LIBRARY_PATH });

let b: Broker;
beforeAll(async () => {
  b = await startBroker({ mosquitto21: true });
});
afterAll(async () => b?.stop());

const BIN = Buffer.from([0x00, 0x01, 0x1b, 0x7f, 0x80, 0xff, 0x0a, 0x0d, 0x09, 0x22, 0x5c, 0x41]);

interface Case {
  name: string;
  flags: string[];
  /** Response payload (default 're:' + request). */
  reply?: Buffer;
  input?: string;
  v311?: boolean;
  /** A stale retained message waits on the response topic. */
  retained?: boolean;
}

const file = join(tmpdir(), `rr-diff-${process.pid}`);
writeFileSync(file, BIN);

const CASES: Case[] = [
  { name: '-m, default output', flags: ['-m', 'hello'] },
  { name: '-v', flags: ['-m', 'hello', '-v'] },
  { name: '-N', flags: ['-m', 'hello', '-N'] },
  { name: '-v with an empty response', flags: ['-m', 'x', '-v'], reply: Buffer.alloc(0) },
  { name: 'binary response, -F fields', flags: ['-m', 'x', '-F', '%t|%p|%q|%r|%l|%x|%m'], reply: BIN },
  { name: '-F with properties', flags: ['-m', 'x', '-F', '%C %P %R|%E'] },
  { name: '-f binary file, -q 1', flags: ['-f', file, '-q', '1'] },
  { name: '-s, -q 2', flags: ['-s', '-q', '2'], input: 'from stdin\n' },
  { name: '-n', flags: ['-n', '-v'] },
  {
    name: '-D publish properties',
    flags: ['-m', 'p', '-D', 'publish', 'user-property', 'k', 'v', '-D', 'publish', 'content-type', 'text/plain', '-D', 'publish', 'message-expiry-interval', '60'],
  },
  { name: '-V 311', flags: ['-m', 'old', '-V', '311', '-v'], v311: true },
  { name: '-R with a retained message on the response topic', flags: ['-m', 'r', '-R', '-v'], retained: true },
];

/** What a responder saw, with the correlation data set apart. */
function seen(m: ReceivedMessage | undefined, norm: (s: string) => string): unknown {
  if (!m) return undefined;
  const { correlationData: _c, responseTopic, ...properties } = m.properties;
  return {
    topic: norm(m.topic),
    payload: Buffer.from(m.payload).toString('hex'),
    qos: m.qos,
    retain: m.retain,
    properties: { ...properties, ...(responseTopic !== undefined ? { responseTopic: norm(responseTopic) } : {}) },
  };
}

async function once(cmd: string, c: Case) {
  const topic = unique('rrd/req');
  const responseTopic = unique('rrd/resp');
  const responder: Responder = await startResponder({
    port: b.port,
    topic,
    behaviour: 'answer',
    replyProperties: { contentType: 'app/x', userProperties: [['a', 'b']] },
    ...(c.reply ? { reply: () => c.reply! } : {}),
    ...(c.v311 ? { v311ResponseTopic: responseTopic } : {}),
  });
  if (c.retained) mosquittoPub(b.port, ['-t', responseTopic, '-m', 'stale', '-r']);
  const args = ['-h', '127.0.0.1', '-p', String(b.port), '-t', topic, '-e', responseTopic, '-W', '5', ...c.flags];
  const r = await runRr(cmd, args, { env: cmd === RR_BIN ? testEnv() : env21, ...(c.input ? { input: c.input } : {}) });
  await responder.close();
  const norm = (s: string): string => s.split(topic).join('REQ').split(responseTopic).join('RESP');
  return {
    out: { code: r.code, stdout: norm(r.stdout.toString('latin1')), stderr: r.stderr },
    request: seen(responder.requests[0], norm),
    requests: responder.requests.length,
    correlation: responder.requests[0]?.properties.correlationData,
  };
}

describe('mqtt-rr and mosquitto_rr 2.1: same output, same request', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const theirs = await once(MOSQUITTO_RR, c);
      const ours = await once(RR_BIN, c);
      expect(theirs.out.code).toBe(0);
      expect(ours.out).toEqual(theirs.out);
      expect(ours.request).toEqual(theirs.request);
      expect([ours.requests, theirs.requests]).toEqual([1, 1]);
      if (c.v311) expect(ours.correlation).toBeUndefined();
      else expect([ours.correlation !== undefined, theirs.correlation]).toEqual([true, undefined]);
    });
  }

  it('-d -q 1: the same packet lines, apart from the differences the man page lists', async () => {
    const c: Case = { name: '-d', flags: ['-m', 'dbg', '-q', '1', '-d'] };
    const [theirs, ours] = [await once(MOSQUITTO_RR, c), await once(RR_BIN, c)];
    const lines = (s: string): string[] =>
      s
        .replace(/auto-[0-9A-F-]+/g, 'ID')
        .replace(/^Client null /gm, 'Client (null) ') // libmosquitto 2.1's spelling; ours is 2.0's
        .split('\n')
        .filter((l) => !l.endsWith('sending DISCONNECT')); // we end the session properly, mosquitto_rr does not
    expect(ours.out.code).toBe(0);
    expect(lines(ours.out.stdout)).toEqual(lines(theirs.out.stdout));
    expect(ours.out.stdout).toContain('sending DISCONNECT');
  });

  it('no response within -W: both exit 27 with "Timed out"', async () => {
    const args = ['-h', '127.0.0.1', '-p', String(b.port), '-t', unique('rrd/none'), '-e', unique('rrd/none-resp'), '-m', 'x', '-W', '1'];
    const [theirs, ours] = await Promise.all([runRr(MOSQUITTO_RR, args, { env: env21 }), runRr(RR_BIN, args)]);
    expect({ code: ours.code, stdout: ours.stdout.toString(), stderr: ours.stderr }).toEqual({
      code: theirs.code,
      stdout: theirs.stdout.toString(),
      stderr: theirs.stderr,
    });
    expect(ours.code).toBe(27);
  });

  it('connection refused: same line, same status', async () => {
    const args = ['-h', '127.0.0.1', '-p', '1', '-t', 'a', '-e', 'b', '-m', 'x'];
    const [theirs, ours] = await Promise.all([runRr(MOSQUITTO_RR, args, { env: env21 }), runRr(RR_BIN, args)]);
    expect([ours.code, ours.stderr]).toEqual([theirs.code, theirs.stderr]);
  });
});

describe('usage errors: the same first line and status as mosquitto_rr 2.1', () => {
  const ARGV: string[][] = [
    ['-t', 'a'],
    ['-t', 'a', '-e', 'b'],
    ['-e', 'b', '-m', 'x'],
    ['-t', 'a/#', '-e', 'b', '-m', 'x'],
    ['-t', 'a', '-e', 'b/+', '-m', 'x'],
    ['-t', 'a', '-e', 'b', '-m', 'x', '-f', 'y'],
    ['-t', 'a', '-e', 'b', '-m', 'x', '-W', '0'],
    ['-t', 'a', '-e', 'b', '-m', 'x', '-W'],
    ['-t', 'a', '-e', 'b', '-m', 'x', '-q', '3'],
    ['-t', 'a', '-e', 'b', '-m', 'x', '-V', '6'],
    ['-t', 'a', '-e', 'b', '-m', 'x', '-x', 'soon'],
    ['-t', 'a', '-e', 'b', '-m', 'x', '-o'],
    ['-t', 'a', '-e', 'b', '-m', 'x', '-o', 'f', '-o', 'g'],
    ['-e'],
    ['-t', 'a', '-e', 'b', '-m', 'x', '-l'],
    ['-t', 'a', '-e', 'b', '-m', 'x', '-U', 'a'],
    ['-t', 'a', '-e', 'b', '-m', 'x', '--will-payload', 'w'],
    ['-t', 'a', '-e', 'b', '-m', 'x', '-c', '-V', '311'],
    ['-t', 'a', '-e', 'b', '-m', 'x', '-F', '%Q'],
    ['-t', 'a', '-e', 'b', '-s'],
  ];
  for (const argv of ARGV) {
    it(argv.join(' '), async () => {
      const [theirs, ours] = await Promise.all([runRr(MOSQUITTO_RR, argv, { env: env21 }), runRr(RR_BIN, argv)]);
      expect(ours.code).toBe(theirs.code);
      expect(ours.stderr.split('\n')[0]).toBe(theirs.stderr.split('\n')[0]);
      expect(ours.stdout.length).toBe(0);
    });
  }
});
