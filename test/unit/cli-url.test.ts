import { describe, expect, it } from 'vitest';
import { parseMqttUrl, parseProxyUrl, percentDecode } from '../../src/cli/shared/url.js';
import { MqttToolError } from '../../src/errors.js';

function usageError(fn: () => unknown): MqttToolError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(MqttToolError);
    expect((e as MqttToolError).code).toBe('USAGE');
    return e as MqttToolError;
  }
  throw new Error('expected a USAGE error');
}

describe('parseMqttUrl (-L)', () => {
  it('mqtt:// defaults to port 1883, plain TCP', () => {
    expect(parseMqttUrl('mqtt://broker.example/a/b')).toEqual({
      scheme: 'mqtt', kind: 'tcp', host: 'broker.example', port: 1883, topic: 'a/b', useOsCerts: false,
    });
  });
  it('mqtts:// defaults to 8883 and the OS trust store', () => {
    const u = parseMqttUrl('mqtts://h/t');
    expect([u.kind, u.port, u.useOsCerts]).toEqual(['tls', 8883, true]);
  });
  it('ws:// and wss:// select WebSocket transports', () => {
    expect(parseMqttUrl('ws://h:8080/t')).toMatchObject({ kind: 'ws', port: 8080, useOsCerts: false });
    expect(parseMqttUrl('wss://h/t')).toMatchObject({ kind: 'wss', port: 443, useOsCerts: true });
    expect(parseMqttUrl('ws://h/t').port).toBe(80);
  });
  it('matches the scheme case-insensitively', () => {
    expect(parseMqttUrl('MQTTS://h/t').scheme).toBe('mqtts');
  });
  it('takes user, password, host, port and topic', () => {
    expect(parseMqttUrl('mqtt://alice:s3cret@10.0.0.1:1884/sensors/+/x')).toEqual({
      scheme: 'mqtt', kind: 'tcp', host: '10.0.0.1', port: 1884, username: 'alice', password: 's3cret',
      topic: 'sensors/+/x', useOsCerts: false,
    });
  });
  it('splits user and password at the first colon, without percent-decoding', () => {
    expect(parseMqttUrl('mqtt://u:p:q%40@h/t')).toMatchObject({ username: 'u', password: 'p:q%40' });
  });
  it('lets a password hold @ (userinfo ends at the last @)', () => {
    expect(parseMqttUrl('mqtt://u:p@ss@h/t')).toMatchObject({ username: 'u', password: 'p@ss', host: 'h' });
  });
  it('keeps an empty username and an @ with no colon', () => {
    expect(parseMqttUrl('mqtt://:pw@h/t')).toMatchObject({ username: '', password: 'pw' });
    expect(parseMqttUrl('mqtt://bob@h/t')).toMatchObject({ username: 'bob' });
    expect(parseMqttUrl('mqtt://bob@h/t').password).toBeUndefined();
  });
  it('takes everything after the first slash as the topic, including more slashes and @', () => {
    expect(parseMqttUrl('mqtt://h//x/@y').topic).toBe('/x/@y');
    expect(parseMqttUrl('mqtt://h/').topic).toBe('');
  });
  it('accepts bracketed IPv6 literals', () => {
    expect(parseMqttUrl('mqtt://[::1]:1999/t')).toMatchObject({ host: '::1', port: 1999 });
    expect(parseMqttUrl('mqtt://[::1]/t')).toMatchObject({ host: '::1', port: 1883 });
  });
  it.each([
    ['http://h/t', 'unsupported URL scheme.'],
    ['mqtt:/h/t', 'unsupported URL scheme.'],
    ['mqtt://h', 'Invalid URL for -L argument specified - topic missing.'],
    ['mqtt:///t', 'Invalid URL for -L argument specified - host missing.'],
    ['mqtt://u@/t', 'Invalid URL for -L argument specified - host missing.'],
    ['mqtt://h:0/t', 'Invalid port given: 0'],
    ['mqtt://h:65536/t', 'Invalid port given: 65536'],
    ['mqtt://h:1883abc/t', 'Invalid port given: 1883abc'],
    ['mqtt://h:/t', 'Invalid port given: '],
  ])('rejects %s', (url, message) => {
    expect(usageError(() => parseMqttUrl(url)).message).toBe(message);
  });
  it('rejects a malformed bracketed host', () => {
    usageError(() => parseMqttUrl('mqtt://[::1/t'));
    usageError(() => parseMqttUrl('mqtt://[::1]x/t'));
  });
});

describe('parseProxyUrl (--proxy)', () => {
  it('socks5h:// with defaults', () => {
    expect(parseProxyUrl('socks5h://proxy.example')).toEqual({ protocol: 'socks5h', host: 'proxy.example', port: 1080 });
  });
  it('socks5:// (local resolution) with port, trailing slash, case-insensitive', () => {
    expect(parseProxyUrl('SOCKS5://127.0.0.1:9050/')).toEqual({ protocol: 'socks5', host: '127.0.0.1', port: 9050 });
  });
  it('user and password, percent-decoded, %40 is @ (mosquitto turns it into :)', () => {
    expect(parseProxyUrl('socks5h://us%3Aer:p%40ss%25@h:1')).toEqual({
      protocol: 'socks5h', host: 'h', port: 1, username: 'us:er', password: 'p@ss%',
    });
  });
  it('username only', () => {
    expect(parseProxyUrl('socks5h://bob@h')).toEqual({ protocol: 'socks5h', host: 'h', port: 1080, username: 'bob' });
  });
  it('bracketed IPv6 host', () => {
    expect(parseProxyUrl('socks5h://[::1]:1081')).toMatchObject({ host: '::1', port: 1081 });
  });
  it.each([
    ['http://h', 'Unsupported proxy protocol: http://h'],
    ['socks4://h', 'Unsupported proxy protocol: socks4://h'],
    ['socks5h://h:0', 'Invalid proxy port 0'],
    ['socks5h://h:70000', 'Invalid proxy port 70000'],
    ['socks5h://h:12x', 'Invalid proxy port 12x'],
    ['socks5h://', 'Invalid proxy.'], // mosquitto's words
    ['socks5h://h/path', 'Invalid proxy URL: socks5h://h/path'],
  ])('rejects %s', (url, message) => {
    expect(usageError(() => parseProxyUrl(url)).message).toBe(message);
  });
  it('rejects a stray % and over-long credentials', () => {
    usageError(() => parseProxyUrl('socks5h://a%zz:b@h'));
    usageError(() => parseProxyUrl('socks5h://a:b%4@h'));
    usageError(() => parseProxyUrl(`socks5h://${'u'.repeat(256)}:p@h`));
  });
});

describe('percentDecode', () => {
  it('leaves strings without % alone and decodes UTF-8', () => {
    expect(percentDecode('plain', 'x')).toBe('plain');
    expect(percentDecode('%C3%A9', 'x')).toBe('é');
  });
  it('rejects bytes that are not UTF-8', () => {
    usageError(() => percentDecode('%FF', 'x'));
  });
});
