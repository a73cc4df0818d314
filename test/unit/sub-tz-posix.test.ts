// POSIX TZ rules against glibc itself: `date` (coreutils, on every Debian) is
// asked for the offset and abbreviation at the same instants.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parsePosixTz, posixLocal } from '../../src/cli/sub/tz-posix.js';

const ZONES = [
  'CET-1CEST,M3.5.0,M10.5.0/3', // central Europe
  'AEST-10AEDT,M10.1.0,M4.1.0/3', // southern hemisphere: DST across the new year
  'NZST-12NZDT,M9.5.0,M4.1.0/3',
  '<+03>-3', // quoted name, no DST
  'EST5EDT4,J60/2,J300/2', // Julian days without February 29
  'XXX3YYY,100/-1,250/26', // zero-based days, negative and >24 h times
  '<-0330>3:30<-0230>,M3.2.0/-2:30,M11.1.0/26',
];

function text(off: number, abbr: string): string {
  const a = Math.abs(off);
  return `${off < 0 ? '-' : '+'}${String(Math.floor(a / 3600)).padStart(2, '0')}${String(Math.floor((a % 3600) / 60)).padStart(2, '0')} ${abbr}`;
}

describe('POSIX TZ rules (glibc as the oracle)', () => {
  // Every 3 days and 1 hour over three years, plus the seconds around each 2026 transition.
  const instants: number[] = [];
  for (let t = 1_735_689_600; t < 1_830_000_000; t += 3 * 86_400 + 3_607) instants.push(t);

  it.each(ZONES)('%s', (tz) => {
    const zone = parsePosixTz(tz);
    expect(zone).toBeDefined();
    const around: number[] = [];
    // Where our engine changes its mind, glibc must too, to the second.
    for (let i = 1; i < instants.length; i++) {
      const [a, b] = [instants[i - 1] as number, instants[i] as number];
      if (posixLocal(zone!, a).off !== posixLocal(zone!, b).off) {
        let [lo, hi] = [a, b];
        while (hi - lo > 1) {
          const mid = Math.floor((lo + hi) / 2);
          if (posixLocal(zone!, mid).off === posixLocal(zone!, a).off) lo = mid;
          else hi = mid;
        }
        around.push(lo, hi);
      }
    }
    const all = [...instants, ...around];
    const glibc = execFileSync('bash', ['-c', 'while read t; do date -d "@$t" "+%z %Z"; done'], {
      input: `${all.join('\n')}\n`,
      env: { ...process.env, TZ: tz },
    })
      .toString()
      .trim()
      .split('\n');
    const ours = all.map((t) => {
      const r = posixLocal(zone!, t);
      return text(r.off, r.abbr);
    });
    expect(ours).toEqual(glibc);
  });

  it('a DST name without rules takes the US rules (glibc reads them from its posixrules file)', () => {
    // glibc shifts posixrules' own transition instants by a few hours, so only the seasons are compared.
    const z = parsePosixTz('ABC5DEF')!;
    expect(posixLocal(z, Date.UTC(2026, 6, 1) / 1000)).toEqual({ off: -4 * 3600, abbr: 'DEF' });
    expect(posixLocal(z, Date.UTC(2026, 0, 1) / 1000)).toEqual({ off: -5 * 3600, abbr: 'ABC' });
  });

  it.each(['', 'Europe/Berlin', ':Europe/Berlin', 'CET-1CEST,M3.5.0', 'AB1', 'CET-1CEST,M13.1.0,M10.5.0', 'CET-1CEST,J0,J100'])(
    '%j is not a full POSIX rule',
    (tz) => {
      expect(parsePosixTz(tz)).toBeUndefined();
    },
  );
});
