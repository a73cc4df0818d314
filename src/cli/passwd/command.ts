// mqtt-passwd's command line, as data, and mosquitto_passwd's grammar for it:
// options come first, each spelled exactly; the first argument that is not an
// option starts the positionals (passwordfile, username, password), so a
// username or password may begin with '-'. The table and the parser are the
// shared ones (shared/option-table.ts, shared/args.ts) in their positional mode;
// yargs only renders the table for --help (usage.ts, shared/yargs-help.ts).
import { parseArgs, type ParsedArgs } from '../shared/args.js';
import { ArgvError } from '../shared/argv-error.js';
import { flagOption as f, optionIndex, optionNames, requestOption, valueOption, type OptionKey, type OptionSpec } from '../shared/option-table.js';

export const TOOL = 'mqtt-passwd';

export const PASSWD_OPTIONS = [
  f(['-b'], 'batch', 'batch mode: the password is the last argument (visible to others; prefer --stdin).'),
  f(['-c'], 'create', 'create a new password file, overwriting an existing one.'),
  f(['-D'], 'delete', 'delete the username rather than adding/updating its password.'),
  f(['-U'], 'update', 'hash the plain text passwords of a file; hashed lines are left alone.'),
  f(['--check'], 'check', "read a password and exit 0 if it is the user's, 1 if not."),
  f(['--list'], 'list', 'print the usernames, one per line (-v: with the hash type).'),
  f(['--stdin'], 'stdin', 'read the password from the first line of standard input.'),
  f(['-v', '--verbose'], 'verbose', 'with --list: show each hash type too.'),
  f(['--force'], 'force', 'edit a file that other users can write to.'),
  f(['--follow-symlinks'], 'followSymlinks', 'edit the target of a symbolic link.'),
  valueOption(['-H'], 'hash', 'hash', 'hashing algorithm: sha512-pbkdf2 (default; argon2id when the file has it), argon2id (Mosquitto 2.1+), sha512 or bcrypt.'),
  valueOption(['-I'], 'iterations', 'iterations', 'PBKDF2 iterations, the bcrypt cost (default 10) or the argon2id time cost (default 1).'),
  // Only where an option may stand: after the first positional, they are positionals too.
  requestOption(['--help', '-h'], 'help', 'help', 'print this usage on stdout and exit 1 (as mosquitto_passwd).'),
  requestOption(['--version'], 'version', 'version', 'print the version on stdout and exit 1 (as mqtt-pub and mqtt-sub).'),
  requestOption(['--completion-script'], 'completionScript', 'completion', 'print a shell completion script (bash; zsh or fish per $SHELL) and exit 0.'),
] as const satisfies readonly OptionSpec[];

export type PasswdKey = OptionKey<typeof PASSWD_OPTIONS>;
export type PasswdFlag = Exclude<PasswdKey, 'hash' | 'iterations' | 'help' | 'version' | 'completionScript'>;

/** Options and positionals; `request` is 'help' for --help and for an unknown option (usage, exit 1, as mosquitto_passwd). */
export type PasswdArgs = ParsedArgs<PasswdKey>;

/** Every spelling, for shell completion. */
export const PASSWD_OPTION_NAMES: readonly string[] = optionNames(PASSWD_OPTIONS);

const INDEX = optionIndex(PASSWD_OPTIONS);

/** The spelling a user would recognise, for "X and Y cannot be used together". */
export function optionName(key: PasswdKey): string {
  return PASSWD_OPTIONS.find((s) => s.key === key)?.names[0] ?? key;
}

/** Splits argv into options and positionals. Pure; throws only for a value option given last without its value. */
export function tokenise(argv: readonly string[]): PasswdArgs {
  return parseArgs(argv, INDEX, {
    positionals: true,
    missingValue: (opt) => new ArgvError(`${opt} argument given but not enough other arguments.`, { usageHint: false }),
  });
}
