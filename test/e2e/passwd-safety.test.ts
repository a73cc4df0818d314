// Crash safety and file handling (test plan W3-W6): a failure or SIGKILL at
// every write step leaves the complete old or the complete new file and, after
// the next run, nothing stray; odd paths and permissions are refused or kept;
// concurrent writers lose nothing.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, linkSync, lstatSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FAULT_STEPS, type FaultStep } from '../../src/cli/passwd/faults.js';
import { fileLines, ours, oursAsync, PASSWD_BIN, requireBuild, scratchDir } from './passwd-helpers.js';

beforeAll(requireBuild);

const OLD = '# users\nalice:$6$AAAAAAAAAAAAAAAA$' + Buffer.alloc(64, 1).toString('base64') + '\nbob:plain\n';
const isRoot = process.getuid?.() === 0;

/** Whether this machine lets us bind-mount (root in a container may still lack CAP_SYS_ADMIN). */
function canBindMount(): boolean {
  if (!isRoot) return false;
  const a = join(tmpdir(), `mqtt-passwd-bind-${process.pid}-a`);
  const b = `${a.slice(0, -1)}b`;
  writeFileSync(a, '');
  writeFileSync(b, '');
  const ok = spawnSync('mount', ['--bind', a, b]).status === 0;
  if (ok) spawnSync('umount', [b]);
  rmSync(a, { force: true });
  rmSync(b, { force: true });
  return ok;
}

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

const PENDING = '.f.mqtt-passwd-pending';
/** Steps after the sidecar is committed: from there on the edit completes, now or at the next run. */
const COMMITTED: readonly FaultStep[] = ['dir-fsync', 'write-in-place', 'fsync-in-place', 'remove-sidecar', 'unlock'];

/** The next run finishes what the last one committed, then adds dave; nothing stray is left. */
function expectRecovered(f: string, committed: boolean, completes = committed): void {
  const next = ours(['-I', '1', '--stdin', f, 'dave'], { input: 'pw\n', env: { MQTT_PASSWD_LOCK_TIMEOUT_MS: '2000' } });
  expect(next.status).toBe(0);
  if (completes) expect(next.stderr).toContain(`Warning: Completed an interrupted edit of ${f}`);
  else expect(next.stderr).toBe('');
  expect(d.files()).toEqual(['f']);
  const lines = fileLines(readFileSync(f, 'utf8'));
  expect(lines.at(-1)).toMatch(/^dave:/);
  expect(lines.some((l) => l.startsWith('carol:'))).toBe(committed);
  expectOldOrNew(lines.slice(0, -1).join('\n') + '\n');
}

describe('injected failures at each write step (W3, W4 disk full / read-only)', () => {
  const before = FAULT_STEPS.filter((s) => !COMMITTED.includes(s));
  it.each(before)('%s: non-zero status, one clear line, original untouched, nothing left behind', (step) => {
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

  it.each(['write-in-place', 'fsync-in-place'] as const)('%s fails: status 1 naming the sidecar; the next run completes the edit', (step) => {
    const f = seed();
    const r = addCarol(f, { MQTT_PASSWD_FAULT: step });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^Error: Unable to write password file .*\\. The new content waits in .*${PENDING.replaceAll('.', '\\.')}; the next edit of the file completes it\\.\n$`));
    expect(d.files()).toEqual([PENDING, 'f']);
    expectRecovered(f, true);
  });

  it.each(['dir-fsync', 'remove-sidecar'] as const)('%s fails: the change is in place; a warning, status 0', (step) => {
    const f = seed();
    const r = addCarol(f, { MQTT_PASSWD_FAULT: step });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^Warning: Unable to (flush directory|remove )/);
    expect(expectOldOrNew(readFileSync(f, 'utf8'))).toBe('new');
  });

  it.each(FAULT_STEPS)('kill -9 at %s: old file, new file, or a committed sidecar; the next run recovers and leaves nothing stray', (step) => {
    const f = seed();
    const r = addCarol(f, { MQTT_PASSWD_FAULT: `kill:${step}` });
    expect(r.signal).toBe('SIGKILL');
    const committed = COMMITTED.includes(step) && step !== 'unlock';
    // Until the sidecar is committed the file is the old one; while it is, the file may be half written.
    if (!committed) expect(expectOldOrNew(readFileSync(f, 'utf8'))).toBe(step === 'unlock' ? 'new' : 'old');
    expect(d.files().includes(PENDING)).toBe(committed);
    expectRecovered(f, COMMITTED.includes(step), committed);
  });

  it('kill -9 halfway through the in-place write leaves a partial file, which the next run completes', () => {
    const f = seed();
    expect(addCarol(f, { MQTT_PASSWD_FAULT: 'kill:write-in-place' }).signal).toBe('SIGKILL');
    const partial = readFileSync(f, 'utf8');
    expect(partial.startsWith(OLD)).toBe(true);
    expect(partial).not.toMatch(/==\n$/);
    expect(ours(['--list', f]).stderr).toContain(`Warning: An edit of ${f} was interrupted; its new content waits in`);
    expectRecovered(f, true);
  });

  it('a sidecar that no longer fits the file (cut since) is not applied: status 1, the file untouched', () => {
    const f = seed();
    expect(addCarol(f, { MQTT_PASSWD_FAULT: 'kill:write-in-place' }).signal).toBe('SIGKILL');
    writeFileSync(f, 'x:y\n');
    const r = ours(['-D', f, 'x']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/holds an interrupted edit that no longer fits .* \(the file was cut since\); check it, then remove it\.\n$/);
    expect(readFileSync(f, 'utf8')).toBe('x:y\n');
  });
});

describe('the edit reaches the inode the broker reads', () => {
  it('a hard link sees a deletion, and the inode is the same', () => {
    const f = seed();
    const link = d.path('link');
    linkSync(f, link);
    const ino = statSync(f).ino;
    expect(ours(['-D', f, 'bob']).status).toBe(0);
    expect(readFileSync(link, 'utf8')).toBe(OLD.replace('bob:plain\n', ''));
    expect(statSync(f).ino).toBe(ino);
    expect(statSync(f).nlink).toBe(2);
  });

  // A bind-mounted file is a mount point: rename over it fails with EBUSY, and a
  // rename elsewhere would leave the container with the old inode.
  it.runIf(isRoot && canBindMount())('a bind-mounted file (as in a container) is edited through the mount point', () => {
    const f = seed();
    const mounted = d.path('mounted');
    writeFileSync(mounted, '');
    expect(spawnSync('mount', ['--bind', f, mounted]).status).toBe(0);
    try {
      const r = ours(['-D', mounted, 'bob']);
      expect(r).toMatchObject({ status: 0, stderr: '' });
      expect(readFileSync(f, 'utf8')).toBe(OLD.replace('bob:plain\n', ''));
    } finally {
      spawnSync('umount', [mounted]);
    }
  });
  it.skipIf(isRoot && canBindMount())('a bind-mounted file: skipped, `mount --bind` needs root (or is unavailable here)', () => {});
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
