// mqtt-passwd against mosquitto_passwd given the same arguments (statuses,
// messages, prompts), then what it does beyond it: byte-for-byte edits of
// mosquitto's files (W2), -U leaving hashes alone, --check, --list, --stdin,
// bad input (W7) and secret hygiene (W9).
import { chmodSync, readFileSync, statSync, writeFileSync as writeRaw } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileLines, ours, requireBuild, requireMosquittoPasswd, scratchDir, theirs } from './passwd-helpers.js';

beforeAll(() => {
  requireBuild();
  requireMosquittoPasswd();
});

/** Files are private, as an admin keeps them (a 0644 file earns a permission warning). */
function writeFileSync(path: string, text: string): void {
  writeRaw(path, text);
  chmodSync(path, 0o600);
}

const ARGON = 'zoe:$argon2id$v=19$m=47104,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaA';

/** Runs both tools in twin directories holding the same starting file. */
function both(args: string[], input = '', start?: string) {
  const a = scratchDir();
  const b = scratchDir();
  try {
    const seed = start ?? readFileSync(base.path('seed'), 'utf8');
    writeFileSync(a.path('f'), seed);
    writeFileSync(b.path('f'), seed);
    return { ours: ours(args, { input, cwd: a.dir }), theirs: theirs(args, { input, cwd: b.dir }) };
  } finally {
    a.remove();
    b.remove();
  }
}

const base = scratchDir();
beforeAll(() => {
  theirs(['-c', '-b', base.path('seed'), 'alice', 'wonderland']);
  theirs(['-H', 'sha512', '-b', base.path('seed'), 'bob', 'builder']);
  chmodSync(base.path('seed'), 0o600);
});
afterAll(() => base.remove());

describe('same statuses and messages as mosquitto_passwd', () => {
  it.each([
    [[]],
    [['f']],
    [['-x', 'f', 'u']],
    [['-b', 'f', 'u']],
  ])('usage for %j: stdout, exit 1', (args) => {
    const r = both(args);
    expect(r.ours.status).toBe(1);
    expect(r.theirs.status).toBe(1);
    expect(r.ours.stdout).toMatch(/^mqtt-passwd is a tool for managing password files for mosquitto\.\n\nUsage: /);
    expect(r.theirs.stdout).toMatch(/^mosquitto_passwd is a tool for managing password files for mosquitto\.\n\nUsage: /);
  });

  it.each([
    [['-c', '-D', 'f', 'u']],
    [['-c', '-U', 'f']],
    [['-D', '-U', 'f']],
    [['-b', '-D', 'f', 'u']],
    [['-b', 'f', 'a:b', 'pw']],
    [['-b', 'f', 'a\tb', 'pw']],
    [['-b', 'f', 'a'.repeat(65536), 'pw']],
    [['-H', 'md5', '-b', 'f', 'u', 'pw']],
    [['-I', '0', '-b', 'f', 'u', 'pw']],
    [['-H']],
    [['-U']],
    [['-c', 'f']],
    [['-D', 'f']],
    [['-D', 'f', 'nobody']],
    [['-b', 'missing', 'u', 'pw']],
    [['-D', 'missing', 'u']],
    [['-U', 'missing']],
    [['-c', '-b', 'nodir/f', 'u', 'pw']],
  ])('%#: same as mosquitto_passwd', (args) => {
    const r = both(args);
    expect(r.ours.status).toBe(r.theirs.status);
    expect(r.ours.status).not.toBe(0);
    const line = r.theirs.stderr.trim().split('\n').pop() as string;
    expect(r.ours.stderr).toContain(line);
  });

  it.each([
    ['match', 'pw1\npw1\n'],
    ['mismatch', 'pw1\npw2\n'],
    ['EOF', ''],
    ['empty line', '\n'],
  ])('prompting from a pipe: %s', (_name, input) => {
    const r = both(['f', 'carol'], input);
    expect(r.ours.status).toBe(r.theirs.status);
    // Then Mosquitto 2.1's "Adding password for user carol" (2.0 prints nothing).
    expect(r.ours.stdout).toBe(r.theirs.stdout + (r.ours.status === 0 ? 'Adding password for user carol\n' : ''));
    expect(r.ours.stderr).toBe(r.theirs.stderr);
  });
});

