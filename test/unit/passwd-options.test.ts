// argv → plan: mosquitto_passwd's grammar, checks and messages (W7), and ours.
import { describe, expect, it } from 'vitest';
import { tokenise } from '../../src/cli/passwd/command.js';
import { toPasswdPlan } from '../../src/cli/passwd/options.js';

const plan = (...argv: string[]) => toPasswdPlan(tokenise(argv));

describe('plans', () => {
  it('adds with a prompt, pbkdf2 and 210000 iterations by default', () => {
    expect(plan('f', 'alice')).toEqual({
      mode: 'set',
      create: false,
      file: 'f',
      username: 'alice',
      hash: { type: 'sha512-pbkdf2', iterations: 210_000 },
      password: { kind: 'prompt' },
      force: false,
      followSymlinks: false,
    });
  });

  it('-b takes the password from argv, even one starting with "-"', () => {
    expect(plan('-c', '-b', 'f', 'u', '-secret')).toMatchObject({ mode: 'set', create: true, password: { kind: 'argv', password: '-secret' } });
  });

  it('options end at the first positional', () => {
    expect(plan('-b', 'f', '-c', 'pw')).toMatchObject({ mode: 'set', create: false, username: '-c', password: { kind: 'argv', password: 'pw' } });
  });

  it('-H, -I, -U, -D, --check, --list, --stdin', () => {
    expect(plan('-H', 'sha512', '-I', '7', '-U', 'f')).toMatchObject({ mode: 'convert', hash: { type: 'sha512', iterations: 7 } });
    expect(plan('-I', '101', '-U', 'f')).toMatchObject({ mode: 'convert', hash: { type: 'sha512-pbkdf2', iterations: 101 } });
    expect(plan('-H', 'bcrypt', 'f', 'u')).toMatchObject({ hash: { type: 'bcrypt', iterations: 10 } });
    expect(plan('-D', 'f', 'u')).toMatchObject({ mode: 'delete', username: 'u' });
    expect(plan('--check', 'f', 'u')).toMatchObject({ mode: 'check', password: { kind: 'prompt' } });
    expect(plan('--stdin', '--check', 'f', 'u')).toMatchObject({ mode: 'check', password: { kind: 'stdin' } });
    expect(plan('-v', '--list', 'f')).toMatchObject({ mode: 'list', verbose: true });
    expect(plan('--stdin', '-c', 'f', 'u')).toMatchObject({ mode: 'set', create: true, password: { kind: 'stdin' } });
    expect(plan('--force', '--follow-symlinks', '-D', 'f', 'u')).toMatchObject({ force: true, followSymlinks: true });
  });

  it.each([[[]], [['f']], [['f', 'u', 'x']], [['-b', 'f', 'u']], [['-x', 'f', 'u']], [['--help']]])('%j prints the usage', (argv) => {
    expect(plan(...argv)).toEqual({ mode: 'usage' });
  });
});

describe('errors, in mosquitto_passwd words', () => {
  it.each([
    [['-c', '-D', 'f', 'u'], '-c and -D cannot be used together.'],
    [['-c', '-U', 'f'], '-c and -U cannot be used together.'],
    [['-D', '-U', 'f'], '-D and -U cannot be used together.'],
    [['-b', '-D', 'f', 'u', 'p'], '-b and -D cannot be used together.'],
    [['-H', 'md5', 'f', 'u'], "Unknown hash type 'md5'"],
    [['-I', '0', 'f', 'u'], 'Number of iterations must be > 0.'],
    [['-I', '-5', 'f', 'u'], 'Number of iterations must be > 0.'],
    [['-I', '5x', 'f', 'u'], "Invalid number of iterations '5x'."],
    [['-I', '10000001', 'f', 'u'], 'Number of iterations must be at most 10000000.'],
    [['-H', 'bcrypt', '-I', '32', 'f', 'u'], 'The bcrypt cost (-I) must be between 4 and 31.'],
    [['-H'], '-H argument given but not enough other arguments.'],
    [['-c', 'f'], '-c argument given but password file or username missing.'],
    [['-c', '-b', 'f', 'u'], '-c argument given but password file, username, or password missing.'],
    [['-D', 'f'], '-D argument given but password file or username missing.'],
    [['-U'], '-U argument given but password file missing.'],
    [['-U', 'f', 'x'], '-U argument given but password file missing.'],
    [['--check', 'f'], '--check argument given but password file or username missing.'],
    [['--stdin', '-b', 'f', 'u', 'p'], '--stdin and -b cannot be used together.'],
    [['-b', 'f', 'a:b', 'p'], "Username must not contain the ':' character."],
    [['-b', 'f', 'a\tb', 'p'], 'Username must not contain control characters.'],
    [['-b', 'f', 'a\x7fb', 'p'], 'Username must not contain control characters.'],
    [['-b', 'f', '', 'p'], 'Username must not be empty.'],
    [['-b', 'f', 'a'.repeat(65536), 'p'], 'Username must be less than 65536 characters long.'],
    [['-b', 'f', 'u', 'p'.repeat(65536)], 'Password must be less than 65536 characters long.'],
  ])('%j → %s', (argv, message) => {
    expect(() => plan(...(argv as string[]))).toThrow(expect.objectContaining({ code: 'USAGE', message }));
  });

  it('accepts the longest username and password mosquitto does', () => {
    expect(plan('-b', 'f', 'a'.repeat(65535), 'p'.repeat(65535))).toMatchObject({ mode: 'set' });
  });
});
