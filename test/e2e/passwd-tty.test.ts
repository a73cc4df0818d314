// The prompt on a real terminal (a pty from util-linux `script`): nothing is
// echoed, a mismatch exits 2, and Ctrl-C puts the terminal back (W9).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWD_BIN, requireBuild, scratchDir } from './passwd-helpers.js';

beforeAll(() => {
  requireBuild();
  if (spawnSync('script', ['--version']).error) throw new Error('util-linux `script` is needed for the terminal tests (apt-get install bsdutils).');
});

const d = scratchDir();
afterAll(() => d.remove());

/**
 * Runs `shell` in a pty; each time the output so far matches a prompt, the
 * next answer is typed. Resolves with everything the terminal showed.
 */
function onTerminal(shell: string, answers: Array<[RegExp, string]>): Promise<string> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.CI; // progress stays off under CI, which is where this suite runs
    const p = spawn('script', ['-q', '-e', '-c', shell, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], env });
    let out = '';
    let next = 0;
    let seen = 0;
    const timer = setTimeout(() => p.kill('SIGKILL'), 15_000);
    p.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('latin1');
      const step = answers[next];
      if (!step) return;
      const m = step[0].exec(out.slice(seen));
      if (!m) return;
      seen += (m.index ?? 0) + m[0].length;
      next++;
      p.stdin.write(step[1]);
    });
    p.on('error', reject);
    p.on('close', () => {
      clearTimeout(timer);
      p.stdin.destroy();
      resolve(out);
    });
  });
}

const cmd = (args: string) => `${process.execPath} ${PASSWD_BIN} ${args}; echo "status=$?"; stty -a`;

describe('terminal prompt', () => {
  it('asks twice without echo and writes the user', async () => {
    const f = d.path('a');
    const out = await onTerminal(cmd(`-c -I 1 ${f} tty-user`), [
      [/Password: /, 'hunter22\r'],
      [/Reenter password: /, 'hunter22\r'],
    ]);
    expect(out).toContain('status=0');
    expect(out).not.toContain('hunter22');
    expect(readFileSync(f, 'utf8')).toMatch(/^tty-user:\$7\$1\$/);
  });

  it('a mismatch exits 2', async () => {
    const out = await onTerminal(cmd(`-c -I 1 ${d.path('b')} u`), [
      [/Password: /, 'one\r'],
      [/Reenter password: /, 'two\r'],
    ]);
    expect(out).toContain('Error: Passwords do not match.');
    expect(out).toContain('status=2');
    expect(existsSync(d.path('b'))).toBe(false);
  });

  it('Ctrl-C at the prompt restores echo and canonical mode and changes nothing', async () => {
    const out = await onTerminal(cmd(`-c ${d.path('c')} u`), [[/Password: /, 'half\x03']]);
    expect(out).toMatch(/status=255/);
    const settings = out.slice(out.indexOf('status='));
    expect(settings).toMatch(/(^|[\s;])echo([\s;]|$)/);
    expect(settings).toMatch(/(^|[\s;])icanon([\s;]|$)/);
    expect(settings).not.toMatch(/-echo[\s;]/);
    expect(existsSync(d.path('c'))).toBe(false);
  });

  it.each([['80'], ['0']])('-U shows progress on a terminal %s columns wide, and finishes', async (cols) => {
    const f = d.path(`u${cols}`);
    writeFileSync(f, Array.from({ length: 120 }, (_, i) => `u${i}:p${i}\n`).join(''), { mode: 0o600 });
    const out = await onTerminal(`stty cols ${cols} rows 24; ${cmd(`-I 50 -U ${f}`)}`, []);
    expect(out).toContain('status=0');
    // ora needs a width: with none (some ptys) it is not started at all.
    if (cols === '80') expect(out).toContain('Hashing passwords');
    else expect(out).not.toContain('Hashing passwords');
    expect(readFileSync(f, 'utf8').split('\n').filter((l) => l.includes(':$7$50$'))).toHaveLength(120);
  });
});
