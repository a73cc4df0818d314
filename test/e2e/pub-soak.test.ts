// Test plan L6, short form: 100,000 QoS 1 lines from mqtt-pub -l --retry through
// a proxy that cuts the connection at random every ~0.5 s. Nothing may be lost,
// mqtt-pub must exit 0, and its memory and open files must not grow; at QoS 2
// nothing may arrive twice either. The full
// run (1,000,000 messages, a cut every ~10 s) is `npm run test:soak`.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireMosquitto } from '../helpers/broker.js';
import { ROOT, requireBuild } from './sub-helpers.js';

interface SoakResult {
  ok?: boolean;
  lost?: number;
  duplicates?: number;
  pubStatus?: number;
  cuts?: number;
  stray?: number;
}

function soak(...args: string[]): { status: number | null; result: SoakResult; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/soak.mjs'), ...args], { encoding: 'utf8', timeout: 110_000 });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  return { status: r.status, result: JSON.parse(line || '{}') as SoakResult, stderr: r.stderr };
}

describe('soak (L6, short)', () => {
  it('100,000 QoS 1 messages across repeated cuts: none lost, exit 0, no growth', () => {
    requireBuild();
    requireMosquitto();
    const { status, result, stderr } = soak('--messages', '100000', '--drop-ms', '500');
    expect(result, stderr).toMatchObject({ lost: 0, stray: 0, pubStatus: 0, ok: true });
    expect(result.cuts).toBeGreaterThanOrEqual(3); // the cuts did happen
    expect(status).toBe(0);
  }, 120_000);

  it('QoS 2 (MQTT 5, the session kept across cuts): every message exactly once', () => {
    requireBuild();
    requireMosquitto();
    const { result, stderr } = soak('--messages', '20000', '--drop-ms', '300', '--qos', '2');
    expect(result, stderr).toMatchObject({ lost: 0, duplicates: 0, stray: 0, pubStatus: 0, ok: true });
    expect(result.cuts).toBeGreaterThanOrEqual(3);
  }, 120_000);
});