describe('editing files made by mosquitto_passwd (W2)', () => {
  it('updates one user and keeps every other line byte for byte, in order (comments, argon2id, CRLF too)', () => {
    const d = scratchDir();
    try {
      const f = d.path('pw');
      theirs(['-c', '-b', f, 'alice', 'a1']);
      theirs(['-H', 'sha512', '-b', f, 'bob', 'b1']);
      theirs(['-b', f, 'carol', 'c1']);
      const before = `# broker users\n${readFileSync(f, 'utf8')}\n${ARGON}\nmallory:$7$101$x$y\r\n`;
      writeFileSync(f, before);
      const r = ours(['--stdin', f, 'bob'], { input: 'b2\n' });
      expect(r.status, r.stderr).toBe(0);
      const after = readFileSync(f, 'utf8');
      const [old, now] = [before.split('\n'), after.split('\n')];
      expect(now).toHaveLength(old.length);
      now.forEach((l, i) => (l.startsWith('bob:') ? expect(l).not.toBe(old[i]) : expect(l).toBe(old[i])));
      for (const [user, pw] of [['bob', 'b2'], ['alice', 'a1']]) {
        const check = ours(['--check', f, user as string], { input: `${pw}\n` });
        expect(check.status, check.stderr).toBe(0);
      }
    } finally {
      d.remove();
    }
  });

  it('keeps the lines after a comment, which mosquitto_passwd 2.0 drops while exiting 0', () => {
    const start = `alice:x\n# note\n${ARGON}\n`;
    const r = both(['-b', 'f', 'bob', 'pw'], '', start);
    expect(r.theirs.status).toBe(0); // and it has lost zoe: see mosquitto-clients.md §10.6
    expect(r.ours.status).toBe(0);
    const d = scratchDir();
    try {
      writeFileSync(d.path('f'), start);
      ours(['-b', d.path('f'), 'bob', 'pw']);
      // The file already holds argon2id, so bob gets argon2id too (no -H given).
      expect(readFileSync(d.path('f'), 'utf8')).toMatch(new RegExp(`^alice:x\\n# note\\n${ARGON.replace(/\$/g, '\\$')}\\nbob:\\$argon2id\\$v=19\\$m=47104,t=1,p=1\\$`));
    } finally {
      d.remove();
    }
  });
});

describe('beyond mosquitto_passwd', () => {
  const d = scratchDir();
  afterAll(() => d.remove());

  it('-U hashes plain lines only; a second -U changes nothing', () => {
    const f = d.path('convert');
    writeFileSync(f, `# users\nann:plain1\n${ARGON}\n\n ben : plain2 \n`);
    expect(ours(['-I', '1000', '-U', f]).status).toBe(0);
    const once = readFileSync(f, 'utf8');
    expect(fileLines(once)).toEqual([
      '# users',
      expect.stringMatching(/^ann:\$7\$1000\$[A-Za-z0-9+/]{16}\$[A-Za-z0-9+/]{86}==$/),
      ARGON,
      expect.stringMatching(/^ben:\$7\$1000\$/),
    ]);
    expect(once).toContain(`${ARGON}\n\nben:`);
    expect(ours(['--check', f, 'ann'], { input: 'plain1\n' }).status).toBe(0);
    expect(ours(['--check', f, 'ben'], { input: 'plain2\n' }).status).toBe(0);
    expect(ours(['-U', f]).status).toBe(0);
    expect(readFileSync(f, 'utf8')).toBe(once);
  });

  it('-U on a large file (hashed on several threads) keeps order and every password', () => {
    const f = d.path('large');
    writeFileSync(f, Array.from({ length: 600 }, (_, i) => `user${i}:secret-${i}\n`).join(''));
    expect(ours(['-I', '1000', '-U', f]).status).toBe(0);
    const lines = fileLines(readFileSync(f, 'utf8'));
    expect(lines.map((l) => l.split(':')[0])).toEqual(Array.from({ length: 600 }, (_, i) => `user${i}`));
    for (const i of [0, 299, 599]) expect(ours(['--check', f, `user${i}`], { input: `secret-${i}\n` }).status).toBe(0);
    expect(ours(['--check', f, 'user1'], { input: 'secret-2\n' }).status).toBe(1);
  });

  it('--check: 0 on a match, 1 otherwise, and says when it cannot verify a format', () => {
    const f = d.path('check');
    writeFileSync(f, `${ARGON}\n`);
    expect(ours(['-H', 'bcrypt', '-I', '4', '--stdin', f, 'bc'], { input: 'bcpw\n' }).status).toBe(0);
    expect(ours(['-H', 'sha512', '-b', f, 'sh', 'shpw']).status).toBe(0);
    expect(ours(['--check', f, 'bc'], { input: 'bcpw\n' }).status).toBe(0);
    expect(ours(['--check', f, 'sh'], { input: 'shpw' }).status).toBe(0);
    const wrong = ours(['--check', f, 'sh'], { input: 'nope\n' });
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toBe('Error: Password for user sh does not match.\n');
    const argon = ours(['--check', f, 'zoe'], { input: 'x\n' });
    expect(argon).toMatchObject({ status: 1, stderr: 'Error: Password for user zoe does not match.\n' });
    expect(ours(['--check', f, 'nobody'], { input: 'x\n' })).toMatchObject({ status: 1, stderr: 'Warning: User nobody not found in password file.\n' });
  });

  it('--list prints usernames (with hash types under -v) on stdout', () => {
    const f = d.path('check');
    expect(ours(['--list', f])).toMatchObject({ status: 0, stdout: 'zoe\nbc\nsh\n' });
    expect(ours(['-v', '--list', f]).stdout).toBe(
      'zoe\targon2id\tm=47104,t=1,p=1\tMosquitto 2.1+\nbc\tbcrypt\t4\tauth plugins only, no Mosquitto broker\nsh\tsha512\tMosquitto 1.x, 2.x\n',
    );
  });

  it('-c makes a 0600 file; editing keeps an existing mode', () => {
    const f = d.path('modes');
    expect(ours(['-c', '--stdin', f, 'u'], { input: 'p\n' }).status).toBe(0);
    expect(statSync(f).mode & 0o777).toBe(0o600);
    chmodSync(f, 0o640);
    expect(ours(['--stdin', f, 'v'], { input: 'p\n' }).status).toBe(0);
    expect(statSync(f).mode & 0o777).toBe(0o640);
    expect(ours(['-c', '--stdin', f, 'w'], { input: 'p\n' }).status).toBe(0);
    expect(statSync(f).mode & 0o777).toBe(0o640);
    expect(fileLines(readFileSync(f, 'utf8'))).toHaveLength(1);
  });
});

