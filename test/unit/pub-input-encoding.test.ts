// --input hex|base64: decoding is strict (nothing silently dropped), whitespace aside.
import { describe, expect, it } from 'vitest';
import { decodeInput } from '../../src/cli/pub/input-encoding.js';
import { exitCodeFor } from '../../src/cli/shared/exit-codes.js';
import type { MqttToolError } from '../../src/errors.js';

const dec = (s: string, e: 'raw' | 'hex' | 'base64'): string => decodeInput(Buffer.from(s, 'latin1'), e, 'x').toString('hex');

describe('decodeInput', () => {
  it('raw is the bytes as they are', () => {
    expect(dec('ab \n', 'raw')).toBe('6162200a');
  });
  it('hex: pairs, either case, whitespace anywhere', () => {
    expect(dec('de ad BE ef\n', 'hex')).toBe('deadbeef');
    expect(dec('  00\t0a\r\n', 'hex')).toBe('000a');
    expect(dec('', 'hex')).toBe('');
  });
  it.each(['abc', 'zz', '0x00', 'de:ad'])('hex %j is refused', (s) => {
    expect(() => dec(s, 'hex')).toThrow(/x is not valid hex/);
  });
  it('bad input is INVALID_INPUT (status 1), not an I/O error', () => {
    for (const [s, e] of [['zz', 'hex'], ['a', 'base64']] as const) {
      let err: unknown;
      try {
        dec(s, e);
      } catch (x) {
        err = x;
      }
      expect(err).toMatchObject({ code: 'INVALID_INPUT' });
      expect(exitCodeFor(err as MqttToolError)).toBe(1);
    }
  });
  it('base64: padded, unpadded, URL-safe, whitespace anywhere', () => {
    expect(dec('3q2+7wA=', 'base64')).toBe('deadbeef00');
    expect(dec('3q2+7wA', 'base64')).toBe('deadbeef00');
    expect(dec('3q2-7wA', 'base64')).toBe('deadbeef00');
    expect(dec('3q2+\n7wA=\n', 'base64')).toBe('deadbeef00');
    expect(dec('', 'base64')).toBe('');
  });
  it.each(['3q2+7wA=x', '3q2*', 'a', '====', 'ab=c'])('base64 %j is refused', (s) => {
    expect(() => dec(s, 'base64')).toThrow(/x is not valid base64/);
  });
});
