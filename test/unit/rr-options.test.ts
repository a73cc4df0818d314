// argv → RequestPlan (mosquitto_rr's checks, MQTT 5 by default, the request's
// properties), the options files (-o, mqtt-rr's, else mosquitto_rr's), and
// which messages count as the response.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MOSQUITTO_CONFIG, RR_OPTIONS, TOOL } from '../../src/cli/rr/command.js';
import { MISSING, toRequestPlan, type RequestPlan } from '../../src/cli/rr/options.js';
import { ResponseMatcher } from '../../src/cli/rr/responses.js';
import { ArgvError } from '../../src/cli/shared/argv-error.js';
import { describeError } from '../../src/cli/shared/describe-error.js';
import { MqttToolError } from '../../src/errors.js';
import { parseToolArgs } from '../../src/cli/shared/tool-args.js';
import type { ReceivedMessage } from '../../src/client/types.js';

const CORRELATION = Buffer.from('generated');

function plan(argv: string[], env?: NodeJS.ProcessEnv): RequestPlan {
  const args = env
    ? parseToolArgs(argv, { tool: TOOL, specs: RR_OPTIONS, configFallbacks: [MOSQUITTO_CONFIG], env })
    : parseToolArgs(argv, { tool: TOOL, specs: RR_OPTIONS, noConfigFile: true });
  return toRequestPlan(args, { pid: 4242, newCorrelation: () => CORRELATION });
}

function error(argv: string[], env?: NodeJS.ProcessEnv): string {
  try {
    plan(argv, env);
  } catch (e) {
    expect(e).toBeInstanceOf(ArgvError);
    return (e as ArgvError).message;
  }
  throw new Error(`no error for ${argv.join(' ')}`);
}

const REQ = ['-t', 'svc/req', '-e', 'svc/resp', '-m', 'hi'];

