// Usage errors against mosquitto's own clients: every row of argv-stderr-cases.ts is
// run through mqtt-<tool> and mosquitto_<tool> 2.0.11 (rows with an option only 2.1
// has, such as -o: 2.1), and
// stderr must be the same bytes (the program name aside) with the same status, unless
// the row is listed as differing on purpose. No broker: port 1 refuses at once.
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mosquitto21 } from '../helpers/mosquitto21.js';
import { CASES, caseKey, DIFFERS, NOTE, ONLY_IN_21, type Case } from './argv-stderr-cases.js';
import { requireBuild, ROOT, run, type RunResult } from './pub-run.js';

const home = mkdtempSync(join(tmpdir(), 'argv-stderr-'));
// No options file of either tool's (HOME and XDG_CONFIG_HOME point at an empty directory).
const env = { HOME: home, XDG_CONFIG_HOME: home };
afterAll(() => rmSync(home, { recursive: true, force: true }));

const ours = (tool: string, args: readonly string[]): Promise<RunResult> =>
  run(process.execPath, [join(ROOT, 'bin', `mqtt-${tool}.js`), '-p', '1', ...args], { env });

function theirs(tool: string, args: readonly string[]): Promise<RunResult> {
  if (!args.some((a) => ONLY_IN_21.includes(a))) return run(`mosquitto_${tool}`, ['-p', '1', ...args], { env });
  const m = mosquitto21();
  return run(m.bin(`mosquitto_${tool}` as 'mosquitto_pub'), ['-p', '1', ...args], { env: { ...env, LD_LIBRARY_PATH: m.env.LD_LIBRARY_PATH } });
}

interface Outcome {
  c: Case;
  ours: RunResult;
  theirs: RunResult;
  oursText: string;
  theirsText: string;
}

/** All rows, four at a time (each is two short-lived processes). */
async function runAll(): Promise<Outcome[]> {
  const out: Outcome[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < CASES.length) {
      const c = CASES[next++] as Case;
      const [tool, args] = c;
      const [o, t] = await Promise.all([ours(tool, args), theirs(tool, args)]);
      out.push({
        c,
        ours: o,
        theirs: t,
        oursText: o.stderr.replaceAll(`mqtt-${tool}`, 'TOOL'),
        theirsText: t.stderr.replaceAll(`mosquitto_${tool}`, 'TOOL'),
      });
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return out;
}

describe('usage errors: stderr and status against mosquitto_pub / mosquitto_sub / mosquitto_rr', () => {
  it('the table names only rows it has', () => {
    const keys = new Set(CASES.map(caseKey));
    for (const k of [...Object.keys(DIFFERS), ...Object.keys(NOTE)]) expect(keys.has(k), k).toBe(true);
  });

  it('every row: the same bytes and status, or mosquitto\'s first line then ours, or a listed difference', async () => {
    requireBuild();
    const outcomes = await runAll();
    let identical = 0;
    const perTool: Record<string, [same: number, rows: number]> = {};
    for (const { c, ours: o, theirs: t, oursText, theirsText } of outcomes) {
      const key = caseKey(c);
      expect(o.stderr, key).not.toMatch(/\n\s+at /);
      expect(o.status, key).toBe(t.status);
      const tally = (perTool[c[0]] ??= [0, 0]);
      tally[1]++;
      if (oursText === theirsText) {
        identical++;
        tally[0]++;
      }
      if (DIFFERS[key]) continue;
      if (NOTE[key]) {
        expect(oursText.split('\n')[0], key).toBe(theirsText.split('\n')[0]);
        expect(oursText, key).not.toBe(theirsText);
        continue;
      }
      expect(oursText, key).toBe(theirsText);
    }
    const listed = Object.keys(DIFFERS).length + Object.keys(NOTE).length;
    const tools = Object.entries(perTool).map(([tool, [same, rows]]) => `${tool} ${same}/${rows}`).join(', ');
    console.log(`argv errors: ${identical} of ${outcomes.length} identical on stderr and status (${tools}); ${listed} differ on purpose`);
    expect(identical).toBe(outcomes.length - listed);
  }, 120_000);

  it.each([
    ['pub', ['-t', 'a', '-n', '-q', '3']],
    ['rr', ['-t', 'a', '-e', 'b/#', '-n']],
  ])('a tool linked as mosquitto_%s names itself so, byte for byte', async (tool, args) => {
    requireBuild();
    const dir = mkdtempSync(join(tmpdir(), 'argv-name-'));
    try {
      const link = join(dir, `mosquitto_${tool}`);
      symlinkSync(join(ROOT, 'bin', `mqtt-${tool}.js`), link);
      const [o, t] = await Promise.all([run(process.execPath, [link, ...args], { env }), run(`mosquitto_${tool}`, args, { env })]);
      expect(o.stderr).toBe(t.stderr);
      expect(o.stderr).toContain(`Use 'mosquitto_${tool} --help' to see usage.`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
