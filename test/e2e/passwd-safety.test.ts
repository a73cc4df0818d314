// Crash safety and file handling (test plan W3-W6): a failure or SIGKILL at
// every write step leaves the complete old or the complete new file and, after
// the next run, nothing stray; odd paths and permissions are refused or kept;
// concurrent writers lose nothing.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, lstatSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FAULT_STEPS } from '../../src/cli/passwd/faults.js';
import { fileLines, ours, oursAsync, PASSWD_BIN, requireBuild, scratchDir } from './passwd-helpers.js';

beforeAll(requireBuild);

const OLD = '# users\nalice:$6$AAAAAAAAAAAAAAAA$' + Buffer.alloc(64, 1).toString('base64') + '\nbob:plain\n';
const isRoot = process.getuid?.() === 0;

let d: ReturnType<typeof scratchDir>;
afterEach(() => d?.remove());

function seed(mode = 0o600): string {
  d = scratchDir();
  const f = d.path('f');
  writeFileSync(f, OLD);
  chmodSync(f, mode);
  return f;
}

// One PBKDF2 iteration keeps these runs fast; the hash type does not matter here.
const addCarol = (f: string, env: NodeJS.ProcessEnv = {}) => ours(['-I', '1', '--stdin', f, 'carol'], { input: 'pw\n', env });

/** The old file, or the old file plus carol's line: nothing in between. */
function expectOldOrNew(text: string): 'old' | 'new' {
  if (text === OLD) return 'old';
  expect(text.startsWith(OLD)).toBe(true);
  expect(text.slice(OLD.length)).toMatch(/^carol:\$7\$1\$[A-Za-z0-9+/]{16}\$[A-Za-z0-9+/]{86}==\n$/);
  return 'new';
}

describe('injected failures at each write step (W3, W4 disk full / read-only)', () => {
  const failing = FAULT_STEPS.filter((s) => s !== 'dir-fsync' && s !== 'unlock');
  it.each(failing)('%s: non-zero status, one clear line, original untouched, nothing left behind', (step) => {
    const f = seed();
    const r = addCarol(f, { MQTT_PASSWD_FAULT: step });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^Error: Unable to (write|open) password file .*\.\n$/);
    expect(readFileSync(f, 'utf8')).toBe(OLD);
    expect(d.files()).toEqual(['f']);
  });

  it('a half-written temp file (disk full) is removed and reported as ENOSPC', () => {
    const f = seed();
    const r = addCarol(f, { MQTT_PASSWD_FAULT: 'write' });
    expect(r.stderr).toContain('No space left on device');
    expect(readFileSync(f, 'utf8')).toBe(OLD);
  });

  it('dir-fsync: the change is in place; a warning says it may not be durable', () => {
    const f = seed();
    const r = addCarol(f, { MQTT_PASSWD_FAULT: 'dir-fsync' });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^Warning: Unable to flush directory/);
    expect(expectOldOrNew(readFileSync(f, 'utf8'))).toBe('new');
    expect(d.files()).toEqual(['f']);
  });

  it.each(FAULT_STEPS)('kill -9 at %s: old or new file; the next run recovers and leaves nothing stray', (step) => {
    const f = seed();
    const r = addCarol(f, { MQTT_PASSWD_FAULT: `kill:${step}` });
    expect(r.signal).toBe('SIGKILL');
    const state = expectOldOrNew(readFileSync(f, 'utf8'));
    // Only after the rename is the new file in place.
    expect(state).toBe(step === 'dir-fsync' || step === 'unlock' ? 'new' : 'old');
    const next = ours(['-I', '1', '--stdin', f, 'dave'], { input: 'pw\n', env: { MQTT_PASSWD_LOCK_TIMEOUT_MS: '2000' } });
    expect(next.status).toBe(0);
    expect(d.files()).toEqual(['f']);
    expect(fileLines(readFileSync(f, 'utf8')).at(-1)).toMatch(/^dave:/);
  });
});

describe('interrupted while holding the lock', () => {
  it.each([['SIGINT'], ['SIGTERM']] as const)('%s during a long -U: the lock is dropped, the file untouched', async (signal) => {
    d = scratchDir();
    const f = d.path('f');
    const text = Array.from({ length: 200 }, (_, i) => `u${i}:p${i}\n`).join('');
    writeFileSync(f, text, { mode: 0o600 });
    const p = spawn(process.execPath, [PASSWD_BIN, '-I', '2000000', '-U', f], { stdio: 'ignore' });
    const ended = new Promise<NodeJS.Signals | null>((resolve) => p.on('exit', (_code, sig) => resolve(sig)));
    for (let i = 0; i < 200 && !d.files().includes('f.lock'); i++) await new Promise((r) => setTimeout(r, 25));
    expect(d.files()).toContain('f.lock');
    p.kill(signal);
    expect(await ended).toBe(signal);
    expect(readFileSync(f, 'utf8')).toBe(text);
    expect(d.files()).toEqual(['f']);
  });
});

