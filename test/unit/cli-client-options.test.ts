import { describe, expect, it } from 'vitest';
import { CONNECTION_OPTIONS } from '../../src/cli/shared/connection-options.js';
import type { OptionSpec } from '../../src/cli/shared/option-table.js';
import { parseToolArgs } from '../../src/cli/shared/tool-args.js';
import { checkCredentials, setupChecks, toConnectionPlan, type MapContext } from '../../src/cli/shared/client-options.js';
import type { MqttToolError } from '../../src/errors.js';
import { ArgvError } from '../../src/cli/shared/argv-error.js';

const T: OptionSpec = { names: ['-t'], key: 'topic', kind: 'value', what: 'topic' };
const specs = [...CONNECTION_OPTIONS, T];
const ctx: MapContext = { pid: 4242, randomId: () => 'r'.repeat(18) };
const parse = (argv: string[]) => parseToolArgs(argv, { tool: 'mqtt-pub', specs, noConfigFile: true });
const plan = (argv: string[], c: Partial<MapContext> = {}) => toConnectionPlan(parse(argv), { ...ctx, ...c });
const usage = (argv: string[]) => {
  try {
    plan(argv);
  } catch (e) {
    expect(e).toBeInstanceOf(ArgvError);
    return (e as ArgvError).message;
  }
  throw new Error(`expected ${argv.join(' ')} to fail`);
};

