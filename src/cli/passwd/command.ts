// mqtt-passwd's command line, as data, and mosquitto_passwd's grammar for it:
// options come first, each spelled exactly; the first argument that is not an
// option starts the positionals (passwordfile, username, password), so a
// username or password may begin with '-'. Not yargs, for the same reasons as
// shared/connection-options.ts: exact mosquitto spellings and start-up time.

export const TOOL = 'mqtt-passwd';

export type PasswdFlag = 'batch' | 'create' | 'delete' | 'update' | 'check' | 'list' | 'stdin' | 'verbose' | 'force' | 'followSymlinks';
export type PasswdValue = 'hash' | 'iterations';

interface FlagSpec {
  names: string[];
  key: PasswdFlag;
}
interface ValueSpec {
  names: string[];
  key: PasswdValue;
}

export const PASSWD_FLAGS: readonly FlagSpec[] = [
  { names: ['-b'], key: 'batch' },
  { names: ['-c'], key: 'create' },
  { names: ['-D'], key: 'delete' },
  { names: ['-U'], key: 'update' },
  { names: ['--check'], key: 'check' },
  { names: ['--list'], key: 'list' },
  { names: ['--stdin'], key: 'stdin' },
  { names: ['-v', '--verbose'], key: 'verbose' },
  { names: ['--force'], key: 'force' },
  { names: ['--follow-symlinks'], key: 'followSymlinks' },
];

export const PASSWD_VALUES: readonly ValueSpec[] = [
  { names: ['-H'], key: 'hash' },
  { names: ['-I'], key: 'iterations' },
];

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
    else if (value) {
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
