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
      hash: { type: 'sha512-pbkdf2', iterations: 210_000, followsFile: true },
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

  it.each([[[]], [['--help']]])('%j prints the usage', (argv) => {
    expect(plan(...argv)).toEqual({ mode: 'usage' });
  });

  it.each([
    [['f'], 'Username missing.'],
    [['f', 'u', 'x'], 'Too many arguments (a password on the command line needs -b).'],
    [['-b', 'f', 'u'], 'Password missing: with -b it is the last argument.'],
    [['-x', 'f', 'u'], "Unknown option '-x'."],
    [['--lst', 'f'], "Unknown option '--lst'."],
  ])('%j prints the usage after one line saying what is wrong', (argv, reason) => {
    expect(plan(...argv)).toEqual({ mode: 'usage', reason });
  });

  it('--version', () => {
    expect(plan('--version')).toEqual({ mode: 'version' });
  });

  it('-H argon2id (as Mosquitto 2.1 spells it), -I as its time cost; no -H/-I lets the file choose', () => {
    expect(plan('-H', 'argon2id', 'f', 'u')).toMatchObject({ hash: { type: 'argon2id', iterations: 1 } });
    expect(plan('-H', 'argon2id', '-I', '3', 'f', 'u')).toMatchObject({ hash: { type: 'argon2id', iterations: 3 } });
    expect(plan('-H', 'sha512-pbkdf2', '-b', 'f', 'u', 'p')).toMatchObject({ hash: { type: 'sha512-pbkdf2', iterations: 210_000 } });
    expect((plan('-H', 'sha512-pbkdf2', '-b', 'f', 'u', 'p') as { hash: object }).hash).not.toHaveProperty('followsFile');
    expect((plan('-I', '101', '-b', 'f', 'u', 'p') as { hash: object }).hash).not.toHaveProperty('followsFile');
    expect(plan('-b', 'f', 'u', 'p')).toMatchObject({ hash: { followsFile: true } });
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
    [['-b', 'f', '#alice', 'p'], "Username must not start with '#': the line would be a comment."],
    [['-b', 'f', ' alice', 'p'], 'Username must not start or end with a blank: the broker would read it without.'],
    [['-b', 'f', 'alice ', 'p'], 'Username must not start or end with a blank: the broker would read it without.'],
    [['-D', 'f', '#alice'], "Username must not start with '#': the line would be a comment."],
    [['-H', 'argon2id', '-I', '1001', 'f', 'u'], 'The argon2id time cost (-I) must be at most 1000.'],
    [['-H', 'argon2', 'f', 'u'], "Unknown hash type 'argon2'"],
    [['-b', 'f', 'a'.repeat(65536), 'p'], 'Username must be less than 65536 characters long.'],
    [['-b', 'f', 'u', 'p'.repeat(65536)], 'Password must be less than 65536 characters long.'],
  ])('%j → %s', (argv, message) => {
    expect(() => plan(...(argv as string[]))).toThrow(expect.objectContaining({ code: 'USAGE', message }));
  });

  it('accepts the longest username and password mosquitto does', () => {
    expect(plan('-b', 'f', 'a'.repeat(65535), 'p'.repeat(65535))).toMatchObject({ mode: 'set' });
  });
});