describe('odd paths (W4)', () => {
  it('refuses a symlink unless --follow-symlinks, which edits the target and keeps the link', () => {
    const f = seed();
    const link = d.path('link');
    symlinkSync(f, link);
    const r = ours(['-D', link, 'bob']);
    expect(r).toMatchObject({ status: 1, stderr: `Error: Password file ${link} is a symbolic link; use --follow-symlinks to edit its target.\n` });
    expect(readFileSync(f, 'utf8')).toBe(OLD);
    expect(ours(['--follow-symlinks', '-D', link, 'bob']).status).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(f, 'utf8')).not.toContain('bob:');
    expect(d.files()).toEqual(['f', 'link']);
  });

  it('refuses a directory and a path under a regular file', () => {
    seed();
    mkdirSync(d.path('dir'));
    expect(ours(['-c', '-b', d.path('dir'), 'u', 'p'])).toMatchObject({ status: 1, stderr: expect.stringContaining(`Unable to open password file ${d.path('dir')}. Is a directory.`) });
    expect(ours(['-c', '--stdin', d.path('f/sub'), 'u'], { input: 'p\n' })).toMatchObject({
      status: 1,
      stderr: expect.stringContaining('Not a directory'),
    });
    expect(readFileSync(d.path('f'), 'utf8')).toBe(OLD);
  });

  it.runIf(!isRoot)('a read-only directory fails cleanly (as non-root)', () => {
    const f = seed();
    chmodSync(d.dir, 0o555);
    try {
      const r = addCarol(f);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('Permission denied');
      expect(readFileSync(f, 'utf8')).toBe(OLD);
    } finally {
      chmodSync(d.dir, 0o755);
    }
  });
});

describe('permissions and ownership (W5)', () => {
  it('warns about a world-readable file and keeps its mode', () => {
    const f = seed(0o644);
    const r = addCarol(f);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`Warning: File ${f} has world readable permissions.`);
    expect(statSync(f).mode & 0o7777).toBe(0o644);
  });

  it('refuses a world-writable file without --force', () => {
    const f = seed(0o666);
    const r = addCarol(f);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('is writable by other users');
    expect(readFileSync(f, 'utf8')).toBe(OLD);
    const forced = ours(['--force', '-I', '1', '--stdin', f, 'carol'], { input: 'pw\n' });
    expect(forced.status).toBe(0);
    expect(statSync(f).mode & 0o7777).toBe(0o666);
  });

  it('warns when others can write to the directory (no sticky bit)', () => {
    const f = seed();
    chmodSync(d.dir, 0o777);
    expect(addCarol(f).stderr).toContain('is writable by other users, who could replace the password file');
    chmodSync(d.dir, 0o700);
  });

  it.runIf(isRoot)('keeps another owner and group (run as root)', () => {
    const f = seed(0o640);
    chownSync(f, 1234, 2345);
    expect(addCarol(f).status).toBe(0);
    const st = statSync(f);
    expect([st.uid, st.gid, st.mode & 0o7777]).toEqual([1234, 2345, 0o640]);
  });
});

describe('concurrent writers (W6)', () => {
  it('eight parallel runs each add their user; none is lost', async () => {
    const f = seed();
    const users = Array.from({ length: 8 }, (_, i) => `user${i}`);
    const results = await Promise.all(users.map((u) => oursAsync(['-I', '1', '--stdin', f, u], { input: 'pw\n' })));
    for (const r of results) expect(r).toMatchObject({ status: 0, stderr: '' });
    const text = readFileSync(f, 'utf8');
    expect(text.startsWith(OLD)).toBe(true);
    expect(fileLines(text).map((l) => l.split(':')[0]).slice(3).sort()).toEqual(users);
    expect(d.files()).toEqual(['f']);
  });

  it('a live lock is waited for, then refused with "locked"; the file is untouched', () => {
    const f = seed();
    writeFileSync(`${f}.lock`, `${process.pid} test\n`);
    const r = addCarol(f, { MQTT_PASSWD_LOCK_TIMEOUT_MS: '300' });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`Error: Password file ${f} is locked by another process (pid ${process.pid}); if none is running, remove ${f}.lock.\n`);
    expect(readFileSync(f, 'utf8')).toBe(OLD);
    expect(d.files()).toEqual(['f', 'f.lock']);
  });

  it("a dead process's lock is broken", () => {
    const f = seed();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    writeFileSync(`${f}.lock`, `${dead} stale\n`);
    expect(addCarol(f, { MQTT_PASSWD_LOCK_TIMEOUT_MS: '300' }).status).toBe(0);
    expect(expectOldOrNew(readFileSync(f, 'utf8'))).toBe('new');
    expect(d.files()).toEqual(['f']);
  });
});