describe('bad input (W7)', () => {
  const d = scratchDir();
  afterAll(() => d.remove());
  const salt = 'AAAAAAAAAAAAAAAA';
  const hash = Buffer.alloc(64, 7).toString('base64');

  it('a corrupt line stops the edit with the file untouched (mosquitto_passwd exits 0 and truncates)', () => {
    const f = d.path('corrupt');
    const text = 'alice:x\nthis line has no colon\nbob:y\n';
    writeFileSync(f, text);
    const r = ours(['-b', f, 'carol', 'pw']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Error: Corrupt password file at line 2.');
    expect(readFileSync(f, 'utf8')).toBe(text);
    expect(both(['-b', 'f', 'carol', 'pw'], '', text).theirs.status).toBe(0);
  });

  it.each([['0'], ['1000000000000']])('refuses to verify %s iterations; edits keep the line with a warning', (n) => {
    const f = d.path(`iter${n}`);
    const line = `slow:$7$${n}$${salt}$${hash}`;
    writeFileSync(f, `${line}\n`);
    const check = ours(['--check', f, 'slow'], { input: 'x\n' });
    expect(check.status).toBe(1);
    expect(check.stderr).toMatch(/iteration count '\d+' is not between 1 and 10000000/);
    const edit = ours(['--stdin', f, 'other'], { input: 'x\n' });
    expect(edit.status).toBe(0);
    expect(edit.stderr).toMatch(/Warning: Line 1: .*the broker will ignore this entry/);
    expect(readFileSync(f, 'utf8').startsWith(`${line}\n`)).toBe(true);
  });
});

describe('secret hygiene (W9)', () => {
  const d = scratchDir();
  afterAll(() => d.remove());

  it('-b warns that argv is visible; --stdin does not', () => {
    const f = d.path('h');
    expect(ours(['-c', '-b', f, 'u', 'topsecret']).stderr).toMatch(/^Warning: a password given with -b is visible to other users/);
    expect(ours(['--stdin', f, 'u'], { input: 'topsecret\n' }).stderr).toBe('');
  });

  it('never prints the password, nor leaves it in a temp file', () => {
    const f = d.path('h');
    const outputs = [
      ours([f, 'u'], { input: 'topsecret1\ntopsecret2\n' }),
      ours(['--check', f, 'u'], { input: 'topsecret3\n' }),
      ours(['-H', 'bcrypt', '--stdin', f, 'u'], { input: `${'x'.repeat(80)}topsecret4\n` }),
    ];
    for (const r of outputs) expect(`${r.stdout}${r.stderr}`).not.toMatch(/topsecret/);
    expect(d.files()).toEqual(['h']);
    expect(readFileSync(f, 'utf8')).not.toMatch(/topsecret/);
  });
});
