// -w / --watch, from mosquitto_sub 2.1: one fixed screen line per topic. Our
// stdout must be 2.1's bytes (cursor moves included), so the same run goes
// through both tools and the bytes are compared, then the screen is checked.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireMosquitto, startBroker, type Broker } from '../helpers/broker.js';
import { mosquitto21 } from '../helpers/mosquitto21.js';
import { requireBuild } from './pub-run.js';
import { SUB_BIN, unique } from './sub-helpers.js';

let broker: Broker;
let topic: string;
beforeAll(async () => {
  requireBuild();
  requireMosquitto();
  broker = await startBroker();
  topic = unique('watch');
  for (const [t, m] of [['a', 'first'], ['b', 'second value'], ['c', '3']]) {
    const r = spawnSync('mosquitto_pub', ['-p', String(broker.port), '-t', `${topic}/${t}`, '-m', m, '-r', '-q', '1']);
    expect(r.status).toBe(0);
  }
});
afterAll(async () => broker?.stop());

/** `topic/#` then `topic/a`: the retained a, b, c, then a again on its own line. */
function run(cmd: string, pre: string[], env: NodeJS.ProcessEnv, extra: string[]): { status: number | null; stdout: Buffer } {
  const args = [...pre, '-h', 'localhost', '-p', String(broker.port), '-t', `${topic}/#`, '-t', `${topic}/a`, '-C', '4', '-W', '10', '-w', ...extra];
  const r = spawnSync(cmd, args, { env, timeout: 15_000 });
  return { status: r.status, stdout: r.stdout };
}

describe('mqtt-sub -w / --watch', () => {
  for (const extra of [[], ['-v'], ['-F', '%t=%p']]) {
    it(`stdout is mosquitto_sub 2.1's, byte for byte (${extra.join(' ') || 'default'})`, () => {
      const m = mosquitto21();
      const theirs = run(m.bin('mosquitto_sub'), [], m.env, extra);
      const ours = run(process.execPath, [SUB_BIN], process.env, extra);
      expect(theirs.status).toBe(0);
      expect(ours.status).toBe(0);
      expect(ours.stdout.toString('latin1')).toBe(theirs.stdout.toString('latin1'));
    });
  }

  it('puts each topic on its own line, the first seen first, after the broker line', () => {
    const out = run(process.execPath, [SUB_BIN], process.env, ['-v']).stdout.toString();
    expect(out.startsWith('\x1b[2J\x1b[1;1HBroker: localhost\n')).toBe(true);
    expect(out).toContain(`\x1b[2;1H${topic}/a first\n\x1b[2;1H\n`);
    expect(out).toContain(`\x1b[3;1H${topic}/b second value\n\x1b[3;1H\n`);
    expect(out.endsWith(`\x1b[2;1H${topic}/a first\n\x1b[4;1H\n`)).toBe(true);
  });
});
