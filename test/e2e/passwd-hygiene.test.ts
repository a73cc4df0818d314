// What an admin must not be surprised by (issue 12): no clear text left by -U,
// no usernames the broker reads otherwise, a warning for bcrypt, bounded
// --stdin, no hang on a FIFO, no secret printed from a planted lock, one line
// saying what is wrong before the usage, --version, 2.1's Adding/Updating lines.
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fileLines, ours, PASSWD_BIN, requireBuild, scratchDir } from './passwd-helpers.js';

beforeAll(requireBuild);

let d: ReturnType<typeof scratchDir>;
afterEach(() => d?.remove());

function file(text: string): string {
  d = scratchDir();
  const f = d.path('f');
  writeFileSync(f, text);
  chmodSync(f, 0o600);
  return f;
}

describe('-U leaves no clear text', () => {
  it('hashes fields that look like hashes but parse as none, says which lines, and the old text is the password', () => {
    const f = file('alice:$Summer$2024-secret\nbob:$7$hunter2\ncarol:plain\n');
    const r = ours(['-I', '1', '-U', f]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(
      'Warning: Line 1: the password of user alice looks like a hash no broker reads; it is hashed as a plain-text password.\n' +
        'Warning: Line 2: the password of user bob looks like a hash no broker reads; it is hashed as a plain-text password.\n',
    );
    const text = readFileSync(f, 'utf8');
    expect(text).not.toContain('Summer');
    expect(text).not.toContain('hunter2');
    expect(fileLines(text).every((l) => /^\w+:\$7\$1\$/.test(l))).toBe(true);
    expect(ours(['--check', '--stdin', f, 'alice'], { input: '$Summer$2024-secret\n' }).status).toBe(0);
    expect(ours(['--check', '--stdin', f, 'bob'], { input: '$7$hunter2\n' }).status).toBe(0);
  });
});

describe('-c replaces whatever was there', () => {
  it('even a file that is corrupt or not a password file at all, in the same inode', () => {
    const f = file('no colon here\n' + 'x'.repeat(2 << 20));
    const ino = statSync(f).ino;
    expect(ours(['-c', '-I', '1', '--stdin', f, 'u'], { input: 'pw\n' })).toMatchObject({ status: 0, stderr: '' });
    expect(readFileSync(f, 'utf8')).toMatch(/^u:\$7\$1\$[^\n]+\n$/);
    expect(statSync(f).ino).toBe(ino);
  });
});

describe('usernames the broker would read otherwise', () => {
  it.each([
    ['#alice', "Error: Username must not start with '#': the line would be a comment.\n"],
    [' alice', 'Error: Username must not start or end with a blank: the broker would read it without.\n'],
    ['alice\u0020', 'Error: Username must not start or end with a blank: the broker would read it without.\n'],
  ])('%j is refused, the file untouched', (name, stderr) => {
    const f = file('x:y\n');
    expect(ours(['--stdin', f, name], { input: 'pw\n' })).toMatchObject({ status: 1, stderr });
    expect(readFileSync(f, 'utf8')).toBe('x:y\n');
  });
});

describe('hash types and brokers', () => {
  it('warns when writing bcrypt, which no Mosquitto broker reads', () => {
    const f = file('');
    const r = ours(['-H', 'bcrypt', '-I', '4', '--stdin', f, 'u'], { input: 'pw\n' });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('Warning: Mosquitto brokers do not read bcrypt hashes and drop such entries');
  });

  it('--list -v says which brokers read each entry', () => {
    const f = file('');
    ours(['-H', 'sha512-pbkdf2', '-I', '1', '--stdin', f, 'a'], { input: 'pw\n' });
    ours(['-H', 'argon2id', '--stdin', f, 'b'], { input: 'pw\n' });
    writeFileSync(f, 'c:clear\n', { flag: 'a' });
    expect(ours(['-v', '--list', f]).stdout).toBe('a\tsha512-pbkdf2\t1\tMosquitto 2.0+\nb\targon2id\tm=47104,t=1,p=1\tMosquitto 2.1+\nc\tplain\tno broker\n');
  });

  it('no -H: $7$ by default, argon2id when the file already holds argon2id; -H wins', () => {
    const f = file('');
    ours(['--stdin', f, 'a'], { input: 'pw\n' });
    expect(readFileSync(f, 'utf8')).toMatch(/^a:\$7\$210000\$/);
    ours(['-H', 'argon2id', '--stdin', f, 'b'], { input: 'pw\n' });
    ours(['--stdin', f, 'c'], { input: 'pw\n' });
    ours(['-H', 'sha512-pbkdf2', '-I', '1', '--stdin', f, 'd'], { input: 'pw\n' });
    expect(fileLines(readFileSync(f, 'utf8')).map((l) => l.split('$')[1])).toEqual(['7', 'argon2id', 'argon2id', '7']);
  });
});

describe('Mosquitto 2.1 says what it did', () => {
  it('"Adding" then "Updating password for user NAME" after the prompts; -b and --stdin stay quiet', () => {
    const f = file('');
    expect(ours(['-I', '1', f, 'ann'], { input: 'pw\npw\n' }).stdout).toBe('Password: \nReenter password: \nAdding password for user ann\n');
    expect(ours(['-I', '1', f, 'ann'], { input: 'pw\npw\n' }).stdout).toBe('Password: \nReenter password: \nUpdating password for user ann\n');
    expect(ours(['-I', '1', '--stdin', f, 'bob'], { input: 'pw\n' }).stdout).toBe('');
    expect(ours(['-I', '1', '-b', f, 'bob', 'pw']).stdout).toBe('');
  });
});

describe('bad input', () => {
  it('--stdin reads at most 65,536 bytes: longer is refused at once, and 50 MB costs no time', () => {
    const f = file('');
    const t0 = Date.now();
    const r = spawnSync(process.execPath, [PASSWD_BIN, '--stdin', f, 'u'], { input: Buffer.alloc(50 << 20, 0x61), encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('Error: Password must be less than 65536 characters long.\n');
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(ours(['-I', '1', '--stdin', f, 'u'], { input: `${'p'.repeat(65535)}\r\n` }).status).toBe(0);
  });

  it.each([['--list'], ['--check']])('%s on a FIFO fails at once instead of blocking', (mode) => {
    d = scratchDir();
    const fifo = d.path('fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const args = mode === '--list' ? ['--list', fifo] : ['--check', '--stdin', fifo, 'u'];
    const r = spawnSync(process.execPath, [PASSWD_BIN, ...args], { input: 'pw\n', encoding: 'utf8', timeout: 5000 });
    expect(r.signal).toBeNull();
    expect(r).toMatchObject({ status: 1, stderr: `Error: Password file ${fifo} is not a regular file.\n` });
  });

  it("a lock planted as a symlink to a secret: the secret's first word is never printed", () => {
    const f = file('x:y\n');
    writeFileSync(d.path('secret'), 'TOPSECRET rest\n');
    symlinkSync(d.path('secret'), `${f}.lock`);
    const r = ours(['-I', '1', '--stdin', f, 'u'], { input: 'pw\n', env: { MQTT_PASSWD_LOCK_TIMEOUT_MS: '200' } });
    expect(r).toMatchObject({ status: 1, stderr: `Error: Password file ${f} is locked by another process; if none is running, remove ${f}.lock.\n` });
    writeFileSync(d.path('secret'), '12345 rest\n');
    expect(ours(['-I', '1', '--stdin', f, 'u'], { input: 'pw\n', env: { MQTT_PASSWD_LOCK_TIMEOUT_MS: '200' } }).stderr).not.toContain('12345');
  });

  it.each([
    [['f'], 'Error: Username missing.\n'],
    [['--lst', 'f'], "Error: Unknown option '--lst'.\n"],
  ])('%j: one line saying what is wrong on stderr, then the usage on stdout, exit 1', (args, stderr) => {
    const r = ours(args);
    expect(r).toMatchObject({ status: 1, stderr });
    expect(r.stdout).toMatch(/^mqtt-passwd is a tool for managing password files for mosquitto\.\n\nUsage: /);
  });

  it('--version prints the version line on stdout, exit 1 as mqtt-pub and mqtt-sub', () => {
    const r = ours(['--version']);
    expect(r).toMatchObject({ status: 1, stderr: '' });
    expect(r.stdout).toMatch(/^mqtt-passwd version \d+\.\d+\.\d+ running on Node\.js v\d+/);
  });
});
