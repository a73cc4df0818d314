// @Z: zone abbreviations from TZif files and POSIX rules, as glibc's %Z.
// Uses synthetic TZif files, so it does not depend on the machine's tzdata.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { abbreviationAt, parsePosix, parseTzif, zoneAbbreviation } from '../../src/cli/sub/tz-abbrev.js';

/** A TZif v2 file: types LMT/CET/CEST, transitions at `times`, and a footer rule. */
function tzif(times: number[], typeOf: number[], footer: string): Buffer {
  const chars = Buffer.from('LMT\0CET\0CEST\0', 'latin1');
  const types = [
    [561, 0, 0],
    [3600, 0, 4],
    [7200, 1, 8],
  ];
  const header = (timeSize: number): Buffer => {
    const h = Buffer.alloc(44);
    h.write('TZif2', 0, 'latin1');
    [0, 0, 0, times.length, types.length, chars.length].forEach((n, k) => h.writeUInt32BE(n, 20 + 4 * k));
    void timeSize;
    return h;
  };
  const block = (timeSize: number): Buffer => {
    const t = Buffer.alloc(times.length * timeSize);
    times.forEach((x, i) => (timeSize === 8 ? t.writeBigInt64BE(BigInt(x), i * 8) : t.writeInt32BE(x, i * 4)));
    const ty = Buffer.alloc(types.length * 6);
    types.forEach(([off, dst, idx], i) => {
      ty.writeInt32BE(off!, i * 6);
      ty[i * 6 + 4] = dst!;
      ty[i * 6 + 5] = idx!;
    });
    return Buffer.concat([header(timeSize), t, Buffer.from(typeOf), ty, chars]);
  };
  return Buffer.concat([block(4), block(8), Buffer.from(`\n${footer}\n`, 'latin1')]);
}

describe('parseTzif', () => {
  it('reads transitions, types, abbreviations and the footer rule', () => {
    const z = parseTzif(tzif([-1000, 0, 100], [1, 2, 1], 'CET-1CEST,M3.5.0,M10.5.0/3'))!;
    expect(z.transitions).toEqual([-1000, 0, 100]);
    expect(z.types.map((t) => t.abbr)).toEqual(['LMT', 'CET', 'CEST']);
    expect(z.types[2]).toMatchObject({ off: 7200, isDst: true });
    expect(z.footer).toEqual({ std: 'CET', stdOff: 3600, dst: 'CEST', dstOff: 7200 });
  });

  it('rejects what is not TZif', () => {
    expect(parseTzif(Buffer.from('hello world, not a zone file at all......................'))).toBeUndefined();
  });
});

describe('parsePosix', () => {
  it.each([
    ['EST5EDT', { std: 'EST', stdOff: -18000, dst: 'EDT', dstOff: -14400 }],
    ['<+03>-3', { std: '+03', stdOff: 10800 }],
    ['IST-5:30', { std: 'IST', stdOff: 19800 }],
    ['<+1030>-10:30<+11>-11,M10.1.0,M4.1.0', { std: '+1030', stdOff: 37800, dst: '+11', dstOff: 39600 }],
    ['UTC0', { std: 'UTC', stdOff: 0 }],
  ])('%s', (rule, want) => {
    expect(parsePosix(rule)).toEqual(want);
  });
  it('rejects nonsense', () => {
    expect(parsePosix('5')).toBeUndefined();
  });
});

describe('abbreviationAt', () => {
  const z = parseTzif(tzif([-1000, 0, 100], [1, 2, 1], 'CET-1CEST,M3.5.0,M10.5.0/3'))!;
  it('before the first transition: the first standard-time type', () => {
    expect(abbreviationAt(z, -5000, 561)).toBe('LMT');
  });
  it('between transitions: the type in force', () => {
    expect(abbreviationAt(z, 50, 7200)).toBe('CEST');
    expect(abbreviationAt(z, -10, 3600)).toBe('CET');
  });
  it('after the last transition: the footer rule, chosen by the current offset', () => {
    expect(abbreviationAt(z, 1795607301, 3600)).toBe('CET');
    expect(abbreviationAt(z, 1795607301, 7200)).toBe('CEST');
  });
});

describe('zoneAbbreviation', () => {
  const saved = process.env.TZ;
  afterEach(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });

  it('TZ="" is UTC', () => {
    process.env.TZ = '';
    expect(zoneAbbreviation(new Date())).toBe('UTC');
  });

  it('reads a zone file named by an absolute TZ path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mqtt-sub-tz-'));
    writeFileSync(join(dir, 'Zone'), tzif([], [], 'ZZT0'));
    process.env.TZ = `:${join(dir, 'Zone')}`;
    // Whatever offset the runtime derives, the file's only names are LMT and ZZT.
    expect(['ZZT', 'LMT']).toContain(zoneAbbreviation(new Date(1795607301000)));
  });
});