describe('mosquitto_rr checks', () => {
  it.each([
    [['-t', 'a'], MISSING],
    [['-t', 'a', '-m', 'x'], MISSING],
    [['-e', 'b', '-m', 'x'], MISSING],
    [['-t', 'a', '-e', 'b'], MISSING],
    [['-t', 'a/#', '-e', 'b', '-m', 'x'], "Invalid publish topic 'a/#', does it contain '+' or '#'?"],
    [['-t', 'a', '-e', 'b/+', '-m', 'x'], "Invalid response topic 'b/+', does it contain '+' or '#'?"],
    [[...REQ, '-W', '0'], 'Invalid timeout "0".'],
    [[...REQ, '-C', '0'], 'Invalid message count "0".'],
    [[...REQ, '-f', 'x'], 'Only one type of message can be sent at once.'],
    [[...REQ, '-l'], "Unknown option '-l'."],
    [[...REQ, '-U', 'x'], "Unknown option '-U'."],
    [[...REQ, '-e'], '-e argument given but no response topic specified.'],
    [[...REQ, '-o'], '-o argument given but no options file specified.'],
    [['-t', '', '-e', 'b', '-m', 'x'], 'Empty topics are not allowed: give -t and -e a topic name.'],
  ])('%j → %s', (argv, message) => {
    expect(error(argv)).toBe(message);
  });

  it.each([[[]], [['-V', '311']]])('-D publish response-topic beside -e %j: mosquitto_rr\'s line, not an argument error', (more) => {
    let thrown: unknown;
    try {
      plan([...REQ, '-D', 'publish', 'response-topic', 'x', ...more]);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(MqttToolError);
    expect(thrown).not.toBeInstanceOf(ArgvError); // so --quiet hides it, as mosquitto's err_printf
    expect(describeError(thrown as Error, { tool: TOOL })).toBe('Error in PUBLISH properties: Duplicate response topic.');
    expect(describeError(thrown as Error, { tool: TOOL, quiet: true })).toBe('');
  });
});

describe('the request', () => {
  it('is MQTT 5 by default, with the response topic and a generated correlation data, and asks for one response', () => {
    const p = plan(REQ);
    expect(p.connection.client.protocolVersion).toBe(5);
    expect(p.properties).toEqual({ responseTopic: 'svc/resp', correlationData: CORRELATION });
    expect(p.correlation).toBe(CORRELATION);
    expect([p.topic, p.responseTopic, p.count, p.qos, p.retain]).toEqual(['svc/req', 'svc/resp', 1, 0, false]);
    // As mosquitto_rr: the broker may send one response at a time.
    expect(p.connection.client.properties?.receiveMaximum).toBe(1);
    expect(p.source).toEqual({ kind: 'message', payload: Buffer.from('hi') });
  });

  it('keeps -D publish properties and their correlation data (then matched on)', () => {
    const p = plan([...REQ, '-D', 'publish', 'correlation-data', 'mine', '-D', 'publish', 'user-property', 'k', 'v', '-q', '2', '-r']);
    expect(p.properties).toEqual({ responseTopic: 'svc/resp', correlationData: Buffer.from('mine'), userProperties: [['k', 'v']] });
    expect(p.correlation).toEqual(Buffer.from('mine'));
    expect([p.qos, p.retain]).toEqual([2, true]);
  });

  it('No Local only when the response topic is the request topic (MQTT 5)', () => {
    expect(plan(REQ).noLocal).toBe(false);
    expect(plan(['-t', 'x', '-e', 'x', '-n']).noLocal).toBe(true);
    expect(plan(['-t', 'x', '-e', 'x', '-n', '-V', '311']).noLocal).toBe(false);
  });

  it('-V 311: no properties and nothing to match on', () => {
    const p = plan([...REQ, '-V', '311']);
    expect(p.connection.client.protocolVersion).toBe(4);
    expect(p.properties).toBeUndefined();
    expect(p.correlation).toBeUndefined();
  });

  it('-L gives the request topic; a later -t overrides it', () => {
    expect(plan(['-L', 'mqtt://h:1884/from/url', '-e', 'r', '-n']).topic).toBe('from/url');
    expect(plan(['-L', 'mqtt://h:1884/from/url', '-t', 'later', '-e', 'r', '-n']).topic).toBe('later');
  });

  it('-C, -W and the output options', () => {
    const p = plan([...REQ, '-C', '3', '-W', '2', '-v', '-N']);
    expect([p.count, p.timeoutMs, p.output.mode, p.output.eol]).toEqual([3, 2000, 'verbose', false]);
    expect(p.connection.client.properties?.receiveMaximum).toBe(3);
    expect(plan([...REQ, '--json']).output.mode).toBe('json');
  });
});

describe('options files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mqtt-rr-cfg-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const env = { XDG_CONFIG_HOME: dir };

  it("reads mosquitto_rr's file when there is no mqtt-rr file, and mqtt-rr's when there is", () => {
    writeFileSync(join(dir, 'mosquitto_rr'), '-p 1999\n-e from/mosquitto\n');
    expect(plan(['-t', 'a', '-m', 'x'], env).responseTopic).toBe('from/mosquitto');
    writeFileSync(join(dir, 'mqtt-rr'), '-e from/ours\n');
    const p = plan(['-t', 'a', '-m', 'x'], env);
    expect(p.responseTopic).toBe('from/ours');
    expect(p.connection.client.transport).toMatchObject({ port: 1883 }); // mosquitto_rr's file not read
    rmSync(join(dir, 'mqtt-rr'));
    rmSync(join(dir, 'mosquitto_rr'));
  });

  it('-o FILE is read instead of the default files, before argv; a missing one or a second -o is an error', () => {
    writeFileSync(join(dir, 'mqtt-rr'), '-e from/default\n');
    const file = join(dir, 'other');
    writeFileSync(file, '# comment\n-e from/o\n-q 1\n');
    const p = plan(['-t', 'a', '-m', 'x', '-o', file, '-q', '2'], env);
    expect([p.responseTopic, p.qos]).toEqual(['from/o', 2]);
    expect(error(['-o', join(dir, 'missing')], env)).toMatch(/^Unable to open options file ".*missing" \(ENOENT\)\.$/);
    expect(error(['-o', file, '-o', file], env)).toBe('Duplicate -o argument given.');
    // A "-o" that is the value of -m is a message, not the option.
    expect(plan(['-t', 'a', '-e', 'b', '-m', '-o'], env).source).toEqual({ kind: 'message', payload: Buffer.from('-o') });
  });
});

describe('which message is the response', () => {
  const msg = (o: Partial<ReceivedMessage> = {}): ReceivedMessage => ({
    topic: 'r',
    payload: Buffer.from('x'),
    qos: 0,
    retain: false,
    dup: false,
    properties: {},
    ...o,
  });
  const corr = Buffer.from('abc');

  it('MQTT 5: only the request\'s correlation data; never a retained message', () => {
    const m = new ResponseMatcher(corr, 1);
    expect(m.judge(msg({ retain: true, properties: { correlationData: corr } }))).toMatchObject({ accept: false });
    expect(m.judge(msg())).toEqual({ accept: false, why: 'it has no correlation data' });
    expect(m.judge(msg({ properties: { correlationData: Buffer.from('abd') } }))).toMatchObject({ accept: false });
    expect(m.judge(msg({ properties: { correlationData: Buffer.from('ab') } }))).toMatchObject({ accept: false });
    expect(m.judge(msg({ properties: { correlationData: new Uint8Array([0x61, 0x62, 0x63]) } }))).toEqual({ accept: true, last: true });
    expect(m.judge(msg({ properties: { correlationData: corr } }))).toMatchObject({ accept: false });
  });

  it('counts to -C, the last one says so', () => {
    const m = new ResponseMatcher(corr, 2);
    const right = msg({ properties: { correlationData: corr } });
    expect([m.judge(right), m.judge(right), m.complete]).toEqual([{ accept: true, last: false }, { accept: true, last: true }, true]);
  });

  it('MQTT 3.1.1 (no correlation): the first live message', () => {
    const m = new ResponseMatcher(undefined, 1);
    expect(m.judge(msg({ retain: true }))).toMatchObject({ accept: false });
    expect(m.judge(msg())).toEqual({ accept: true, last: true });
  });
});
