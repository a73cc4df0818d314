import { describe, expect, it } from 'vitest';
import { abortError, errnoText, hostPort, transportError } from '../../src/client/transports/socket-errors.js';
import { MqttToolError } from '../../src/errors.js';

const sysErr = (code: string, message = code): Error => Object.assign(new Error(message), { code });

describe('transportError', () => {
  it.each([
    ['ECONNREFUSED', 'Connection refused'],
    ['ENOTFOUND', 'Lookup error.'],
    ['EAI_AGAIN', 'Lookup error.'],
    ['EHOSTUNREACH', 'No route to host'],
    ['ENOENT', 'No such file or directory'],
  ])('%s → CONNECT_FAILED %s', (code, message) => {
    const e = transportError(sysErr(code), 'connect');
    expect(e.code).toBe('CONNECT_FAILED');
    expect(e.message).toBe(message);
    expect((e.cause as Error).message).toBe(code);
  });
  it('certificate verification failures are TLS_ERROR with the reason', () => {
    const e = transportError(sysErr('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain'), 'connect');
    expect(e.code).toBe('TLS_ERROR');
    expect(e.message).toBe('A TLS error occurred: certificate verify failed: self-signed certificate in certificate chain');
  });
  it('host-name mismatch is TLS_ERROR', () => {
    const err = Object.assign(sysErr('ERR_TLS_CERT_ALTNAME_INVALID', 'Hostname/IP does not match'), { reason: "Host: x. is not in the cert's altnames" });
    const e = transportError(err, 'connect');
    expect(e.code).toBe('TLS_ERROR');
    expect(e.message).toMatch(/^A TLS error occurred: hostname verification failed: Host: x\./);
  });
  it('OpenSSL errors keep their reason; any failure in the TLS phase is TLS_ERROR', () => {
    const ssl = Object.assign(sysErr('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', 'long\ntext'), { reason: 'tlsv13 alert certificate required' });
    expect(transportError(ssl, 'connect').message).toBe('A TLS error occurred: tlsv13 alert certificate required');
    const reset = transportError(sysErr('ECONNRESET', 'Client network socket disconnected before secure TLS connection was established'), 'tls');
    expect(reset.code).toBe('TLS_ERROR');
    expect(reset.message).toBe('A TLS error occurred: Connection reset by peer during the TLS handshake');
  });
  it('passes MqttToolErrors through and falls back to the first line of unknown errors', () => {
    const own = new MqttToolError('USAGE', 'x');
    expect(transportError(own, 'tls')).toBe(own);
    expect(transportError(new Error('odd\nsecond'), 'connect').message).toBe('odd');
    expect(transportError(new Error('odd\nsecond'), 'tls').message).toBe('A TLS error occurred: odd');
    const key = Object.assign(sysErr('ERR_OSSL_X509_KEY_VALUES_MISMATCH', 'error:05800074:x509 certificate routines::key values mismatch'), { reason: 'key values mismatch' });
    expect(transportError(key, 'tls').message).toBe('A TLS error occurred: key values mismatch');
    expect(errnoText(new Error('no code'))).toBeUndefined();
  });
});

describe('abortError / hostPort', () => {
  it('uses the abort reason when it is an MqttToolError', () => {
    const c = new AbortController();
    const reason = new MqttToolError('CONNECT_TIMEOUT', 'timed out');
    c.abort(reason);
    expect(abortError(c.signal)).toBe(reason);
    const d = new AbortController();
    d.abort();
    expect(abortError(d.signal).code).toBe('CONNECT_FAILED');
  });
  it('brackets IPv6 literals', () => {
    expect(hostPort('::1', 1883)).toBe('[::1]:1883');
    expect(hostPort('h', 1)).toBe('h:1');
  });
});
