// Every man page renders with `man -l`, its EXAMPLES show exactly what the
// source says (quotes included, so a pasted example works), and the examples
// that can run against a local broker are run, as rendered, through bash.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireMosquitto, startBroker, type Broker } from '../helpers/broker.js';
import { mosquittoPub, requireBuild, ROOT } from './sub-helpers.js';

const PAGES = readdirSync(join(ROOT, 'man')).filter((f) => f.endsWith('.1'));

function render(page: string): { status: number | null; text: string; stderr: string } {
  // Wide enough that no example wraps; no hyphenation or pager.
  const r = spawnSync('man', ['-l', join(ROOT, 'man', page)], { encoding: 'utf8', env: { ...process.env, MANWIDTH: '250', MANPAGER: 'cat', PAGER: 'cat' } });
  return { status: r.status, text: r.stdout, stderr: r.stderr };
}

/** The example commands as rendered: the indented lines of the EXAMPLES section. */
function renderedExamples(text: string): string[] {
  const section = /^EXAMPLES\n([\s\S]*?)^\S/m.exec(text)?.[1] ?? '';
  return section.split('\n').filter((l) => /^ {14}\S/.test(l)).map((l) => l.trim());
}

/** The example commands in the source: the lines of each .nf block, roff escapes undone. */
function sourceExamples(page: string): string[] {
  const src = readFileSync(join(ROOT, 'man', page), 'utf8');
  const section = src.slice(src.indexOf('.SH EXAMPLES'), src.indexOf('.SH', src.indexOf('.SH EXAMPLES') + 1));
  return [...section.matchAll(/^\.nf\n([\s\S]*?)^\.fi$/gm)]
    .flatMap((m) => m[1]!.split('\n').filter(Boolean))
    .map((l) => l.replace(/\\-/g, '-').replace(/\\e/g, '\\').replace(/\\\\/g, '\\'));
}

describe.each(PAGES)('%s', (page) => {
  it('renders without errors, and every example reads as written', () => {
    const r = render(page);
    expect(r.status).toBe(0);
    expect(r.stderr).not.toMatch(/error/i);
    const shown = renderedExamples(r.text);
    expect(shown.length).toBeGreaterThan(2);
    expect(shown).toEqual(sourceExamples(page));
  });
});

describe('EXAMPLES run against a local broker', () => {
  let broker: Broker;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    requireBuild();
    requireMosquitto();
    broker = await startBroker();
    dir = mkdtempSync(join(tmpdir(), 'mqtt-man-'));
    // The tools by their installed names, pointed at the test broker.
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    for (const tool of ['mqtt-pub', 'mqtt-sub']) {
      writeFileSync(join(bin, tool), `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, 'bin', `${tool}.js`)}" -p ${broker.port} "$@"\n`);
      chmodSync(join(bin, tool), 0o755);
    }
    writeFileSync(join(dir, 'image.bin'), Buffer.from([0, 1, 2, 0xff]));
    env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, HOME: dir, XDG_CONFIG_HOME: join(dir, 'config'), XDG_CACHE_HOME: join(dir, 'cache'), NO_COLOR: '1' };
  });
  afterAll(async () => {
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const bash = (script: string): { status: number | null; stdout: string; stderr: string } => {
    const r = spawnSync('bash', ['-c', script], { encoding: 'utf8', env, cwd: dir, timeout: 20_000 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  // `-h broker` names the reader's broker; the wrapper already points at ours.
  const runnable = (page: string): string[] => renderedExamples(render(page).text).map((c) => c.replace(' -h broker', ''));

  it('mqtt-sub: each command line is accepted and subscribes (-E ends it then)', () => {
    for (const cmd of runnable('mqtt-sub.1')) {
      const r = bash(cmd.replace('mqtt-sub ', 'mqtt-sub -E '));
      expect({ cmd, status: r.status, stderr: r.stderr }).toEqual({ cmd, status: 0, stderr: '' });
    }
  });

  it('mqtt-sub: the script example gets the retained value', () => {
    const cmd = runnable('mqtt-sub.1').find((c) => c.includes('status/door'))!;
    mosquittoPub(broker.port, ['-t', 'status/door', '-m', 'open', '-r']);
    expect(bash(`${cmd}; echo "value=$value"`).stdout).toBe('value=open\n');
  });

  it('mqtt-sub: the delete-retained example clears them and ends at the first live message', () => {
    const cmd = runnable('mqtt-sub.1').find((c) => c.includes('--remove-retained'))!;
    mosquittoPub(broker.port, ['-t', 'old/a', '-m', '1', '-r']);
    mosquittoPub(broker.port, ['-t', 'old/b', '-m', '2', '-r']);
    const r = bash(`(sleep 1; mosquitto_pub -p ${broker.port} -t old/live -m x) & ${cmd}; echo "status=$?"`);
    expect(r.stdout.split('\n').sort()).toEqual(['', '1', '2', 'status=0']);
    // Nothing retained is left under old/.
    expect(bash(`mqtt-sub -t 'old/#' -W 1 -v; echo "status=$?"`).stdout).toBe('status=27\n');
  });

  it('mqtt-pub: the examples that need no other program publish (exit 0)', () => {
    const cmds = runnable('mqtt-pub.1').filter((c) => !c.includes('tail -f') && !c.includes('-L mqtts://'));
    expect(cmds.length).toBeGreaterThanOrEqual(5);
    for (const cmd of cmds) {
      const r = bash(cmd);
      expect({ cmd, status: r.status, stderr: r.stderr }).toEqual({ cmd, status: 0, stderr: '' });
    }
  });
});
