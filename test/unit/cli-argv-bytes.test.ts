import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { argBytes, decodeEscaped, hasEscapedBytes, recoverArgv } from '../../src/cli/shared/argv-bytes.js';

const lossy = (b: Buffer): string => b.toString('utf8');
const cmdline = (...parts: Buffer[]): Buffer => Buffer.concat(parts.flatMap((p) => [p, Buffer.of(0)]));

describe('argv bytes', () => {
  it('decodeEscaped then argBytes gives back any bytes; valid UTF-8 decodes as usual', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const s = decodeEscaped(bytes);
        expect(argBytes(s).equals(Buffer.from(bytes))).toBe(true);
        const valid = !lossy(Buffer.from(bytes)).includes('\ufffd');
        if (valid) expect(s).toBe(lossy(Buffer.from(bytes)));
        expect(hasEscapedBytes(s)).toBe(!Buffer.from(s, 'utf8').equals(Buffer.from(bytes)));
      }),
      { numRuns: 2000 },
    );
    expect(argBytes('😀€')).toEqual(Buffer.from('😀€', 'utf8'));
  });

  it('recoverArgv maps the last arguments of /proc/self/cmdline, past node and its options', () => {
    const bad = Buffer.from([0x61, 0xff, 0xfe]);
    const args = ['-t', 'x', '-m', lossy(bad)];
    const line = cmdline(Buffer.from('node'), Buffer.from('--no-warnings'), Buffer.from('bin/mqtt-pub.js'), ...args.slice(0, 3).map((a) => Buffer.from(a)), bad);
    const out = recoverArgv(args, () => line);
    expect(out.slice(0, 3)).toEqual(['-t', 'x', '-m']);
    expect(argBytes(out[3]!)).toEqual(bad);
  });

  it('reads nothing when no argument holds U+FFFD; refuses when the bytes cannot be matched', () => {
    expect(recoverArgv(['-m', 'ok'], () => { throw new Error('must not read'); })).toEqual(['-m', 'ok']);
    const args = ['-m', '\ufffd'];
    expect(() => recoverArgv(args, () => undefined)).toThrow(/Argument 2 is not valid UTF-8/);
    expect(() => recoverArgv(args, () => cmdline(Buffer.from('-m'), Buffer.from('other')))).toThrow(/cannot be read back/);
  });
});
