// mqtt-passwd's command line, as data, and mosquitto_passwd's grammar for it:
// options come first, each spelled exactly; the first argument that is not an
// option starts the positionals (passwordfile, username, password), so a
// username or password may begin with '-'. Not yargs, for the same reasons as
// shared/connection-options.ts: exact mosquitto spellings and start-up time;
// yargs only renders these tables for --help (usage.ts, shared/yargs-help.ts).

export const TOOL = 'mqtt-passwd';

export type PasswdFlag = 'batch' | 'create' | 'delete' | 'update' | 'check' | 'list' | 'stdin' | 'verbose' | 'force' | 'followSymlinks';
export type PasswdValue = 'hash' | 'iterations';

interface FlagSpec {
  names: string[];
  key: PasswdFlag;
  /** --help: one short line (facts from the man page). */
  describe: string;
}
interface ValueSpec {
  names: string[];
  key: PasswdValue;
  describe: string;
  /** --help: the value's name. */
  placeholder: string;
}

export const PASSWD_FLAGS: readonly FlagSpec[] = [
  { names: ['-b'], key: 'batch', describe: 'batch mode: the password is the last argument (visible to others; prefer --stdin).' },
  { names: ['-c'], key: 'create', describe: 'create a new password file, overwriting an existing one.' },
  { names: ['-D'], key: 'delete', describe: 'delete the username rather than adding/updating its password.' },
  { names: ['-U'], key: 'update', describe: 'hash the plain text passwords of a file; hashed lines are left alone.' },
  { names: ['--check'], key: 'check', describe: "read a password and exit 0 if it is the user's, 1 if not." },
  { names: ['--list'], key: 'list', describe: 'print the usernames, one per line (-v: with the hash type).' },
  { names: ['--stdin'], key: 'stdin', describe: 'read the password from the first line of standard input.' },
  { names: ['-v', '--verbose'], key: 'verbose', describe: 'with --list: show each hash type too.' },
  { names: ['--force'], key: 'force', describe: 'edit a file that other users can write to.' },
  { names: ['--follow-symlinks'], key: 'followSymlinks', describe: 'edit the target of a symbolic link.' },
];

export const PASSWD_VALUES: readonly ValueSpec[] = [
  {
    names: ['-H'],
    key: 'hash',
    placeholder: 'hash',
    describe: 'hashing algorithm: sha512-pbkdf2 (default, recommended), sha512 (Mosquitto 1.6) or bcrypt.',
  },
  { names: ['-I'], key: 'iterations', placeholder: 'iterations', describe: 'PBKDF2 iterations, or the bcrypt cost (default 10).' },
];

/** Options that print something and exit; only where an option may stand. */
export const PASSWD_REQUESTS = [
  { names: ['--help', '-h'], key: 'help', describe: 'print this usage on stdout and exit 1 (as mosquitto_passwd).' },
  {
    names: ['--completion-script'],
    key: 'completionScript',
    describe: 'print a shell completion script (bash; zsh or fish per $SHELL) and exit 0.',
  },
] as const;

/** Every spelling, for shell completion. */
export const PASSWD_OPTION_NAMES: readonly string[] = [...PASSWD_FLAGS, ...PASSWD_VALUES, ...PASSWD_REQUESTS].flatMap((s) => s.names);

/** The spelling a user would recognise, for "X and Y cannot be used together". */
export const FLAG_NAME: Record<PasswdFlag, string> = {
  batch: '-b',
  create: '-c',
  delete: '-D',
  update: '-U',
  check: '--check',
  list: '--list',
  stdin: '--stdin',
  verbose: '-v',
  force: '--force',
  followSymlinks: '--follow-symlinks',
};

export interface PasswdArgs {
  flags: Partial<Record<PasswdFlag, true>>;
  values: Partial<Record<PasswdValue, string>>;
  positionals: string[];
  /** --help, or an unknown option: print the usage (stdout) and exit 1, as mosquitto_passwd. */
  usage?: boolean;
  /** A value option was last with nothing after it. */
  missingValue?: string;
  /** --completion-script: print the shell completion script and exit 0. */
  completion?: boolean;
}

const FLAG_INDEX = new Map(PASSWD_FLAGS.flatMap((s) => s.names.map((n) => [n, s.key] as const)));
const VALUE_INDEX = new Map(PASSWD_VALUES.flatMap((s) => s.names.map((n) => [n, s.key] as const)));

/** Splits argv into options and positionals. Pure; never throws. */
export function tokenise(argv: readonly string[]): PasswdArgs {
  const args: PasswdArgs = { flags: {}, values: {}, positionals: [] };
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i] as string;
    const flag = FLAG_INDEX.get(a);
    const value = VALUE_INDEX.get(a);
    if (flag) args.flags[flag] = true;
    else if (a === '--completion-script') {
      args.completion = true;
      return args;
    } else if (value) {
      if (i + 1 >= argv.length) {
        args.missingValue = a;
        return args;
      }
      args.values[value] = argv[++i] as string;
    } else if (a === '--help' || a === '-h' || (a.startsWith('-') && a.length > 1)) {
      args.usage = true;
      return args;
    } else break;
  }
  args.positionals = argv.slice(i);
  return args;
}