describe('shared connection options → ClientOptions', () => {
  it('has mosquitto defaults', () => {
    const p = plan([]);
    expect(p.client).toMatchObject({
      transport: { kind: 'tcp', host: 'localhost', port: 1883 },
      protocolVersion: 4,
      clientId: '',
      cleanStart: true,
      keepalive: 60,
      maxInflight: 20,
    });
    expect(p.qos).toBe(0);
    expect(p.client.properties).toBeUndefined();
  });

  it('maps host, port, credentials, bind address, nodelay', () => {
    const p = plan(['-h', 'b', '-p', '1884abc', '-u', 'me', '-P', 'pw', '-A', '127.0.0.2', '--nodelay']);
    expect(p.client.transport).toEqual({ kind: 'tcp', host: 'b', port: 1884, bindAddress: '127.0.0.2', noDelay: true });
    expect(p.client.username).toBe('me');
    expect(Buffer.from(p.client.password!).toString()).toBe('pw');
  });

  it('a later scalar wins', () => {
    expect(plan(['-p', '1', '-p', '2']).client.transport).toMatchObject({ port: 2 });
  });

  it('-I is prefix + pid; v3.1 generates mosq-<18>; v3.1.1/v5 send no id', () => {
    expect(plan(['-I', 'pre-']).client.clientId).toBe('pre-4242');
    expect(plan(['-V', 'mqttv31']).client.clientId).toBe(`mosq-${'r'.repeat(18)}`);
    expect(plan(['-V', '5']).client.clientId).toBe('');
  });

  it('session rules', () => {
    expect(usage(['-c'])).toMatch(/client id if you are using the -c option/);
    expect(usage(['-c', '-I', 'x'])).toMatch(/-c option/);
    expect(usage(['-V', '5', '-c'])).toMatch(/infinite session expiry/);
    expect(usage(['-i', 'a', '-I', 'b'])).toMatch(/-i and -I/);
    const p = plan(['-V', '5', '-c', '-i', 'me']);
    expect(p.client.cleanStart).toBe(false);
    expect(p.client.properties).toEqual({ sessionExpiryInterval: 0xffffffff });
    expect(plan(['-x', '30', '-c']).client.properties).toEqual({ sessionExpiryInterval: 30 });
    expect(plan(['-x', '∞', '-i', 'a']).client.properties).toEqual({ sessionExpiryInterval: 0xffffffff });
    expect(plan(['-V', '5', '-x', '0', '-c']).client.properties).toBeUndefined();
    expect(usage(['-x', 'abc'])).toMatch(/not a number/);
    expect(usage(['-x', '4294967296'])).toMatch(/out of range/);
  });

  it('-x and -D select v5; a later -V wins', () => {
    expect(plan(['-x', '5']).client.protocolVersion).toBe(5);
    expect(plan(['-D', 'publish', 'content-type', 'a']).client.protocolVersion).toBe(5);
    expect(plan(['-D', 'publish', 'content-type', 'a', '-V', '311']).client.protocolVersion).toBe(4);
    expect(plan(['-V', '311', '-D', 'publish', 'content-type', 'a']).client.protocolVersion).toBe(5);
  });

  it('range checks', () => {
    expect(usage(['-k', '4'])).toMatch(/keepalive/);
    expect(usage(['-k', '65536'])).toMatch(/keepalive/);
    expect(plan(['-k', '0']).client.keepalive).toBe(0);
    expect(plan(['-k', '5']).client.keepalive).toBe(5);
    expect(usage(['-p', '70000'])).toMatch(/Invalid port given: 70000/);
    expect(usage(['-p', '0'])).toMatch(/Invalid port/);
    expect(usage(['-q', '3'])).toMatch(/Invalid QoS given: 3/);
    expect(usage(['-q', 'x'])).toMatch(/not a number/);
    expect(usage(['-M', '0'])).toMatch(/greater than 0/);
    expect(usage(['-V', '4'])).toMatch(/Invalid protocol version/);
  });

  it('will options', () => {
    expect(usage(['--will-payload', 'x'])).toMatch(/no will topic/);
    expect(usage(['--will-retain'])).toMatch(/no will topic/);
    expect(usage(['--will-topic', 'a/#'])).toMatch(/Invalid will topic/);
    expect(usage(['--will-topic', 'a', '--will-qos', '3'])).toMatch(/Invalid will QoS 3/);
    const p = plan(['--will-topic', 'w', '--will-payload', 'bye', '--will-qos', '1', '--will-retain',
      '-D', 'will', 'content-type', 'text/plain', '-D', 'will', 'user-property', 'k', 'v']);
    expect(p.client.will).toEqual({
      topic: 'w',
      payload: Buffer.from('bye'),
      qos: 1,
      retain: true,
      properties: { contentType: 'text/plain', userProperties: [['k', 'v']] },
    });
  });

  it('TLS switches on as in mosquitto', () => {
    expect(plan(['--cafile', 'ca.pem']).client.transport).toEqual({
      kind: 'tls', host: 'localhost', port: 8883, tls: { caFile: 'ca.pem' },
    });
    expect(plan(['-p', '8883']).client.transport).toMatchObject({ kind: 'tls', tls: { useOsCerts: true } });
    expect(plan(['--tls-use-os-certs']).client.transport).toMatchObject({ kind: 'tls', port: 1883 });
    expect(plan(['--insecure']).client.transport.kind).toBe('tcp');
    expect(plan(['--cafile', 'c', '-p', '1', '--insecure', '--tls-version', 'TLSv1.3', '--tls-alpn', 'mqtt'])
      .client.transport).toMatchObject({ port: 1, tls: { insecure: true, tlsVersion: 'tlsv1.3', alpn: ['mqtt'] } });
    expect(plan(['--psk', 'a1', '--psk-identity', 'me']).client.transport).toMatchObject({
      kind: 'tls', port: 8883, tls: { psk: 'a1', pskIdentity: 'me' },
    });
    expect(usage(['--cert', 'c'])).toMatch(/Both certfile and keyfile/);
    expect(usage(['--keyform', 'pem'])).toMatch(/keyfile must be also/);
    expect(usage(['--key', 'k', '--cert', 'c', '--keyform', 'engine'])).toMatch(/not supported/);
    expect(usage(['--psk', '00'])).toMatch(/--psk-identity required/);
    expect(usage(['--psk', '00', '--psk-identity', 'i', '--cafile', 'c'])).toMatch(/Only one of --psk/);
    expect(usage(['--tls-engine-kpass-sha1', 'x', '--tls-engine', 'e'])).toMatch(/^when using tls-engine-kpass-sha1, both tls-engine and keyform/);
  });

  it('-L sets host, port, credentials and topic where it appears', () => {
    const p = plan(['-p', '9', '-L', 'mqtt://u:p@broker:1999/a/b']);
    expect(p.client.transport).toMatchObject({ host: 'broker', port: 1999 });
    expect(p.client.username).toBe('u');
    expect(p.urlTopic).toBe('a/b');
    expect(plan(['-L', 'mqtt://broker/t', '-p', '9']).client.transport).toMatchObject({ port: 9 });
    expect(plan(['-L', 'MQTTS://broker/t']).client.transport).toMatchObject({ kind: 'tls', port: 8883, tls: { useOsCerts: true } });
    expect(plan(['-L', 'ws://h:8080/t']).client.transport).toEqual({ kind: 'ws', host: 'h', port: 8080 });
    expect(plan(['-L', 'wss://h/t']).client.transport).toMatchObject({ kind: 'wss', port: 443, tls: { useOsCerts: true } });
    expect(() => plan(['-L', 'http://x/y'])).toThrow(ArgvError);
    expect(() => plan(['-L', 'http://x/y'])).toThrow(/unsupported URL scheme/);
    expect(() => plan(['-L', 'mqtt://x'])).toThrow(/topic missing/);
  });

  it('a later -L replaces everything an earlier one set (issue 10)', () => {
    const p = plan(['-L', 'wss://u:p@a:9001/t1', '-L', 'mqtt://b:1883/t2']);
    expect(p.client.transport).toEqual({ kind: 'tcp', host: 'b', port: 1883 });
    expect(p.client.username).toBeUndefined();
    expect(p.client.password).toBeUndefined();
    expect(p.urlTopic).toBe('t2');
    expect(plan(['-L', 'ws://a:9001/t', '-L', 'mqtt://b:1883/t']).client.transport).toEqual({ kind: 'tcp', host: 'b', port: 1883 });
    expect(plan(['-L', 'mqtts://a/t', '-L', 'mqtt://b/t']).client.transport).toEqual({ kind: 'tcp', host: 'b', port: 1883 });
    expect(plan(['-L', 'mqtt://a/t', '-L', 'ws://b:9001/t']).client.transport).toEqual({ kind: 'ws', host: 'b', port: 9001 });
    // Options around -L: the later setting wins, and what the URL lacks is kept.
    const q = plan(['-u', 'me', '-P', 'pw', '-L', 'mqtt://h/t']);
    expect(q.client.username).toBe('me');
    expect(Buffer.from(q.client.password ?? []).toString()).toBe('pw');
    expect(plan(['-L', 'mqtt://u@h/t', '-u', 'me']).client.username).toBe('me');
    expect(plan(['-u', 'me', '-L', 'mqtt://u@h/t']).client.username).toBe('u');
    expect(plan(['-L', 'mqtt://h/t', '-h', 'other']).client.transport).toMatchObject({ host: 'other', port: 1883 });
    expect(plan(['--unix', '/s', '-L', 'mqtt://h/t']).client.transport).toMatchObject({ kind: 'tcp', host: 'h' });
    expect(plan(['-L', 'mqtt://h/t', '--unix', '/s']).client.transport).toEqual({ kind: 'unix', path: '/s' });
    expect(() => parse(['-L', 'http://x/y', '--bogus'])).toThrow(/unsupported URL scheme/);
  });

  it('--unix and --proxy', () => {
    expect(plan(['--unix', '/tmp/s']).client.transport).toEqual({ kind: 'unix', path: '/tmp/s' });
    expect(plan(['--proxy', 'socks5h://a:b%3Ac@px:1081']).client.proxy).toEqual({
      protocol: 'socks5h', host: 'px', port: 1081, username: 'a', password: 'b:c',
    });
    expect(plan(['--proxy', 'socks5h://px']).client.proxy).toMatchObject({ port: 1080 });
    expect(() => plan(['--proxy', 'http://x'])).toThrow(/Unsupported proxy protocol/);
    expect(() => plan(['--proxy', 'socks5h://x:0'])).toThrow(/Invalid proxy port/);
  });

  it('splits -D by command', () => {
    const p = plan(['-D', 'connect', 'receive-maximum', '10', '-D', 'PUBLISH', 'Content-Type', 'x',
      '-D', 'disconnect', 'reason-string', 'bye', '-D', 'subscribe', 'subscription-identifier', '3',
      '-D', 'connect', 'user-property', 'a', 'b c']);
    expect(p.client.properties).toEqual({ receiveMaximum: 10, userProperties: [['a', 'b c']] });
    expect(p.publishProperties).toEqual({ contentType: 'x' });
    expect(p.disconnectProperties).toEqual({ reasonString: 'bye' });
    expect(p.subscribeProperties).toEqual({ subscriptionIdentifiers: [3] });
  });

  it('set-up failures come after the command line, as mosquitto finds them: will, credentials, TLS files, engine, key form, version', () => {
    const setup = (argv: string[]): string => {
      const a = parse(argv);
      try {
        setupChecks(a, toConnectionPlan(a, ctx));
      } catch (e) {
        expect((e as MqttToolError).code).toBe('SETUP_FAILED');
        return (e as Error).message;
      }
      return 'ok';
    };
    expect(setup(['-P', 'x'])).toBe('Error: Problem setting username and/or password.');
    expect(setup(['--will-topic', 'w', '-D', 'will', 'content-type', 'x', '-V', '311', '-P', 'x'])).toBe('Error: Problem setting will.');
    expect(setup(['--cafile', '/nonexistent/ca', '--tls-version', 'tlsv1'])).toBe('Error: Problem setting TLS options: File not found.');
    expect(setup(['--tls-version', 'tlsv1'])).toBe('Error: Problem setting TLS options, check the options are valid.');
    expect(setup(['--key', 'k', '--cert', 'c', '--keyform', 'der'])).toBe("Error: Problem setting key form, it must be one of 'pem' or 'engine'.");
    expect(setup(['--cafile', '/nonexistent/ca', '--no-tls', '-D', 'connect', 'receive-maximum', '5', '-V', '311'])).toBe(
      'Unable to connect (This feature is not supported.).',
    );
  });

  it('a password needs a username before MQTT 5', () => {
    expect(plan(['-P', 'x', '-V', '5']).client.password).toEqual(Buffer.from('x'));
    expect(() => checkCredentials(plan(['-P', 'x']).client)).toThrow('Problem setting username and/or password.');
  });

  it('a password resolved elsewhere wins over -P', () => {
    expect(Buffer.from(plan(['-u', 'a', '-P', 'x'], { password: Buffer.from('y') }).client.password!).toString()).toBe('y');
  });
});
